// The file work of maintenance as jobs that name directories and carry their data as plain arrays,
// so that they can run in another thread: writing a block of series cut from the head (re-encoded,
// plus its rollups) or copied for a snapshot, compacting blocks, writing a WAL checkpoint. For 20,000
// series a cut took ~5 s; done on the main thread it held every request, scrape and query for that
// long. The main thread only decides what to do and swaps the results in (db.ts); the server runs
// the jobs in a worker thread of their own (maintenance-task.ts), and without workers they run
// here, one after another.

import * as path from 'node:path';
import { Labels } from '../../model/labels.ts';
import { Block } from '../block/block.ts';
import { compactBlocks } from '../block/compact.ts';
import type { BlockMeta } from '../block/meta.ts';
import { writeBlock } from '../block/writer.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { openChunk } from '../chunk/encode.ts';
import { rollupSeries } from '../rollup/aggregate.ts';
import { type CheckpointStats, writeCheckpoint } from '../wal/checkpoint.ts';
import { normalise, type SeriesChunks, samplesOf } from './block-input.ts';

/**
 * A rollup block a job writes: into the tier's directory, under an id chosen beforehand (as every
 * block a job writes), so that the caller can remove what a job that failed midway left behind.
 */
export interface RollupTarget {
  readonly name: string;
  readonly dir: string;
  readonly resolutionMs: number;
  readonly id: string;
}

/** Series and their chunks as arrays that cross a thread boundary cheaply (see packSeries). */
export interface PackedSeries {
  /** Each series' labels, `[name0, value0, …]`. */
  readonly labels: readonly (readonly string[])[];
  /** Series i owns chunks [chunkEnds[i - 1], chunkEnds[i]). */
  readonly chunkEnds: Uint32Array;
  /** Chunk j is bytes [byteEnds[j - 1], byteEnds[j]) (its encoding byte first). */
  readonly byteEnds: Uint32Array;
  readonly bytes: Uint8Array;
}

export type MaintenanceJob =
  | {
      /** Writes series (cut from the head, or a snapshot's copy) as a raw block of [minT, maxT], and rollups. */
      readonly kind: 'block';
      readonly dir: string;
      readonly id: string;
      readonly series: PackedSeries;
      readonly minT: number;
      readonly maxT: number;
      readonly rollups: readonly RollupTarget[];
    }
  | {
      /** Compacts blocks into one; `rollups`: roll the result up again (it merged overlapping data). */
      readonly kind: 'compact';
      readonly dir: string;
      readonly id: string;
      readonly blockDirs: readonly string[];
      readonly samplesPerChunk?: number;
      readonly rollups: readonly RollupTarget[];
    }
  | {
      /** Writes checkpoint.<through> of the WAL in `dir`, keeping the series in `keepRefs`. */
      readonly kind: 'checkpoint';
      readonly dir: string;
      readonly through: number;
      readonly keepRefs: Float64Array;
      readonly minT: number;
      readonly segmentBytes: number;
    };

/** A log line a job wants written (a worker has no logger of its own). */
export interface JobLog {
  readonly level: 'info' | 'warn';
  readonly obj: object;
  readonly msg: string;
}

export interface MaintenanceResult {
  /** The block written (block, compact). */
  readonly block?: BlockMeta;
  /** Rollup blocks written, by tier name. */
  readonly rollups: readonly { readonly tier: string; readonly meta: BlockMeta }[];
  readonly checkpoint?: CheckpointStats;
  readonly logs: readonly JobLog[];
}

/**
 * Runs a job somewhere; rejects when it failed or could not be run (nothing was swapped in; blocks
 * it may have written are the caller's to remove: see jobOutputs).
 */
export type MaintenanceRunner = (job: MaintenanceJob) => Promise<MaintenanceResult>;

/** The blocks a job writes, as [parent directory, id]. */
export function jobOutputs(job: MaintenanceJob): [string, string][] {
  if (job.kind === 'checkpoint') return [];
  return [[job.dir, job.id], ...job.rollups.map((r): [string, string] => [r.dir, r.id])];
}

/** Runs jobs in this thread. */
export const runHere: MaintenanceRunner = async (job) => runMaintenanceJob(job);

/** Does the work of a job, synchronously, in the calling thread. */
export function runMaintenanceJob(job: MaintenanceJob): MaintenanceResult {
  switch (job.kind) {
    case 'block': {
      const series = unpackSeries(job.series);
      const block = writeBlock(
        job.dir,
        { series: series.map((s) => normalise(s)), minT: job.minT, maxT: job.maxT },
        { id: job.id },
      );
      return { block, rollups: writeRollups(series, job.minT, job.maxT, job.rollups), logs: [] };
    }
    case 'compact':
      return compact(job);
    case 'checkpoint': {
      const logs: JobLog[] = [];
      const keep = new Set(job.keepRefs);
      const checkpoint = writeCheckpoint(
        job.dir,
        job.through,
        { keepSeries: (ref) => keep.has(ref), minT: job.minT },
        job.segmentBytes,
        {
          info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
          warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
        },
      );
      return { checkpoint, rollups: [], logs };
    }
  }
}

function compact(job: Extract<MaintenanceJob, { kind: 'compact' }>): MaintenanceResult {
  const blocks: Block[] = [];
  try {
    for (const dir of job.blockDirs) blocks.push(Block.open(dir));
    const block = compactBlocks(job.dir, blocks, { samplesPerChunk: job.samplesPerChunk, id: job.id });
    if (job.rollups.length === 0) return { block, rollups: [], logs: [] };
    const merged = Block.open(path.join(job.dir, block.id));
    try {
      const series = merged
        .select([], block.minT, block.maxT)
        .map((s) => ({ labels: s.labels, chunks: s.chunks.map((c) => c.chunk()) }));
      return { block, rollups: writeRollups(series, block.minT, block.maxT, job.rollups), logs: [] };
    } finally {
      merged.close();
    }
  } finally {
    for (const b of blocks) b.close();
  }
}

/** Rolls the samples of [minT, maxT] up into one block per tier. */
function writeRollups(
  series: readonly SeriesChunks[],
  minT: number,
  maxT: number,
  tiers: readonly RollupTarget[],
): { tier: string; meta: BlockMeta }[] {
  const written: { tier: string; meta: BlockMeta }[] = [];
  for (const tier of tiers) {
    const out: SeriesChunks[] = [];
    for (const s of series)
      out.push(...rollupSeries(s.labels, samplesOf(s.chunks, minT, maxT), tier.resolutionMs));
    if (out.length === 0) continue;
    out.sort((a, b) => Labels.compare(a.labels, b.labels));
    const meta = writeBlock(
      tier.dir,
      { series: out, minT, maxT, meta: { rollup: { tier: tier.name, resolutionMs: tier.resolutionMs } } },
      { id: tier.id },
    );
    written.push({ tier: tier.name, meta });
  }
  return written;
}

/** Series packed per turn of the event loop (see packSeries): a few milliseconds of copying. */
const PACK_SLICE = 1000;

/**
 * Copies series and their chunks' bytes into a PackedSeries (the originals stay usable), `slice`
 * series per turn of the event loop: at ~6 µs per series, packing 200,000 at once would hold it
 * for over a second. A chunk may move meanwhile (a recode answering, see SlicedChunk), but only to
 * fewer bytes of the same samples: the first pass's total is an upper bound, and the second records
 * each chunk's end as it copies it.
 */
export async function packSeries(series: readonly SeriesChunks[], slice = PACK_SLICE): Promise<PackedSeries> {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  let chunks = 0;
  let size = 0;
  for (let i = 0; i < series.length; i++) {
    if (i > 0 && i % slice === 0) await nextTurn();
    const s = series[i];
    chunks += s.chunks.length;
    for (const c of s.chunks) size += c.bytes().length;
  }
  const bytes = new Uint8Array(size);
  const byteEnds = new Uint32Array(chunks);
  const chunkEnds = new Uint32Array(series.length);
  const labels: string[][] = [];
  let at = 0;
  let j = 0;
  for (let i = 0; i < series.length; i++) {
    if (i > 0 && i % slice === 0) await nextTurn();
    const s = series[i];
    labels.push(s.labels.toFlat());
    for (const c of s.chunks) {
      const b = c.bytes();
      bytes.set(b, at);
      at += b.length;
      byteEnds[j++] = at;
    }
    chunkEnds[i] = j;
  }
  return { labels, chunkEnds, byteEnds, bytes };
}

/** The buffers of a PackedSeries, to move rather than copy to another thread. */
export function packedBuffers(p: PackedSeries): ArrayBuffer[] {
  return [p.bytes.buffer, p.byteEnds.buffer, p.chunkEnds.buffer] as ArrayBuffer[];
}

export function unpackSeries(p: PackedSeries): SeriesChunks[] {
  const out: SeriesChunks[] = [];
  let j = 0;
  let start = 0;
  for (let i = 0; i < p.labels.length; i++) {
    const chunks: Chunk[] = [];
    for (; j < p.chunkEnds[i]; j++) {
      chunks.push(openChunk(p.bytes.subarray(start, p.byteEnds[j])));
      start = p.byteEnds[j];
    }
    out.push({ labels: Labels.fromFlat(p.labels[i]), chunks });
  }
  return out;
}
