import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../../src/model/staleness.ts';
import { AppendStatus } from '../../../src/tsdb/head/append-status.ts';
import { Head } from '../../../src/tsdb/head/head.ts';
import type { HeadCommit } from '../../../src/tsdb/head/head-log.ts';
import { Querier } from '../../../src/tsdb/querier/querier.ts';

const L = (r: Record<string, string>) => Labels.from(r);

function read(head: Head, labels: Labels, minT = 0, maxT = Number.MAX_SAFE_INTEGER): [number, bigint][] {
  const q = new Querier([head], minT, maxT);
  const s = q.select([]).find((x) => x.labels.equals(labels));
  if (s === undefined) return [];
  const out: [number, bigint][] = [];
  const it = s.iterator();
  while (it.next()) out.push([it.t, float64Bits(it.v)]);
  return out;
}

test('in-order appends are readable after commit and not before', async () => {
  const head = new Head();
  const app = head.appender();
  const s = app.series(L({ __name__: 'up', job: 'a' }))!;
  for (let t = 1000; t <= 5000; t += 1000) assert.equal(app.append(s, t, t / 1000), AppendStatus.Ok);
  assert.deepEqual(read(head, s.labels), []);
  await app.commit();
  assert.deepEqual(
    read(head, s.labels).map(([t]) => t),
    [1000, 2000, 3000, 4000, 5000],
  );
});

test('duplicate timestamp: same value bits is a no-op, another value an error; staleness kept exactly', async () => {
  const head = new Head();
  let app = head.appender();
  const s = app.series(L({ __name__: 'x' }))!;
  app.append(s, 10, 1);
  app.append(s, 20, STALE_NAN);
  await app.commit();
  app = head.appender();
  assert.equal(app.append(s, 20, STALE_NAN), AppendStatus.Duplicate);
  assert.equal(app.append(s, 20, Number.NaN), AppendStatus.DuplicateTimestamp);
  assert.equal(app.append(s, 10, 1), AppendStatus.OutOfOrder);
  assert.equal(app.rejectedTotal, 2);
  assert.equal(app.firstRejected?.status, AppendStatus.DuplicateTimestamp);
  await app.commit();
  assert.deepEqual(read(head, s.labels), [
    [10, float64Bits(1)],
    [20, 0x7ff0000000000002n],
  ]);
});

test('out-of-order window: samples inside it are merged in time order, older ones are too old', async () => {
  const head = new Head({ outOfOrderWindowMs: 60_000 });
  let app = head.appender();
  const s = app.series(L({ __name__: 'x' }))!;
  app.append(s, 100_000, 1);
  await app.commit();
  app = head.appender();
  assert.equal(app.append(s, 50_000, 2), AppendStatus.Ok);
  assert.equal(app.append(s, 39_999, 3), AppendStatus.TooOld);
  assert.equal(app.append(s, 70_000, 4), AppendStatus.Ok);
  await app.commit();
  app = head.appender();
  assert.equal(app.append(s, 50_000, 2), AppendStatus.Duplicate);
  assert.equal(app.append(s, 50_000, 9), AppendStatus.DuplicateTimestamp);
  assert.equal(app.append(s, 100_000, 1), AppendStatus.Duplicate);
  await app.commit();
  assert.deepEqual(
    read(head, s.labels).map(([t, v]) => [
      t,
      Number(v === float64Bits(1) ? 1 : v === float64Bits(2) ? 2 : 4),
    ]),
    [
      [50_000, 2],
      [70_000, 4],
      [100_000, 1],
    ],
  );
});

test('a batch may not go backwards within itself either', () => {
  const head = new Head();
  const app = head.appender();
  const s = app.series(L({ __name__: 'x' }))!;
  assert.equal(app.append(s, 10, 1), AppendStatus.Ok);
  assert.equal(app.append(s, 5, 1), AppendStatus.OutOfOrder);
  assert.equal(app.append(s, 10, 2), AppendStatus.DuplicateTimestamp);
  assert.equal(app.append(s, -1, 2), AppendStatus.InvalidTimestamp);
  assert.equal(app.append(s, 1.5, 2), AppendStatus.InvalidTimestamp);
});

test('series limit refuses new series and counts the refusal', () => {
  const head = new Head({ maxSeries: 2 });
  const app = head.appender();
  assert.ok(app.series(L({ __name__: 'a' })));
  assert.ok(app.series(L({ __name__: 'b' })));
  assert.equal(app.series(L({ __name__: 'c' })), undefined);
  assert.ok(app.series(L({ __name__: 'a' })));
  assert.equal(app.rejected[AppendStatus.SeriesLimit], 1);
});

test('commit logs new series once, then samples, then applies; a failing log applies nothing', async () => {
  const commits: { series: number[]; n: number }[] = [];
  let fail = false;
  const head = new Head({
    log: {
      write(c: HeadCommit) {
        if (fail) throw new Error('disk full');
        commits.push({ series: c.newSeries.map((s) => s.ref), n: c.n });
        return Promise.resolve();
      },
    },
  });
  let app = head.appender();
  const a = app.series(L({ __name__: 'a' }))!;
  app.append(a, 1, 1);
  await app.commit();
  app = head.appender();
  const b = app.series(L({ __name__: 'b' }))!;
  app.append(a, 2, 1);
  app.append(b, 2, 1);
  await app.commit();
  assert.deepEqual(commits, [
    { series: [a.ref], n: 1 },
    { series: [b.ref], n: 2 },
  ]);
  fail = true;
  app = head.appender();
  app.append(a, 3, 1);
  assert.throws(() => app.commit(), /disk full/);
  assert.deepEqual(
    read(head, a.labels).map(([t]) => t),
    [1, 2],
  );
  // The series' pending state was reset, so a retry of the same sample is accepted.
  fail = false;
  app = head.appender();
  assert.equal(app.append(a, 3, 1), AppendStatus.Ok);
});

test('rollback discards the batch', async () => {
  const head = new Head();
  const app = head.appender();
  const s = app.series(L({ __name__: 'x' }))!;
  app.append(s, 1, 1);
  app.rollback();
  assert.deepEqual(read(head, s.labels), []);
  const again = head.appender();
  assert.equal(again.append(s, 1, 1), AppendStatus.Ok);
});

test('appendRows stores and refuses exactly what append() one by one does', async () => {
  const ts = fc.array(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(Number.NaN), fc.constant(-1)), {
    maxLength: 40,
  });
  await fc.assert(
    fc.asyncProperty(
      ts,
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
      fc.nat(30),
      async (times, vals, minValid) => {
        const rows = new Float64Array(times.map((t) => t * 1000));
        const values = new Float64Array(times.map((_, i) => vals[i % Math.max(1, vals.length)] ?? 0));
        const heads = [new Head({ outOfOrderWindowMs: 10_000 }), new Head({ outOfOrderWindowMs: 10_000 })];
        const labels = L({ __name__: 'x' });
        // Some history first, so that duplicates, out-of-order and too-old samples all occur.
        for (const h of heads) {
          h.minValidTime = minValid * 1000;
          const app = h.appender();
          app.append(app.series(labels)!, 20_000, 1);
          await app.commit();
        }
        const one = heads[0].appender();
        const s1 = one.series(labels)!;
        let stored = 0;
        for (let i = 0; i < rows.length; i++) {
          const status = one.append(s1, rows[i], values[i]);
          if (status === AppendStatus.Ok || status === AppendStatus.Duplicate) stored++;
        }
        const many = heads[1].appender();
        assert.equal(many.appendRows(many.series(labels)!, rows, values, 0, rows.length), stored);
        assert.deepEqual([...many.rejected], [...one.rejected]);
        assert.deepEqual(many.firstRejected, one.firstRejected);
        await one.commit();
        await many.commit();
        assert.deepEqual(read(heads[1], labels), read(heads[0], labels));
      },
    ),
    { numRuns: 200 },
  );
});

test('batches of several series, in runs: the samples, chunks and log of one commit per sample', async () => {
  // Each batch: a few appendRows calls over three series, mostly in order (so runs are staged and
  // applied whole), sometimes repeating or going back; small chunks and blocks so that runs seal.
  // The reference head takes the same samples one per commit, so runs of one sample.
  const call = fc.record({
    series: fc.integer({ min: 0, max: 2 }),
    steps: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
        { weight: 1, arbitrary: fc.integer({ min: -4, max: 0 }) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(call, { maxLength: 6 }), { maxLength: 5 }), async (batches) => {
      // Each head's logged samples, as ref, t, value.
      const logged: number[][] = [[], []];
      const heads = [0, 1].map(
        (k) =>
          new Head({
            samplesPerChunk: 4,
            blockRangeMs: 20_000,
            // (No out-of-order window: within a batch, its bound counts only what is committed.)
            log: {
              write: (c: HeadCommit) => {
                for (let i = 0; i < c.n; i++) logged[k].push(c.refs[i], c.ts[i], c.values[i]);
                return Promise.resolve();
              },
            },
          }),
      );
      const names = [0, 1, 2].map((i) => L({ __name__: `s${i}` }));
      // Each series' timestamps move on by the call's steps (a step ≤ 0 goes back or repeats).
      const clock = [10_000, 10_000, 10_000];
      for (const batch of batches) {
        const many = heads[1].appender();
        for (const { series, steps } of batch) {
          const rows = new Float64Array(steps.map((step) => (clock[series] += step * 1000)));
          const values = new Float64Array(rows.map((t) => (t / 1000) % 7));
          for (let i = 0; i < rows.length; i++) {
            const one = heads[0].appender();
            one.append(one.series(names[series])!, rows[i], values[i]);
            await one.commit();
          }
          many.appendRows(many.series(names[series])!, rows, values, 0, rows.length);
        }
        await many.commit();
      }
      for (const labels of names) assert.deepEqual(read(heads[1], labels), read(heads[0], labels));
      // The chunks: a new one after 4 samples and at each block boundary, within runs too.
      const shape = (head: Head, labels: Labels) => {
        const s = head.appender().series(labels)!;
        const open = s.open !== undefined && s.open.numSamples > 0 ? [s.open.toChunk()] : [];
        return [...s.sealed, ...open].map((c) => [c.minT, c.maxT, c.numSamples]);
      };
      const expectedShape = (times: number[]) => {
        const chunks: number[][] = [];
        let end = 0;
        for (const t of times) {
          const last = chunks.at(-1);
          if (last === undefined || last[2] === 4 || t >= end) {
            chunks.push([t, t, 1]);
            end = (Math.floor(t / 20_000) + 1) * 20_000;
          } else {
            last[1] = t;
            last[2]++;
          }
        }
        return chunks;
      };
      for (const labels of names) {
        const times = read(heads[0], labels).map(([t]) => t);
        assert.deepEqual(shape(heads[1], labels), expectedShape(times));
        assert.deepEqual(shape(heads[0], labels), expectedShape(times));
      }
      assert.deepEqual(logged[1], logged[0]);
      assert.equal(heads[1].samplesAppended, heads[0].samplesAppended);
      assert.equal(heads[1].minT, heads[0].minT);
      assert.equal(heads[1].maxT, heads[0].maxT);
    }),
    { numRuns: 300 },
  );
});
