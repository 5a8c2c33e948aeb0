// Where the head writes a commit before applying it: the WAL in production, nothing in unit tests.
// The head hands over columns, so the log can encode them without per-sample objects.

import type { MetricMetadata } from '../../model/metadata.ts';
import type { MemSeries } from './mem-series.ts';

export interface HeadCommit {
  /** Series created since they were last logged; their records go first. */
  readonly newSeries: readonly MemSeries[];
  readonly refs: Float64Array;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly n: number;
  readonly metadata: ReadonlyMap<string, MetricMetadata>;
}

export interface HeadLog {
  /**
   * Writes the commit synchronously to the OS (so a process crash cannot lose it) and returns a
   * promise that settles when it is as durable as the fsync policy promises. Throws when the write
   * fails; the head then applies nothing.
   */
  write(commit: HeadCommit): Promise<void>;
}
