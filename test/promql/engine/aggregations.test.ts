import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { PromqlEvalError } from '../../../src/promql/errors.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, samples, vectorRecord } from '../helpers/results.ts';

const M = 60_000;

function requests(): MemoryStore {
  const s = new MemoryStore();
  let k = 1;
  for (const job of ['api', 'app'])
    for (const group of ['canary', 'production'])
      for (const instance of ['0', '1'])
        s.load({ __name__: 'req', job, group, instance }, `0+${10 * k++}x10`, 5 * M);
  return s;
}

describe('aggregation operators', () => {
  const engine = new PromqlEngine();
  const store = requests();
  const at = 50 * M;

  it('groups by and without labels', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'sum by (job) (req)', at)), {
      '{job="api"}': 1000,
      '{job="app"}': 2600,
    });
    assert.deepEqual(
      vectorRecord(await engine.instantQuery(store, 'sum without (instance, group) (req)', at)),
      {
        '{job="api"}': 1000,
        '{job="app"}': 2600,
      },
    );
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'count by (nonexistent) (req)', at)), {
      '{}': 8,
    });
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'sum by (__name__) (req)', at)), {
      'req{}': 3600,
    });
  });

  it('computes avg, min, max, group, stddev, stdvar and quantile', async () => {
    const q = async (e: string) => vectorRecord(await engine.instantQuery(store, e, at))['{}'];
    assert.equal(await q('avg(req)'), 450);
    assert.equal(await q('min(req)'), 100);
    assert.equal(await q('max(req)'), 800);
    assert.equal(await q('group(req)'), 1);
    assert.equal(await q('stdvar(req)'), 52500);
    assert.ok(Math.abs((await q('stddev(req)')) - 229.12878474779) < 1e-9);
    assert.equal(await q('quantile(0.5, req)'), 450);
  });

  it('handles NaN and infinities like Prometheus', async () => {
    const s = new MemoryStore()
      .add({ __name__: 'n', i: '1' }, [[0, 1]])
      .add({ __name__: 'n', i: '2' }, [[0, Number.NaN]])
      .add({ __name__: 'n', i: '3' }, [[0, 3]]);
    const q = async (e: string) => vectorRecord(await engine.instantQuery(s, e, 0))['{}'];
    assert.equal(await q('max(n)'), 3);
    assert.equal(await q('min(n)'), 1);
    assert.ok(Number.isNaN(await q('sum(n)')));
    const big = new MemoryStore()
      .add({ __name__: 'b', i: '1' }, [[0, Number.MAX_VALUE]])
      .add({ __name__: 'b', i: '2' }, [[0, Number.MAX_VALUE]]);
    // The running sum would overflow; avg switches to an incremental mean.
    assert.equal(vectorRecord(await engine.instantQuery(big, 'avg(b)', 0))['{}'], Number.MAX_VALUE);
    assert.equal(vectorRecord(await engine.instantQuery(big, 'sum(b)', 0))['{}'], Number.POSITIVE_INFINITY);
  });

  it('sums with Kahan compensation', async () => {
    const s = new MemoryStore()
      .add({ __name__: 'k', i: '1' }, [[0, 1]])
      .add({ __name__: 'k', i: '2' }, [[0, 1e100]])
      .add({ __name__: 'k', i: '3' }, [[0, 1]])
      .add({ __name__: 'k', i: '4' }, [[0, -1e100]]);
    assert.equal(vectorRecord(await engine.instantQuery(s, 'sum(k)', 0))['{}'], 2);
  });

  it('keeps input labels in topk/bottomk order, NaN last, and ties to the first seen', async () => {
    assert.deepEqual(samples(await engine.instantQuery(store, 'topk(3, req)', at)), [
      ['req{group="production", instance="1", job="app"}', 800],
      ['req{group="production", instance="0", job="app"}', 700],
      ['req{group="canary", instance="1", job="app"}', 600],
    ]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'bottomk(2, req)', at)), [
      ['req{group="canary", instance="0", job="api"}', 100],
      ['req{group="canary", instance="1", job="api"}', 200],
    ]);
    const s = new MemoryStore()
      .add({ __name__: 't', i: 'a' }, [[0, Number.NaN]])
      .add({ __name__: 't', i: 'b' }, [[0, 1]])
      .add({ __name__: 't', i: 'c' }, [[0, 1]]);
    assert.deepEqual(
      samples(await engine.instantQuery(s, 'topk(3, t)', 0)).map(([l]) => l),
      ['t{i="b"}', 't{i="c"}', 't{i="a"}'],
    );
    assert.deepEqual(samples(await engine.instantQuery(s, 'topk(1, t{i!="a"})', 0)), [['t{i="b"}', 1]]);
  });

  it('picks per step in a range query and reads k at every step', async () => {
    const s = new MemoryStore()
      .load({ __name__: 'v', i: '1' }, '1 5', M)
      .load({ __name__: 'v', i: '2' }, '2 4', M)
      .load({ __name__: 'k' }, '1 2', M);
    assert.deepEqual(matrixRecord(await engine.rangeQuery(s, 'topk(scalar(k), v)', 0, M, M)), {
      'v{i="1"}': [[M, 5]],
      'v{i="2"}': [
        [0, 2],
        [M, 4],
      ],
    });
  });

  it('rejects a NaN k and an out-of-range ratio as Prometheus does', async () => {
    await assert.rejects(engine.instantQuery(store, 'topk(NaN, req)', at), {
      name: 'Error',
      message: 'Parameter value is NaN',
    });
    await assert.rejects(engine.instantQuery(store, 'limit_ratio(NaN, req)', at), PromqlEvalError);
    const r = await engine.instantQuery(store, 'count(limit_ratio(1.5, req))', at);
    assert.deepEqual(r.warnings, [
      'PromQL warning: ratio value should be between -1 and 1, got 1.5, capping to 1 (1:19)',
    ]);
    assert.deepEqual(vectorRecord(r), { '{}': 8 });
  });

  it('limit_ratio(r) and limit_ratio(r - 1) split the series between them', async () => {
    for (const r of [0.1, 0.3, 0.5, 0.77]) {
      const both = vectorRecord(
        await engine.instantQuery(store, `count(limit_ratio(${r}, req) and limit_ratio(${r - 1}, req))`, at),
      );
      const either = vectorRecord(
        await engine.instantQuery(store, `count(limit_ratio(${r}, req) or limit_ratio(${r - 1}, req))`, at),
      );
      assert.deepEqual(both, {}, `r=${r}`);
      assert.deepEqual(either, { '{}': 8 }, `r=${r}`);
    }
  });

  it('takes limitk series in input order', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'limitk by (job) (1, req)', at)), {
      'req{group="canary", instance="0", job="api"}': 100,
      'req{group="canary", instance="0", job="app"}': 500,
    });
  });

  it('counts values into a label spelled as Go formats floats', async () => {
    const s = new MemoryStore()
      .add({ __name__: 'ver', i: '1' }, [[0, 6]])
      .add({ __name__: 'ver', i: '2' }, [[0, 6]])
      .add({ __name__: 'ver', i: '3' }, [[0, 1e21]])
      .add({ __name__: 'ver', i: '4' }, [[0, 1e-7]]);
    assert.deepEqual(vectorRecord(await engine.instantQuery(s, 'count_values("v", ver)', 0)), {
      '{v="6"}': 2,
      '{v="1000000000000000000000"}': 1,
      '{v="0.0000001"}': 1,
    });
    await assert.rejects(engine.instantQuery(s, 'count_values("", ver)', 0), {
      message: 'invalid label name ""',
    });
  });

  it('quantile warns about φ outside [0, 1] at the parameter', async () => {
    const r = await engine.instantQuery(store, 'quantile(1.5, req)', at);
    assert.deepEqual(r.warnings, [
      'PromQL warning: quantile value should be between 0 and 1, got 1.5 (1:10)',
    ]);
    assert.deepEqual(vectorRecord(r), { '{}': Number.POSITIVE_INFINITY });
  });

  it('sum by equals a brute-force sum over generated series (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            a: fc.constantFrom('x', 'y', 'z'),
            b: fc.constantFrom('1', '2'),
            values: fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), {
              minLength: 6,
              maxLength: 6,
            }),
          }),
          { maxLength: 8 },
        ),
        async (series) => {
          const s = new MemoryStore();
          const seen = new Set<string>();
          let n = 0;
          for (const x of series) {
            const id = String(n++);
            if (seen.has(id)) continue;
            seen.add(id);
            const pts = x.values.flatMap((v, i) => (v === undefined ? [] : [[i * M, v] as [number, number]]));
            s.add({ __name__: 'g', a: x.a, b: x.b, id }, pts);
          }
          const got = matrixRecord(await engine.rangeQuery(s, 'sum by (a) (g)', 0, 5 * M, M));
          const want: Record<string, [number, number][]> = {};
          for (const a of ['x', 'y', 'z']) {
            const pts: [number, number][] = [];
            for (let i = 0; i < 6; i++) {
              // A sample is visible for the lookback (5 m) after it: the newest one at or before i.
              let sum = 0;
              let any = false;
              for (const x of series) {
                if (x.a !== a) continue;
                let last: number | undefined;
                for (let j = 0; j <= i; j++) if (x.values[j] !== undefined && i - j < 5) last = x.values[j];
                if (last !== undefined) {
                  sum += last;
                  any = true;
                }
              }
              if (any) pts.push([i * M, sum]);
            }
            if (pts.length > 0) want[`{a="${a}"}`] = pts;
          }
          assert.deepEqual(got, want);
        },
      ),
      { numRuns: 60 },
    );
  });
});
