// Everything the database can be tuned with; the config's `storage` section maps onto this.

import type { FsyncPolicy, WalLogger } from '../wal/wal.ts';

export interface RollupTier {
  /** Interval each rollup sample summarises. */
  readonly resolutionMs: number;
  /** How long this tier is kept. */
  readonly retentionMs: number;
}

export interface DbOptions {
  readonly path: string;
  readonly blockRangeMs?: number;
  readonly retentionMs?: number;
  /** 0 = no size limit. */
  readonly retentionBytes?: number;
  readonly outOfOrderWindowMs?: number;
  readonly maxSeries?: number;
  readonly walFsync?: FsyncPolicy;
  readonly walFsyncIntervalMs?: number;
  readonly walSegmentBytes?: number;
  readonly rollups?: readonly RollupTier[];
  /**
   * How long a block that compaction or retention replaced keeps its files open for queries that
   * selected it before (default 10 min); longer than the longest a query may run.
   */
  readonly retiredBlockGraceMs?: number;
  /**
   * Series taken out of the head per turn of the event loop when a block is cut (default 5,000,
   * ~10 ms); appends and queries run between the slices.
   */
  readonly cutSliceSeries?: number;
  /** Wall clock for retention (injected in tests). */
  readonly now?: () => number;
  readonly logger?: WalLogger & { error(obj: object, msg: string): void };
}

export const DEFAULT_RETENTION_MS = 15 * 24 * 3600 * 1000;
