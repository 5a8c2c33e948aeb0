// Compaction: several blocks become one. Series with the same labels are merged; chunks that do not
// overlap anything and lose nothing to tombstones are copied as they are, the rest are decoded,
// merged (on a repeated timestamp the later block wins), stripped of deleted samples and re-encoded.
// Series are streamed one at a time, so memory follows the largest series, not the blocks.

import { Labels } from '../../model/labels.ts';
import { DEFAULT_SAMPLES_PER_CHUNK } from '../chunk/builder.ts';
import { encodeRuns } from '../chunk/encode.ts';
import { SampleBuffer } from '../head/sample-buffer.ts';
import type { ChunkRef, StoredSeries, TimeRange } from '../storage.ts';
import type { Block } from './block.ts';
import type { BlockMeta, RollupMeta } from './meta.ts';
import { isDeleted } from './tombstones.ts';
import { type BlockChunk, type BlockSeries, BlockWriteError, writeBlock } from './writer.ts';

export interface CompactOptions {
  /** Cap on samples per re-encoded chunk (default 120, Prometheus' DefaultSamplesPerChunk). */
  readonly samplesPerChunk?: number;
  readonly id?: string;
  readonly maxSegmentBytes?: number;
}

/**
 * Writes the union of `blocks` as a new block in `parentDir` and returns its meta. Blocks later in
 * the list win on a repeated timestamp. The caller deletes the sources once this returns.
 */
export function compactBlocks(
  parentDir: string,
  blocks: readonly Block[],
  options: CompactOptions = {},
): BlockMeta {
  if (blocks.length === 0) throw new BlockWriteError('nothing to compact');
  const perChunk = options.samplesPerChunk ?? DEFAULT_SAMPLES_PER_CHUNK;
  const metas = blocks.map((b) => b.meta);
  const rollup = commonRollup(metas);
  const sources = [...new Set(metas.flatMap((m) => m.sources))].sort();
  return writeBlock(
    parentDir,
    {
      series: mergeSeries(blocks, perChunk),
      minT: Math.min(...metas.map((m) => m.minT)),
      maxT: Math.max(...metas.map((m) => m.maxT)),
      meta: {
        level: Math.max(...metas.map((m) => m.level)) + 1,
        sources,
        ...(rollup !== undefined ? { rollup } : {}),
      },
    },
    { id: options.id, maxSegmentBytes: options.maxSegmentBytes },
  );
}

function commonRollup(metas: readonly BlockMeta[]): RollupMeta | undefined {
  const r = metas[0].rollup;
  for (const m of metas) {
    if (m.rollup?.tier !== r?.tier || m.rollup?.resolutionMs !== r?.resolutionMs)
      throw new BlockWriteError('cannot compact blocks of different rollup tiers');
  }
  return r;
}

/** One merged series per distinct label set, in label order. */
function* mergeSeries(blocks: readonly Block[], perChunk: number): Generator<BlockSeries> {
  const iters = blocks.map((b) => b.allSeries());
  const heads: (StoredSeries | undefined)[] = iters.map((it) => next(it));
  for (;;) {
    let min: Labels | undefined;
    for (const h of heads)
      if (h !== undefined && (min === undefined || Labels.compare(h.labels, min) < 0)) min = h.labels;
    if (min === undefined) return;
    const group: Sourced[] = [];
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k];
      if (h === undefined || Labels.compare(h.labels, min) !== 0) continue;
      for (const ref of h.chunks) group.push({ ref, rank: k, deleted: h.deleted ?? [] });
      heads[k] = next(iters[k]);
    }
    const chunks = mergeChunks(group, perChunk);
    if (chunks.length > 0) yield { labels: min, chunks };
  }
}

function next(it: Iterator<StoredSeries>): StoredSeries | undefined {
  const r = it.next();
  return r.done === true ? undefined : r.value;
}

interface Sourced {
  readonly ref: ChunkRef;
  /** Position of the source block: higher wins on a repeated timestamp. */
  readonly rank: number;
  readonly deleted: readonly TimeRange[];
}

/** A series' chunks from all blocks → sorted, non-overlapping chunks without deleted samples. */
function mergeChunks(group: Sourced[], perChunk: number): BlockChunk[] {
  group.sort((a, b) => a.ref.minT - b.ref.minT || a.rank - b.rank);
  const out: BlockChunk[] = [];
  for (let i = 0; i < group.length; ) {
    // A cluster: chunks linked by overlapping time ranges.
    let j = i + 1;
    let maxT = group[i].ref.maxT;
    while (j < group.length && group[j].ref.minT <= maxT) maxT = Math.max(maxT, group[j++].ref.maxT);
    const one = group[i];
    if (j === i + 1 && !touchesDeleted(one.deleted, one.ref.minT, one.ref.maxT)) out.push(one.ref.chunk());
    else reencode(group.slice(i, j), perChunk, out);
    i = j;
  }
  return out;
}

function touchesDeleted(deleted: readonly TimeRange[], minT: number, maxT: number): boolean {
  for (const r of deleted) if (r.maxT >= minT && r.minT <= maxT) return true;
  return false;
}

function reencode(cluster: readonly Sourced[], perChunk: number, out: BlockChunk[]): void {
  const all = new SampleBuffer(256);
  const rank: number[] = [];
  for (const s of cluster) {
    const it = s.ref.chunk().iterator();
    while (it.next()) {
      if (s.deleted.length > 0 && isDeleted(s.deleted, it.t)) continue;
      all.push(it.t, it.v);
      rank.push(s.rank);
    }
  }
  // By time; on a tie the higher rank (later block) first, so it is the one kept.
  const order = Array.from({ length: all.n }, (_, i) => i).sort(
    (x, y) => all.ts[x] - all.ts[y] || rank[y] - rank[x],
  );
  const merged = new SampleBuffer(all.n);
  for (const i of order) {
    if (merged.n > 0 && merged.ts[merged.n - 1] === all.ts[i]) continue;
    merged.push(all.ts[i], all.vs[i]);
  }
  out.push(...encodeRuns(merged.ts, merged.vs, merged.n, perChunk));
}
