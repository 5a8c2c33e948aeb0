// Maintenance whose jobs run elsewhere (a worker thread in the server): while a job is away, appends,
// queries, deletions and snapshots go on, and none of them may see a gap, lose a sample or miss a
// deletion. The runners here hold jobs back (until a later turn of the event loop, or a gate) to make
// those interleavings happen on purpose; the worker-thread runner itself is tested with the pool
// (offload.test.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits } from '../../../src/model/staleness.ts';
import { Block } from '../../../src/tsdb/block/block.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import {
  type MaintenanceJob,
  type MaintenanceRunner,
  runMaintenanceJob,
} from '../../../src/tsdb/db/maintenance-jobs.ts';
import type { DbOptions } from '../../../src/tsdb/db/options.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import { dump, inTempDir, reopenedDump } from '../../helpers/store.ts';

const HOUR = 3600_000;
const MIN = 60_000;
const FOREVER = 100 * 365 * 24 * HOUR;
const START = 1_700_006_400_000;

/** A runner that holds the answer to each job of the given kinds until `open()`; the others answer at once. */
function gated(kinds: readonly MaintenanceJob['kind'][]) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held: MaintenanceJob['kind'][] = [];
  let arrived!: () => void;
  const firstHeld = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // The job is done first, its answer held back: as a worker that read the files before whatever
  // the test does meanwhile.
  const runner: MaintenanceRunner = async (job) => {
    const result = runMaintenanceJob(job);
    if (kinds.includes(job.kind)) {
      held.push(job.kind);
      arrived();
      await gate;
    }
    return result;
  };
  return { runner, open, held, firstHeld };
}

async function appendMinutes(
  db: TimeSeriesDb,
  labels: readonly Labels[],
  from: number,
  to: number,
  value = 1,
) {
  for (let t = from; t < to; t += MIN) {
    const app = db.appender();
    for (const l of labels) app.append(app.series(l)!, t, value);
    await app.commit();
  }
}

/** Two-hour blocks, no rollups, nothing expires. */
function options(dir: string): DbOptions {
  return { path: dir, blockRangeMs: 2 * HOUR, rollups: [], retentionMs: FOREVER };
}

test('appends, queries and maintenance interleaved (jobs run a turn later): nothing is lost or doubled', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({ series: fc.integer({ min: 0, max: 4 }), step: fc.integer({ min: 1, max: 40 * MIN }) }),
        { minLength: 1, maxLength: 250 },
      ),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      (ops, batch, cutSlice, yieldTurns) =>
        inTempDir(async (dir) => {
          const opts: DbOptions = {
            ...options(dir),
            walSegmentBytes: 4096,
            rollups: [{ resolutionMs: 5 * MIN, retentionMs: FOREVER }],
            // A few series per slice: appends and queries land between the slices of a cut.
            cutSliceSeries: cutSlice,
          };
          const db = TimeSeriesDb.open(opts);
          db.offloadMaintenance(async (job) => {
            await new Promise((resolve) => setImmediate(resolve));
            return runMaintenanceJob(job);
          });
          const expected = new Map<string, [number, bigint][]>();
          const runs: Promise<void>[] = [];
          let t = START;
          let app = db.appender();
          let pending = 0;
          for (const [i, op] of ops.entries()) {
            t += op.step;
            const labels = Labels.from({ __name__: 'm', s: String(op.series) });
            app.append(app.series(labels)!, t, i);
            const key = labels.toString();
            if (!expected.has(key)) expected.set(key, []);
            expected.get(key)!.push([t, float64Bits(i)]);
            if (++pending >= batch) {
              await app.commit();
              // Not awaited: the next batch goes in while the jobs are away.
              runs.push(db.maintain());
              assert.deepEqual(dump(db), expected, 'every sample readable while maintenance runs');
              // Or let maintenance take a step (a slice of the cut, a job's answer) before the next batch.
              if (yieldTurns) await new Promise((resolve) => setImmediate(resolve));
              app = db.appender();
              pending = 0;
            }
          }
          await app.commit();
          await Promise.all(runs);
          await db.maintain();
          assert.deepEqual(dump(db), expected);
          assert.deepEqual(await reopenedDump(db, opts), expected, 'after reopening');
        }),
    ),
    { numRuns: 40 },
  );
});

test('while a cut block is being written, its series stay readable, deletable and in snapshots', () =>
  inTempDir(async (dir) => {
    const db = TimeSeriesDb.open(options(dir));
    const gate = gated(['block']);
    db.offloadMaintenance(gate.runner);
    const a = Labels.from({ __name__: 'a' });
    const b = Labels.from({ __name__: 'b' });
    await appendMinutes(db, [a, b], START, START + 4 * HOUR);
    const before = dump(db);
    const run = db.maintain();
    await gate.firstHeld;
    assert.ok(db.maintaining);
    assert.equal(db.blocks.length, 0, 'the block is not in place yet');
    assert.deepEqual(dump(db), before, 'the cut series are read from memory meantime');
    assert.deepEqual(
      db.querier(START, START + HOUR).labelValues('__name__'),
      ['a', 'b'],
      'label values of cut series too',
    );
    // Appends go on (after the cut range), a deletion reaches into the cut range.
    await appendMinutes(db, [a, b], START + 4 * HOUR, START + 4 * HOUR + 10 * MIN);
    await db.deleteSeries([Matcher.equal('__name__', 'a')], START + 30 * MIN, START + 90 * MIN);
    const hidden = (rows: [number, bigint][]) =>
      rows.filter(([t]) => t >= START + 30 * MIN && t <= START + 90 * MIN).length;
    assert.equal(hidden(dump(db).get('a{}')!), 0, 'the deletion hides cut samples at once');
    // Taken now (its own block job is answered once the gate opens, like the cut's).
    const snapshot = db.snapshot();
    gate.open();
    await run;
    const name = await snapshot;
    assert.ok(db.blocks.length >= 1, 'the block is in place');
    const after = dump(db);
    assert.equal(hidden(after.get('a{}')!), 0, 'and the written block has the deletion');
    assert.equal(after.get('a{}')!.length, 4 * 60 + 10 - 61);
    assert.equal(after.get('b{}')!.length, 4 * 60 + 10);
    assert.deepEqual(await reopenedDump(db, options(dir)), after, 'after reopening');
    // The snapshot has the cut series as a block of their own, deletion included.
    const snap = path.join(dir, 'snapshots', name);
    const counted = new Map<string, number>();
    for (const id of fs.readdirSync(snap)) {
      const block = Block.open(path.join(snap, id));
      for (const s of block.select([], 0, Number.MAX_SAFE_INTEGER)) {
        let n = 0;
        for (const c of s.chunks) {
          const it = c.chunk().iterator();
          while (it.next()) if (!(s.deleted ?? []).some((r) => it.t >= r.minT && it.t <= r.maxT)) n++;
        }
        counted.set(s.labels.metricName, (counted.get(s.labels.metricName) ?? 0) + n);
      }
      block.close();
    }
    assert.equal(counted.get('a'), 4 * 60 + 10 - 61, 'snapshot: every sample of a but the deleted ones');
    assert.equal(counted.get('b'), 4 * 60 + 10, 'snapshot: every sample of b');
  }));

test('a failed cut job loses nothing: its series stay readable and the next run writes them', () =>
  inTempDir(async (dir) => {
    let fail = true;
    const open = () => {
      const db = TimeSeriesDb.open(options(dir));
      db.offloadMaintenance(async (job) => {
        if (fail && job.kind === 'block') throw new Error('worker died');
        return runMaintenanceJob(job);
      });
      return db;
    };
    let db = open();
    const m = Labels.from({ __name__: 'm' });
    await appendMinutes(db, [m], START, START + 4 * HOUR);
    const all = dump(db);
    await assert.rejects(db.maintain(), /worker died/);
    assert.equal(db.maintaining, false);
    assert.deepEqual(dump(db), all, 'nothing lost while the block is unwritten');
    // A restart now replays the WAL, which no checkpoint has trimmed.
    assert.deepEqual(await reopenedDump(db, options(dir)), all, 'after a restart with the block unwritten');
    db = open();
    await assert.rejects(db.maintain(), /worker died/);
    await appendMinutes(db, [m], START + 4 * HOUR, START + 5 * HOUR);
    fail = false;
    await db.maintain();
    assert.ok(db.blocks.length >= 1, 'written on the next run');
    const later = dump(db);
    assert.equal(later.get('m{}')!.length, 5 * 60);
    assert.deepEqual(await reopenedDump(db, options(dir)), later, 'after reopening');
  }));

test('a deletion while blocks are being compacted reaches the compacted block', () =>
  inTempDir(async (dir) => {
    const db = TimeSeriesDb.open(options(dir));
    const m = Labels.from({ __name__: 'm' });
    // A day boundary is a multiple of 6 h: the first three 2 h blocks compact into one 6 h block.
    const day = Math.ceil(START / (24 * HOUR)) * 24 * HOUR;
    // The run cuts 2 h blocks (not held), then compacts the first three: that job's answer is held.
    const gate = gated(['compact']);
    db.offloadMaintenance(gate.runner);
    await appendMinutes(db, [m], day, day + 14 * HOUR);
    const run = db.maintain();
    await gate.firstHeld;
    await db.deleteSeries([Matcher.equal('__name__', 'm')], day + HOUR, day + 2 * HOUR - 1);
    gate.open();
    await run;
    assert.ok(
      db.blocks.some((b) => b.maxT - b.minT > 2 * HOUR),
      'a compacted block',
    );
    const rows = dump(db).get('m{}')!;
    assert.equal(rows.filter(([t]) => t >= day + HOUR && t < day + 2 * HOUR).length, 0);
    assert.equal(rows.length, 14 * 60 - 60);
    assert.equal((await reopenedDump(db, options(dir))).get('m{}')!.length, 14 * 60 - 60, 'after reopening');
  }));

test('close() waits for the job in flight and the store reopens whole', () =>
  inTempDir(async (dir) => {
    const db = TimeSeriesDb.open(options(dir));
    const gate = gated(['block']);
    db.offloadMaintenance(gate.runner);
    const m = Labels.from({ __name__: 'm' });
    await appendMinutes(db, [m], START, START + 4 * HOUR);
    const all = dump(db);
    void db.maintain();
    await gate.firstHeld;
    let closed = false;
    const closing = db.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(closed, false, 'close waits for the job');
    gate.open();
    await closing;
    const again = TimeSeriesDb.open(options(dir));
    assert.deepEqual(dump(again), all);
    await again.close();
  }));

test('blocks a failed job wrote, whole or half, are removed: no orphan block after the retry', () =>
  inTempDir(async (dir) => {
    const opts: DbOptions = { ...options(dir), rollups: [{ resolutionMs: 5 * MIN, retentionMs: FOREVER }] };
    const db = TimeSeriesDb.open(opts);
    let fail = true;
    // As a worker that dies after its files are in place, before it can answer.
    db.offloadMaintenance(async (job) => {
      const result = runMaintenanceJob(job);
      if (fail && job.kind === 'block') throw new Error('worker died after writing');
      return result;
    });
    const m = Labels.from({ __name__: 'm' });
    await appendMinutes(db, [m], START, START + 4 * HOUR);
    const all = dump(db);
    await assert.rejects(db.maintain(), /worker died/);
    const blockDirs = () => fs.readdirSync(path.join(dir, 'blocks'));
    const rollupDirs = () => fs.readdirSync(path.join(dir, 'rollups', '5m'));
    assert.deepEqual(blockDirs(), [], 'the raw block written by the failed job is gone');
    assert.deepEqual(rollupDirs(), [], 'and its rollup block');
    fail = false;
    await db.maintain();
    assert.equal(blockDirs().length, db.blocks.length, 'only the blocks in use are on disk');
    assert.equal(rollupDirs().length, 1);
    assert.deepEqual(await reopenedDump(db, opts), all);
  }));

test('a snapshot whose block job fails leaves nothing behind', () =>
  inTempDir(async (dir) => {
    const db = TimeSeriesDb.open(options(dir));
    await appendMinutes(db, [Labels.from({ __name__: 'm' })], START, START + HOUR);
    db.offloadMaintenance(async (job) => {
      const result = runMaintenanceJob(job);
      throw new Error(`disk full after writing ${result.block?.id}`);
    });
    await assert.rejects(db.snapshot(), /disk full/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'snapshots')), []);
    await db.close();
  }));
