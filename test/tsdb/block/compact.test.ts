import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { Block, BlockWriteError, compactBlocks, writeBlock } from '../../../src/tsdb/block/index.ts';
import { encodeChunk } from '../../../src/tsdb/chunk/encode.ts';
import {
  anyMatcher,
  anyModel,
  assertSelect,
  bruteLabelNames,
  deleteFromModel,
  expected,
  type ModelSeries,
  modelMaxT,
  tempDir,
  toBlockSeries,
} from './helpers.ts';

/** Writes the model as blocks split at `cuts` (time boundaries), each with its own chunk size. */
function writeSplit(dir: string, model: readonly ModelSeries[], cuts: number[], chunkSize: number): Block[] {
  const maxT = modelMaxT(model);
  const bounds = [...new Set([0, ...cuts.filter((c) => c > 0 && c <= maxT), maxT + 1])].sort((a, b) => a - b);
  const blocks: Block[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i];
    const hi = bounds[i + 1] - 1;
    const meta = writeBlock(dir, { series: toBlockSeries(model, lo, hi, chunkSize), minT: lo, maxT: hi });
    blocks.push(Block.open(path.join(dir, meta.id)));
  }
  return blocks;
}

const deletes = fc.array(
  fc.tuple(fc.array(anyMatcher, { maxLength: 2 }), fc.nat({ max: 2_500_000 }), fc.nat({ max: 300_000 })),
  { maxLength: 3 },
);

test('blocks split by time, with deletes, compact into one block holding exactly the surviving samples', (t) => {
  const dir = tempDir(t);
  fc.assert(
    fc.property(
      anyModel,
      fc.array(fc.nat({ max: 2_500_000 }), { maxLength: 4 }),
      fc.integer({ min: 1, max: 150 }),
      deletes,
      fc.array(fc.tuple(fc.nat({ max: 2_500_000 }), fc.nat({ max: 2_500_000 })), { maxLength: 3 }),
      (model, cuts, chunkSize, dels, ranges) => {
        const blocks = writeSplit(dir, model, cuts, chunkSize);
        let want: readonly ModelSeries[] = model;
        for (const [ms, from, len] of dels) {
          for (const b of blocks) b.delete(ms, from, from + len);
          want = deleteFromModel(want, ms, from, from + len);
        }
        const maxT = modelMaxT(model);
        // Before compaction: every block hides its deleted samples; together they hold `want`.
        for (const b of blocks) assertSelect(b, [], b.minT, b.maxT, expected(want, [], b.minT, b.maxT));

        const meta = compactBlocks(dir, blocks);
        for (const b of blocks) b.close();
        const merged = Block.open(path.join(dir, meta.id));
        try {
          const survivors = want.filter((s) => s.ts.length > 0);
          assert.equal(meta.level, 2);
          assert.deepEqual(meta.sources, blocks.flatMap((b) => b.meta.sources).sort());
          assert.equal(meta.minT, 0);
          assert.equal(meta.maxT, maxT);
          assert.equal(meta.stats.numSeries, survivors.length);
          assert.equal(
            meta.stats.numSamples,
            survivors.reduce((n, s) => n + s.ts.length, 0),
          );
          assertSelect(merged, [], 0, maxT, expected(want, [], 0, maxT));
          for (const [a, b] of ranges) {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            assertSelect(merged, [], lo, hi, expected(want, [], lo, hi));
          }
          // Deleted samples are gone physically: no tombstones are carried over.
          for (const s of merged.select([], 0, maxT)) assert.equal(s.deleted, undefined);
          assert.deepEqual(merged.labelNames(), bruteLabelNames(survivors, []));
        } finally {
          merged.close();
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('overlapping blocks merge sample by sample; the later block wins on a repeated timestamp', (t) => {
  const dir = tempDir(t);
  fc.assert(
    fc.property(
      anyModel,
      anyModel,
      fc.integer({ min: 1, max: 150 }),
      fc.nat(3),
      (first, third, chunkSize, k) => {
        // The second block repeats some of the first block's timestamps with other values.
        const second = first.map((s) => {
          const keep = [...s.ts.keys()].filter((i) => i % 4 !== k);
          return {
            labels: s.labels,
            ts: Float64Array.from(keep, (i) => s.ts[i]),
            vs: Float64Array.from(keep, (i) => i + 0.5),
          };
        });
        const maxT = Math.max(modelMaxT(first), modelMaxT(third));
        const open = (m: readonly ModelSeries[]) =>
          Block.open(
            path.join(
              dir,
              writeBlock(dir, { series: toBlockSeries(m, 0, maxT, chunkSize), minT: 0, maxT }).id,
            ),
          );
        const blocks = [first, second, third].map(open);
        const meta = compactBlocks(dir, blocks, { samplesPerChunk: 120 });
        for (const b of blocks) b.close();
        // Model: per label set, t → where its value is, a later block overwriting an earlier one.
        // Values stay in their Float64Arrays: a Map of numbers might canonicalise NaN payloads.
        const byKey = new Map<string, { labels: Labels; samples: Map<number, [Float64Array, number]> }>();
        for (const m of [first, second, third]) {
          for (const s of m) {
            let e = byKey.get(s.labels.key);
            if (e === undefined) {
              e = { labels: s.labels, samples: new Map() };
              byKey.set(s.labels.key, e);
            }
            for (let i = 0; i < s.ts.length; i++) e.samples.set(s.ts[i], [s.vs, i]);
          }
        }
        const want: ModelSeries[] = [...byKey.values()]
          .sort((x, y) => Labels.compare(x.labels, y.labels))
          .map(({ labels, samples }) => {
            const ts = Float64Array.from([...samples.keys()].sort((x, y) => x - y));
            const vs = new Float64Array(ts.length);
            ts.forEach((t, i) => {
              const [src, j] = samples.get(t)!;
              vs[i] = src[j];
            });
            return { labels, ts, vs };
          });
        const merged = Block.open(path.join(dir, meta.id));
        try {
          assertSelect(merged, [], 0, maxT, want);
          for (const s of merged.select([], 0, maxT)) {
            // Re-encoded chunks respect the cap; chunks copied as they were may be up to chunkSize.
            for (const c of s.chunks) assert.ok(c.chunk().numSamples <= Math.max(120, chunkSize));
          }
        } finally {
          merged.close();
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('compaction copies untouched chunks without re-encoding and carries rollup metadata', (t) => {
  const dir = tempDir(t);
  const labels = Labels.from({ __name__: 'm' });
  // 200 samples in one chunk: above the 120 cap, so a re-encode would be visible as a split.
  const ts = Float64Array.from({ length: 200 }, (_, i) => i);
  const vs = Float64Array.from({ length: 200 }, (_, i) => i / 3);
  const rollup = { tier: '5m', resolutionMs: 300_000 };
  const a = writeBlock(dir, {
    series: [{ labels, chunks: [encodeChunk(ts, vs)] }],
    minT: 0,
    maxT: 199,
    meta: { rollup },
  });
  const later = Float64Array.from(ts, (x) => x + 1000);
  const b = writeBlock(dir, {
    series: [{ labels, chunks: [encodeChunk(later, vs)] }],
    minT: 1000,
    maxT: 1199,
    meta: { rollup, level: 3, sources: ['s1', 's2'] },
  });
  const blocks = [a, b].map((m) => Block.open(path.join(dir, m.id)));
  const meta = compactBlocks(dir, blocks);
  assert.equal(meta.level, 4);
  assert.deepEqual(meta.sources, [a.id, 's1', 's2'].sort());
  assert.deepEqual(meta.rollup, rollup);
  assert.equal(meta.stats.numChunks, 2);
  const other = writeBlock(dir, {
    series: [],
    minT: 0,
    maxT: 1,
    meta: { rollup: { tier: '1h', resolutionMs: 3_600_000 } },
  });
  const o = Block.open(path.join(dir, other.id));
  assert.throws(() => compactBlocks(dir, [blocks[0], o]), BlockWriteError);
  for (const x of [...blocks, o]) x.close();
});
