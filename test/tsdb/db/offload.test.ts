// The store's maintenance and chunk recoding in a worker pool's threads, as the server runs
// them: blocks, rollups and WAL checkpoints are written by a worker, and the store reads the same
// samples before, after, and after reopening without workers.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { offloadChunkRecoding, offloadMaintenance } from '../../../src/tsdb/db/offload.ts';
import type { DbOptions } from '../../../src/tsdb/db/options.ts';
import { WorkerPool } from '../../../src/workers/pool.ts';
import { dump, inTempDir, reopenedDump } from '../../helpers/store.ts';

const HOUR = 3600_000;
const MIN = 60_000;
const FOREVER = 100 * 365 * 24 * HOUR;
const START = Math.ceil(1_700_000_000_000 / (24 * HOUR)) * 24 * HOUR;

async function fill(db: TimeSeriesDb, hours: number): Promise<void> {
  const series = Array.from({ length: 50 }, (_, i) => Labels.from({ __name__: 'temp', sensor: String(i) }));
  for (let t = START; t < START + hours * HOUR; t += MIN) {
    const app = db.appender();
    // Decimal values with two places: the recoder's choice and the block's re-encoding both matter.
    for (const [i, l] of series.entries())
      app.append(app.series(l)!, t, Math.round(((t / MIN) % 97) * 100 + i) / 100);
    await app.commit();
  }
}

test('maintenance in a worker thread: blocks, rollups and checkpoints written there, every sample kept', () =>
  inTempDir(async (dir) => {
    const opts: DbOptions = {
      path: dir,
      blockRangeMs: 2 * HOUR,
      retentionMs: FOREVER,
      rollups: [{ resolutionMs: 5 * MIN, retentionMs: FOREVER }],
    };
    const pool = new WorkerPool({ size: 1 });
    try {
      const db = TimeSeriesDb.open(opts);
      offloadChunkRecoding(pool, db.head);
      offloadMaintenance(pool, db);
      await fill(db, 14);
      const expected = dump(db);
      await db.maintain();
      assert.ok(pool.running >= 1, 'the jobs ran in a worker');
      assert.ok(db.blocks.length >= 2, `${db.blocks.length} blocks`);
      assert.ok(
        db.blocks.some((b) => b.maxT - b.minT >= 6 * HOUR - 1),
        'three 2 h blocks were compacted into one',
      );
      const rollup = db.rollupQuerier(5 * MIN, START, START + 14 * HOUR)!;
      assert.equal(rollup.select([]).length, 50 * 5, 'every series rolled up (min, max, sum, count, last)');
      assert.ok(
        fs.readdirSync(path.join(dir, 'wal')).some((name) => /^checkpoint\.\d+$/.test(name)),
        'a WAL checkpoint',
      );
      assert.deepEqual(dump(db), expected);
      // A snapshot: the blocks linked, the head written as one more block by the worker.
      const name = await db.snapshot();
      const snapshot = TimeSeriesDb.open({ ...opts, path: path.join(dir, 'snap-open') });
      await snapshot.close();
      fs.renameSync(path.join(dir, 'snapshots', name), path.join(dir, 'snap-open', 'blocks'));
      const fromSnapshot = TimeSeriesDb.open({ ...opts, path: path.join(dir, 'snap-open') });
      assert.deepEqual(dump(fromSnapshot), expected, 'a store opened on the snapshot holds every sample');
      await fromSnapshot.close();
      assert.deepEqual(await reopenedDump(db, opts), expected, 'reopened, without workers');
    } finally {
      await pool.close();
    }
  }));

test('workers stopped while maintenance is in flight: the store closes and reopens whole', () =>
  inTempDir(async (dir) => {
    const opts: DbOptions = { path: dir, blockRangeMs: 2 * HOUR, retentionMs: FOREVER, rollups: [] };
    const pool = new WorkerPool({ size: 1 });
    const db = TimeSeriesDb.open(opts);
    offloadMaintenance(pool, db);
    await fill(db, 8);
    const expected = dump(db);
    // As the server shuts down: the workers stop first (the run fails, or was quick enough), then the store.
    const run = db.maintain().catch((err: Error) => err);
    await pool.close();
    await run;
    assert.deepEqual(dump(db), expected, 'readable whatever the run did');
    await db.close();
    const again = TimeSeriesDb.open(opts);
    assert.deepEqual(dump(again), expected);
    await again.maintain();
    assert.deepEqual(dump(again), expected, 'and maintained in this thread afterwards');
    await again.close();
  }));
