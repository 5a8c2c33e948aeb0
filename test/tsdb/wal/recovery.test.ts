import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import { encodeSamples, Wal } from '../../../src/tsdb/wal/index.ts';
import { anyRecord, eventsOf, type GenRecord } from './arbitraries.ts';
import { collector, memoryLogger, withDir } from './helpers.ts';

const HEADER = 12;

/** Logs each record as its own commit into one segment; returns each frame's start offset. */
async function writeOneSegment(dir: string, records: readonly GenRecord[]): Promise<number[]> {
  const wal = Wal.open(dir, { fsync: 'never' });
  const offsets: number[] = [];
  let off = 0;
  for (const r of records) {
    offsets.push(off);
    wal.log([r.payload]);
    off += HEADER + r.payload.length;
  }
  await wal.close();
  return offsets;
}

async function replay(dir: string) {
  const logger = memoryLogger();
  const wal = Wal.open(dir, { fsync: 'never', logger });
  const c = collector();
  const stats = wal.replay(c.visitor);
  return { wal, logger, events: c.events, stats };
}

function marker(i: number): GenRecord {
  const payload = encodeSamples([i], [i], new Float64Array([i]), 1);
  return { payload, events: [['sample', i, i, hiBits(i), loBits(i)]] };
}

const segment = (dir: string) => join(dir, '00000001');

test('a torn tail is cut at the last good record, at every byte of the last frame, and zero-filled', async () => {
  const records = [
    marker(1),
    marker(2),
    { payload: encodeSamples([9, 9], [5, 6], new Float64Array(2), 2), events: [] },
  ];
  await withDir(async (dir) => {
    const offsets = await writeOneSegment(dir, records);
    const whole = readFileSync(segment(dir));
    const lastStart = offsets[2];
    for (let cut = lastStart; cut < whole.length; cut++) {
      for (const zeros of [0, 1, 64]) {
        const torn = Buffer.concat([whole.subarray(0, cut), Buffer.alloc(zeros)]);
        writeFileSync(segment(dir), torn);
        const first = await replay(dir);
        assert.deepEqual(first.events, eventsOf(records.slice(0, 2)), `cut at ${cut}, ${zeros} zeros`);
        const damaged = torn.length > lastStart;
        assert.equal(first.logger.warnings().length, damaged ? 1 : 0);
        if (damaged) {
          const w = first.logger.warnings()[0];
          assert.deepEqual([w.obj.segment, w.obj.offset], ['00000001', lastStart]);
          assert.equal(first.stats.bytesCut, torn.length - lastStart);
        }
        assert.equal(statSync(segment(dir)).size, lastStart, 'the damaged tail is truncated on disk');
        // Appends after the reopen go to a new segment and replay too.
        first.wal.log([marker(3).payload]);
        await first.wal.close();
        const second = await replay(dir);
        assert.deepEqual(second.events, eventsOf([marker(1), marker(2), marker(3)]));
        assert.equal(second.logger.warnings().length, 0);
        await second.wal.close();
        // Reset for the next round.
        writeFileSync(segment(dir), whole);
        for (const name of readdirSync(dir)) if (name !== '00000001') rmSync(join(dir, name));
      }
    }
  });
});

test('a corrupt record in the middle is skipped; every other record is recovered', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(anyRecord, { minLength: 1, maxLength: 12 }),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      fc.boolean(),
      async (records, pick, at, xor, inHeader) => {
        await withDir(async (dir) => {
          const offsets = await writeOneSegment(dir, records);
          const k = pick % records.length;
          const bytes = readFileSync(segment(dir));
          const size = inHeader ? HEADER : records[k].payload.length;
          const pos = offsets[k] + (inHeader ? 0 : HEADER) + (at % size);
          bytes[pos] ^= xor;
          writeFileSync(segment(dir), bytes);
          const r = await replay(dir);
          assert.deepEqual(r.events, eventsOf(records.filter((_, i) => i !== k)));
          const warnings = r.logger.warnings();
          assert.equal(warnings.length, 1);
          assert.equal(warnings[0].obj.offset, offsets[k]);
          assert.equal(warnings[0].obj.segment, '00000001');
          assert.equal(r.stats.corruptions + (r.stats.bytesCut > 0 ? 1 : 0), 1);
          await r.wal.close();
        });
      },
    ),
    { numRuns: 150 },
  );
});

test('several damaged regions in one segment each cost only their own records', async () => {
  await withDir(async (dir) => {
    const records = Array.from({ length: 10 }, (_, i) => marker(i));
    const offsets = await writeOneSegment(dir, records);
    const bytes = readFileSync(segment(dir));
    for (const k of [2, 3, 7]) bytes[offsets[k] + HEADER + 3] ^= 0xff;
    bytes.fill(0, offsets[5], offsets[5] + HEADER); // a zeroed header in the middle
    writeFileSync(segment(dir), bytes);
    const r = await replay(dir);
    assert.deepEqual(r.events, eventsOf(records.filter((_, i) => ![2, 3, 5, 7].includes(i))));
    assert.equal(r.stats.corruptions, 3); // 2–3 are one region
    await r.wal.close();
  });
});

test('a garbage segment is harmless', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (garbage) => {
      await withDir(async (dir) => {
        writeFileSync(segment(dir), garbage);
        const r = await replay(dir);
        assert.equal(r.stats.corruptions + r.stats.records >= 0, true);
        await r.wal.close();
      });
    }),
    { numRuns: 100 },
  );
});
