import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../../src/model/staleness.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import type { DbOptions } from '../../../src/tsdb/db/options.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import { ROLLUP_LABEL } from '../../../src/tsdb/rollup/aggregate.ts';
import { dump, inTempDir } from '../../helpers/store.ts';

const HOUR = 3600_000;
const MIN = 60_000;
/** The test data lies in 2023; keep it from expiring against today's clock. */
const FOREVER = 100 * 365 * 24 * HOUR;

function tmp(): string {
  return fs.mkdtempSync(path.join(tmpdir(), 'telemux-db-'));
}

interface Logged {
  msg: string;
  obj: object;
}
function capture(): { logs: Logged[]; logger: NonNullable<DbOptions['logger']> } {
  const logs: Logged[] = [];
  const push = (obj: object, msg: string) => logs.push({ obj, msg });
  return { logs, logger: { info: push, warn: push, error: push } };
}

test('samples survive cutting into blocks, compaction, checkpoints and reopening, bit for bit', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          series: fc.integer({ min: 0, max: 6 }),
          step: fc.integer({ min: 1, max: 40 * MIN }),
          bits: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        }),
        { minLength: 1, maxLength: 300 },
      ),
      fc.integer({ min: 1, max: 50 }),
      async (ops, batch) => {
        const dir = tmp();
        const opts: DbOptions = {
          path: dir,
          blockRangeMs: 2 * HOUR,
          walSegmentBytes: 4096,
          rollups: [],
          retentionMs: FOREVER,
        };
        const expected = new Map<string, [number, bigint][]>();
        try {
          let db = TimeSeriesDb.open(opts);
          let t = 1_700_000_000_000;
          const dv = new DataView(new ArrayBuffer(8));
          let app = db.appender();
          let pending = 0;
          for (const op of ops) {
            t += op.step;
            const labels = Labels.from({ __name__: 'm', s: String(op.series) });
            dv.setBigUint64(0, op.bits);
            const v = dv.getFloat64(0);
            app.append(app.series(labels)!, t, v);
            const key = labels.toString();
            if (!expected.has(key)) expected.set(key, []);
            expected.get(key)!.push([t, float64Bits(v)]);
            if (++pending >= batch) {
              await app.commit();
              await db.maintain();
              app = db.appender();
              pending = 0;
            }
          }
          await app.commit();
          await db.maintain();
          assert.deepEqual(dump(db), expected);
          await db.close();
          db = TimeSeriesDb.open(opts);
          assert.deepEqual(dump(db), expected, 'after reopening');
          await db.maintain();
          assert.deepEqual(dump(db), expected, 'after maintenance on the reopened store');
          await db.close();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
    { numRuns: 40 },
  );
});

test('a torn WAL tail and a corrupt record in the middle are recovered from, with a logged message', async () => {
  const dir = tmp();
  try {
    let db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER });
    const labels = Labels.from({ __name__: 'x' });
    for (let i = 0; i < 30; i++) {
      const app = db.appender();
      app.append(app.series(labels)!, 1000 * (i + 1), i === 5 ? STALE_NAN : i);
      await app.commit();
    }
    await db.close();
    const walDir = path.join(dir, 'wal');
    const segment = fs
      .readdirSync(walDir)
      .filter((f) => /^\d+$/.test(f))
      .sort()
      .map((f) => path.join(walDir, f))
      .find((f) => fs.statSync(f).size > 0)!;
    const bytes = fs.readFileSync(segment);
    // Corrupt a byte in the middle of the segment and tear the last record in half.
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(segment, bytes.subarray(0, bytes.length - 7));
    const { logs, logger } = capture();
    db = TimeSeriesDb.open({ path: dir, rollups: [], logger, retentionMs: FOREVER });
    const rows = dump(db).get('x{}')!;
    assert.ok(rows.length >= 26 && rows.length < 30, `kept ${rows.length} of 30`);
    assert.ok(
      rows.some(([t, b]) => t === 6000 && b === 0x7ff0000000000002n) || rows.every(([t]) => t !== 6000),
    );
    const warnings = logs.filter((l) => /WAL|wal/.test(l.msg));
    assert.ok(warnings.length >= 2, `logged: ${JSON.stringify(logs.map((l) => l.msg))}`);
    // The store keeps working after recovery.
    const app = db.appender();
    app.append(app.series(labels)!, 100_000, 1);
    await app.commit();
    await db.close();
    db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER });
    assert.equal(dump(db).get('x{}')!.at(-1)![0], 100_000);
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('retention drops raw blocks; rollups outlive them and equal the raw aggregates', async () => {
  const dir = tmp();
  let now = 0;
  const opts: DbOptions = {
    path: dir,
    blockRangeMs: 2 * HOUR,
    retentionMs: 24 * HOUR,
    rollups: [
      { resolutionMs: 5 * MIN, retentionMs: 7 * 24 * HOUR },
      { resolutionMs: HOUR, retentionMs: 30 * 24 * HOUR },
    ],
    now: () => now,
  };
  try {
    const db = TimeSeriesDb.open(opts);
    const labels = Labels.from({ __name__: 'temp', room: 'a' });
    const start = 1_700_006_400_000; // a multiple of 2 h
    const raw: [number, number][] = [];
    for (let t = start; t < start + 12 * HOUR; t += 15_000) {
      const v = Math.round(Math.sin(t / 1e6) * 1000) / 10;
      raw.push([t, v]);
      const app = db.appender();
      app.append(app.series(labels)!, t, v);
      await app.commit();
      now = t;
      if (t % HOUR === 0) await db.maintain();
    }
    await db.maintain();
    assert.ok(db.blocks.length >= 1);
    // The 5-minute rollup of the first hour equals aggregates computed from the raw samples.
    const q = db.rollupQuerier(5 * MIN, start, start + HOUR - 1)!;
    const agg = new Map<string, Map<number, number>>();
    for (const s of q.select([Matcher.equal('__name__', 'temp')])) {
      const m = new Map<number, number>();
      const it = s.iterator();
      while (it.next()) m.set(it.t, it.v);
      agg.set(s.labels.get(ROLLUP_LABEL), m);
    }
    for (let b = start; b < start + HOUR; b += 5 * MIN) {
      const inBucket = raw.filter(([t]) => t >= b && t < b + 5 * MIN).map(([, v]) => v);
      assert.equal(agg.get('count')!.get(b), inBucket.length);
      assert.equal(agg.get('min')!.get(b), Math.min(...inBucket));
      assert.equal(agg.get('max')!.get(b), Math.max(...inBucket));
      assert.equal(
        agg.get('sum')!.get(b),
        inBucket.reduce((x, y) => x + y, 0),
      );
      assert.equal(agg.get('last')!.get(b), inBucket.at(-1));
    }
    // Three days later the raw blocks are gone, the rollups are not; a query over the old range
    // falls back to the rollup's `last` values.
    now = start + 3 * 24 * HOUR;
    await db.maintain();
    assert.equal(db.blocks.length, 0);
    const old = dump(db, start, start + 10 * HOUR).get('temp{room="a"}')!;
    assert.ok(old.length > 0, 'expired raw data is answered from rollups');
    assert.equal(old[0][0], start);
    assert.equal(old[1][0] - old[0][0], 5 * MIN, 'at the finest remaining resolution');
    // After the 5 m tier's retention only the hourly tier is left.
    now = start + 10 * 24 * HOUR;
    await db.maintain();
    const hourly = dump(db, start, start + 10 * HOUR).get('temp{room="a"}')!;
    assert.equal(hourly[1][0] - hourly[0][0], HOUR);
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('delete_series hides samples in the head and in blocks, also after reopening', async () => {
  const dir = tmp();
  const opts: DbOptions = { path: dir, blockRangeMs: 2 * HOUR, rollups: [], retentionMs: FOREVER };
  try {
    let db = TimeSeriesDb.open(opts);
    const a = Labels.from({ __name__: 'a' });
    const b = Labels.from({ __name__: 'b' });
    const start = 1_700_006_400_000;
    for (let t = start; t < start + 5 * HOUR; t += MIN) {
      const app = db.appender();
      app.append(app.series(a)!, t, 1);
      app.append(app.series(b)!, t, 2);
      await app.commit();
    }
    await db.maintain();
    assert.ok(db.blocks.length >= 1);
    await db.deleteSeries([Matcher.equal('__name__', 'a')], start + HOUR, start + 4 * HOUR);
    const check = (d: TimeSeriesDb) => {
      const rows = dump(d);
      assert.equal(rows.get('b{}')!.length, 300);
      assert.ok(rows.get('a{}')!.every(([t]) => t < start + HOUR || t > start + 4 * HOUR));
      assert.equal(rows.get('a{}')!.length, 300 - 181);
    };
    check(db);
    await db.close();
    db = TimeSeriesDb.open(opts);
    check(db);
    const name = await db.snapshot();
    const snap = path.join(dir, 'snapshots', name);
    assert.ok(fs.readdirSync(snap).length >= 2, 'blocks and the head in the snapshot');
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('size retention deletes the oldest blocks until blocks + WAL fit', async () => {
  const dir = tmp();
  try {
    const fill = async (db: TimeSeriesDb) => {
      const start = 1_700_006_400_000;
      for (let t = start; t < start + 24 * HOUR; t += MIN) {
        const app = db.appender();
        for (let s = 0; s < 20; s++)
          app.append(app.series(Labels.from({ __name__: 'm', s: String(s) }))!, t, Math.random());
        await app.commit();
      }
      await db.maintain();
    };
    let db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER });
    await fill(db);
    const all = db.blocks.length;
    const size = db.sizeBytes();
    assert.ok(all >= 3, `${all} blocks`);
    await db.close();
    const limit = size.wal + Math.floor(size.blocks / 2);
    db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER, retentionBytes: limit });
    const oldest = db.blocks[0].minT;
    await db.maintain();
    const after = db.sizeBytes();
    assert.ok(after.blocks + after.wal <= limit, `${after.blocks + after.wal} > ${limit}`);
    assert.ok(db.blocks.length < all && db.blocks.length > 0);
    assert.ok(db.blocks[0].minT > oldest, 'the oldest blocks went first');
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a query that selected a block still reads it after maintenance retires the block', async () => {
  const dir = tmp();
  let now = 0;
  try {
    const db = TimeSeriesDb.open({
      path: dir,
      blockRangeMs: 2 * HOUR,
      retentionMs: 24 * HOUR,
      rollups: [],
      now: () => now,
    });
    const labels = Labels.from({ __name__: 'temp', room: 'a' });
    const start = 1_700_006_400_000;
    for (let t = start; t < start + 6 * HOUR; t += 60_000) {
      const app = db.appender();
      app.append(app.series(labels)!, t, t / 1000);
      await app.commit();
      now = t;
    }
    await db.maintain();
    assert.ok(db.blocks.length >= 1, 'a block was cut');
    // A query selects (its chunks are read lazily), then maintenance deletes the expired blocks.
    const selected = db.querier(start, start + HOUR).select([]);
    now = start + 10 * 24 * HOUR;
    await db.maintain();
    assert.equal(db.blocks.length, 0, 'the blocks are retired');
    let read = 0;
    for (const s of selected) {
      const it = s.iterator();
      while (it.next()) read++;
    }
    assert.equal(read, 61, 'the first hour, both ends included, read from the retired block');
    assert.equal(dump(db, start, start + HOUR).size, 0, 'new queries no longer see it');
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('retired blocks stay open for retiredBlockGraceMs, and close after it', async () => {
  for (const graceMs of [0, 60_000]) {
    await inTempDir(async (dir) => {
      let now = 0;
      const db = TimeSeriesDb.open({
        path: dir,
        blockRangeMs: 2 * HOUR,
        retentionMs: 24 * HOUR,
        rollups: [],
        retiredBlockGraceMs: graceMs,
        now: () => now,
      });
      const start = 1_700_006_400_000;
      for (let t = start; t < start + 6 * HOUR; t += MIN) {
        const app = db.appender();
        app.append(app.series(Labels.from({ __name__: 'm' }))!, t, 1);
        await app.commit();
        now = t;
      }
      await db.maintain();
      const selected = db.querier(start, start + HOUR).select([]);
      now = start + 10 * 24 * HOUR;
      await db.maintain(); // retires the expired blocks
      await new Promise((resolve) => setTimeout(resolve, 5));
      await db.maintain(); // closes those past the grace period
      const read = () => {
        let n = 0;
        for (const s of selected) for (const it = s.iterator(); it.next(); ) n++;
        return n;
      };
      if (graceMs === 0) assert.throws(read, 'closed once the grace period is over');
      else assert.equal(read(), 61, 'still readable within it');
      await db.close();
    });
  }
});

test('delete_series over many series, replayed in log order: a sample written after the deletion survives a restart', () =>
  inTempDir(async (dir) => {
    const opts: DbOptions = { path: dir, rollups: [], retentionMs: FOREVER, outOfOrderWindowMs: 24 * HOUR };
    let db = TimeSeriesDb.open(opts);
    const start = 1_700_006_400_000;
    const series = Array.from({ length: 300 }, (_, i) => Labels.from({ __name__: 'm', i: String(i) }));
    for (let t = start; t < start + HOUR; t += MIN) {
      const app = db.appender();
      for (const l of series) app.append(app.series(l)!, t, 1);
      await app.commit();
    }
    assert.equal(
      await db.deleteSeries([Matcher.equal('__name__', 'm')], start + 10 * MIN, start + 20 * MIN),
      300,
    );
    // Out of order, into the deleted range, after the deletion: it stays.
    const app = db.appender();
    app.append(app.series(series[7])!, start + 15 * MIN + 1, 2);
    await app.commit();
    const check = (d: TimeSeriesDb, when: string) => {
      const rows = dump(d);
      assert.equal(rows.size, 300, when);
      for (const [key, r] of rows) {
        const inRange = r.filter(([t]) => t >= start + 10 * MIN && t <= start + 20 * MIN);
        assert.deepEqual(
          inRange.map(([t]) => t),
          key === series[7].toString() ? [start + 15 * MIN + 1] : [],
          `${when}: ${key}`,
        );
        assert.equal(r.length, 60 - 11 + inRange.length, `${when}: ${key}`);
      }
      assert.equal(d.head.minT, start, `${when}: the head's range`);
    };
    check(db, 'before the restart');
    await db.close();
    db = TimeSeriesDb.open(opts);
    check(db, 'after replaying the WAL');
    await db.close();
  }));
