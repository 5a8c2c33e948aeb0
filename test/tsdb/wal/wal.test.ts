import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { encodeSamples, Wal } from '../../../src/tsdb/wal/index.ts';
import { commits, eventsOf } from './arbitraries.ts';
import { collector, memoryLogger, withDir } from './helpers.ts';

function replayEvents(dir: string, segmentBytes?: number) {
  const wal = Wal.open(dir, { fsync: 'never', segmentBytes });
  const c = collector();
  const stats = wal.replay(c.visitor);
  return { wal, events: c.events, stats };
}

function samplesRecord(first: number, n: number): Uint8Array {
  const refs = new Float64Array(n).fill(1);
  const ts = new Float64Array(n).map((_, i) => first + i);
  return encodeSamples(
    refs,
    ts,
    new Float64Array(n).map((_, i) => first + i),
    n,
  );
}

test('records logged across many small segments replay exactly, in order, bit for bit', async () => {
  await fc.assert(
    fc.asyncProperty(commits, fc.integer({ min: 64, max: 2048 }), async (batches, segmentBytes) => {
      await withDir(async (dir) => {
        const wal = Wal.open(dir, { fsync: 'never', segmentBytes });
        for (const batch of batches) await wal.commit(batch.map((r) => r.payload));
        await wal.close();
        const { wal: again, events, stats } = replayEvents(dir, segmentBytes);
        assert.deepEqual(events, eventsOf(batches.flat()));
        assert.equal(stats.records, batches.flat().length);
        assert.equal(stats.corruptions, 0);
        assert.equal(stats.bytesCut, 0);
        await again.close();
      });
    }),
    { numRuns: 60 },
  );
});

test('a commit never spans segments, and reopening always starts a fresh segment', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 100 });
    wal.log([samplesRecord(0, 2)]); // 12 + ~30 bytes
    wal.log([samplesRecord(2, 2), samplesRecord(4, 2)]); // does not fit with the first: new segment
    assert.deepEqual(wal.segmentRange(), { first: 1, last: 2 });
    wal.log([samplesRecord(6, 20)]); // larger than the limit: a segment of its own
    assert.deepEqual(wal.segmentRange(), { first: 1, last: 3 });
    await wal.close();

    const second = replayEvents(dir, 100);
    assert.equal(second.stats.samples, 26);
    second.wal.log([samplesRecord(26, 1)]);
    assert.deepEqual(second.wal.segmentRange(), { first: 1, last: 4 });
    await second.wal.close();

    const third = replayEvents(dir, 100);
    assert.deepEqual(
      third.events.map((e) => e[2]),
      Array.from({ length: 27 }, (_, i) => i),
    );
    assert.deepEqual(readdirSync(dir).sort(), ['00000001', '00000002', '00000003', '00000004']);
    await third.wal.close();
  });
});

test('cut, segmentRange, sizeBytes', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never' });
    assert.equal(wal.segmentRange(), null);
    assert.equal(wal.sizeBytes(), 0);
    assert.equal(wal.cut(), 1);
    assert.equal(wal.cut(), 1, 'an empty active segment is not cut again');
    const rec = samplesRecord(0, 3);
    wal.log([rec]);
    assert.equal(wal.sizeBytes(), rec.length + 12);
    assert.equal(wal.cut(), 2);
    wal.log([rec]);
    assert.deepEqual(wal.segmentRange(), { first: 1, last: 2 });
    assert.equal(wal.sizeBytes(), 2 * (rec.length + 12));
    await wal.close();
    assert.throws(() => wal.log([rec]), /closed/);
  });
});

test('replay is refused once something was logged', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never' });
    wal.log([samplesRecord(0, 1)]);
    assert.throws(() => wal.replay({}), /before anything is logged/);
    await wal.close();
  });
});

test("fsync 'always': commit resolves only after an fsync, and concurrent commits share fsyncs", async () => {
  await withDir(async (dir) => {
    let fsyncs = 0;
    const wal = Wal.open(dir, { fsync: 'always', onFsync: () => fsyncs++ });
    await wal.commit([samplesRecord(0, 1)]);
    assert.equal(fsyncs, 1);
    const commits = Array.from({ length: 50 }, (_, i) => wal.commit([samplesRecord(i, 1)]));
    let resolvedBeforeFsync = false;
    for (const c of commits)
      c.then(() => {
        if (fsyncs === 1) resolvedBeforeFsync = true;
      });
    await Promise.all(commits);
    assert.equal(resolvedBeforeFsync, false);
    assert.ok(fsyncs >= 2 && fsyncs <= 3, `${fsyncs} fsyncs for 50 concurrent commits`);
    await wal.close();
  });
});

test("fsync 'interval': a timer fsyncs dirty segments; 'never': only closing a segment does", async () => {
  await withDir(async (dir) => {
    let fsyncs = 0;
    const wal = Wal.open(dir, { fsync: 'interval', syncIntervalMs: 10, onFsync: () => fsyncs++ });
    await wal.commit([samplesRecord(0, 1)]);
    assert.equal(fsyncs, 0);
    await sleep(100);
    assert.equal(fsyncs, 1, 'one fsync, then nothing while clean');
    await wal.close();
  });
  await withDir(async (dir) => {
    const synced: number[] = [];
    const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 30, onFsync: (n) => synced.push(n) });
    await wal.commit([samplesRecord(0, 1)]);
    await sleep(20);
    assert.deepEqual(synced, []);
    await wal.commit([samplesRecord(1, 1)]); // rotates: segment 1 is fsynced as it closes
    await wal.sync();
    assert.deepEqual(synced.toSorted(), [1, 2]); // the two fsyncs run concurrently
    await wal.commit([samplesRecord(2, 1)]);
    await wal.close();
    assert.deepEqual(synced.toSorted(), [1, 2, 3]);
  });
});

test('records survive a process that never closes the WAL', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never' });
    wal.log([samplesRecord(0, 5)]);
    // No close, no sync: the write already reached the OS.
    const { events, wal: again } = replayEvents(dir);
    assert.equal(events.length, 5);
    await again.close();
    await wal.close();
  });
});

test('the WAL logs replay summaries through the injected logger', async () => {
  await withDir(async (dir) => {
    const logger = memoryLogger();
    const wal = Wal.open(dir, { fsync: 'never', logger });
    wal.replay({});
    assert.ok(logger.entries.some((e) => e.level === 'info' && e.msg.includes('replayed')));
    await wal.close();
  });
});
