// Checkpoints: compacting the oldest part of the log so it stops growing. A checkpoint rewrites the
// previous checkpoint plus segments up to N, keeping only what replay still needs (the series still
// alive, their samples at or after minT, their tombstones, and the latest metadata of each family),
// into `checkpoint.N`; then segments ≤ N and older checkpoints are deleted.
//
// Crash safety: it is built under `checkpoint.N.tmp`, fsynced, and renamed into place, so a crash
// leaves either no checkpoint.N (the temp dir is removed on the next open, the old files are all still
// there) or a complete one (replay skips segments ≤ N even if their deletion was interrupted).

import { renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.ts';
import { CheckpointWriter } from './checkpoint-writer.ts';
import { fsyncDirSync } from './durable.ts';
import { checkpointName, checkpointTmpName, listDir, segmentName } from './layout.ts';
import type { WalLogger } from './logger.ts';
import { planRead, readLog } from './read-log.ts';
import {
  decodeRecord,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  type WalMetadata,
  type WalSeries,
  type WalTombstone,
  type WalVisitor,
} from './record.ts';

export interface CheckpointOptions {
  /** Whether series `ref` is still alive; records of other series are dropped. */
  keepSeries(ref: number): boolean;
  /** Samples before this timestamp are dropped. */
  minT: number;
}

export interface CheckpointStats {
  checkpoint: number;
  series: number;
  samples: number;
  tombstones: number;
  metadata: number;
  /** Damaged records met while reading (and so not carried over). */
  corruptions: number;
  segmentsDeleted: number;
  checkpointsDeleted: number;
}

/** Entries per record written: large enough to amortise framing, small enough to bound memory. */
const BATCH = 8192;

/**
 * Writes `checkpoint.<through>` from the newest checkpoint and segments ≤ `through`, then deletes what
 * it replaces. The caller guarantees no segment ≤ `through` is still being written.
 */
export function writeCheckpoint(
  dir: string,
  through: number,
  options: CheckpointOptions,
  segmentBytes: number,
  logger: WalLogger,
): CheckpointStats {
  const tmp = join(dir, checkpointTmpName(through));
  rmSync(tmp, { recursive: true, force: true });
  const out = new CheckpointWriter(tmp, segmentBytes);
  const filter = new CheckpointFilter(out, options);
  let corruptions: number;
  try {
    const plan = planRead(dir, through);
    const visitor = filter.visitor();
    corruptions = readLog(dir, plan, (p) => decodeRecord(p, visitor), logger, false).corruptions;
    filter.finish();
    out.finish();
  } catch (e) {
    out.abort();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  renameSync(tmp, join(dir, checkpointName(through)));
  fsyncDirSync(dir);

  // Only now is it safe to delete what the checkpoint replaces.
  const { segments, checkpoints } = listDir(dir);
  let segmentsDeleted = 0;
  for (const n of segments) {
    if (n > through) break;
    unlinkSync(join(dir, segmentName(n)));
    segmentsDeleted++;
  }
  let checkpointsDeleted = 0;
  for (const n of checkpoints) {
    if (n >= through) break;
    rmSync(join(dir, checkpointName(n)), { recursive: true, force: true });
    checkpointsDeleted++;
  }
  const stats: CheckpointStats = {
    checkpoint: through,
    ...filter.counts,
    corruptions,
    segmentsDeleted,
    checkpointsDeleted,
  };
  logger.info(stats, 'WAL: checkpoint written');
  return stats;
}

type Kind = 'series' | 'samples' | 'tombstones';

/**
 * Keeps what the checkpoint needs and re-batches it. Only one kind of entry is buffered at a time, so
 * the output keeps the input's order between kinds (a series record always precedes its samples).
 */
class CheckpointFilter {
  readonly #out: CheckpointWriter;
  readonly #keep: (ref: number) => boolean;
  readonly #minT: number;
  #kind: Kind | null = null;
  readonly #seen = new Set<number>();
  #series: WalSeries[] = [];
  #tombstones: WalTombstone[] = [];
  readonly #refs = new Float64Array(BATCH);
  readonly #ts = new Float64Array(BATCH);
  readonly #values = new Float64Array(BATCH);
  #n = 0;
  readonly #metadata = new Map<string, WalMetadata>();
  readonly counts = { series: 0, samples: 0, tombstones: 0, metadata: 0 };

  constructor(out: CheckpointWriter, options: CheckpointOptions) {
    this.#out = out;
    this.#keep = options.keepSeries;
    this.#minT = options.minT;
  }

  visitor(): WalVisitor {
    return {
      series: (ref, labels) => this.#addSeries(ref, labels),
      sample: (ref, t, v) => {
        if (t < this.#minT || !this.#keep(ref)) return;
        this.#switch('samples');
        this.#refs[this.#n] = ref;
        this.#ts[this.#n] = t;
        this.#values[this.#n] = v;
        if (++this.#n === BATCH) this.#flush();
      },
      tombstone: (ref, minT, maxT) => {
        if (!this.#keep(ref)) return;
        this.#switch('tombstones');
        this.#tombstones.push({ ref, minT, maxT });
        if (this.#tombstones.length === BATCH) this.#flush();
      },
      // Later records win: the checkpoint holds each family's latest metadata.
      metadata: (m) => this.#metadata.set(m.metricFamily, m),
    };
  }

  #addSeries(ref: number, labels: Labels): void {
    if (this.#seen.has(ref) || !this.#keep(ref)) return;
    this.#seen.add(ref);
    this.#switch('series');
    this.#series.push({ ref, labels });
    if (this.#series.length === BATCH) this.#flush();
  }

  #switch(kind: Kind): void {
    if (this.#kind !== kind) this.#flush();
    this.#kind = kind;
  }

  #flush(): void {
    if (this.#series.length > 0) {
      this.#out.add(encodeSeries(this.#series));
      this.counts.series += this.#series.length;
      this.#series = [];
    }
    if (this.#n > 0) {
      this.#out.add(encodeSamples(this.#refs, this.#ts, this.#values, this.#n));
      this.counts.samples += this.#n;
      this.#n = 0;
    }
    if (this.#tombstones.length > 0) {
      this.#out.add(encodeTombstones(this.#tombstones));
      this.counts.tombstones += this.#tombstones.length;
      this.#tombstones = [];
    }
  }

  finish(): void {
    this.#flush();
    const metadata = [...this.#metadata.values()];
    for (let i = 0; i < metadata.length; i += BATCH)
      this.#out.add(encodeMetadata(metadata.slice(i, i + BATCH)));
    this.counts.metadata = metadata.length;
  }
}

/** The same as `wal.checkpoint(throughSegment, options)`, for callers that prefer a function. */
export function checkpoint(
  wal: { checkpoint(throughSegment: number, options: CheckpointOptions): CheckpointStats | null },
  throughSegment: number,
  options: CheckpointOptions,
): CheckpointStats | null {
  return wal.checkpoint(throughSegment, options);
}
