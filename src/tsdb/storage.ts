// The small interfaces between the store's parts (in the spirit of Prometheus' storage.Querier and
// storage.Appender): the head and every block are read the same way, so the querier can stitch
// them together without knowing which is which.

import type { Labels } from '../model/labels.ts';
import type { MetricMetadata } from '../model/metadata.ts';
import type { Chunk } from './chunk/chunk.ts';
import type { AppendStatus } from './head/append-status.ts';
import type { Matcher } from './index/matcher.ts';

/** A closed time range [minT, maxT] in ms; both ends included (as in Prometheus). */
export interface TimeRange {
  readonly minT: number;
  readonly maxT: number;
}

/** One chunk of a series, described without reading it: blocks load the bytes only on `chunk()`. */
export interface ChunkRef extends TimeRange {
  chunk(): Chunk;
}

/**
 * A series as one source holds it: its chunks sorted by minT (they may overlap, e.g. out-of-order
 * data; readers merge them), and any deleted time ranges.
 */
export interface StoredSeries {
  readonly labels: Labels;
  readonly chunks: readonly ChunkRef[];
  /** Ranges removed by delete_series and not yet compacted away; samples inside them are hidden. */
  readonly deleted?: readonly TimeRange[];
}

/** Something that holds series: the head, a persistent block, a rollup tier. */
export interface SeriesSource extends TimeRange {
  /**
   * Series matching every matcher that have a chunk overlapping [minT, maxT], sorted by
   * {@link Labels.compare}. Only chunks overlapping the range are listed.
   */
  select(matchers: readonly Matcher[], minT: number, maxT: number): StoredSeries[];
  /** Sorted label names of the series matching `matchers` (all series when empty). */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Sorted, distinct non-empty values of `name` among the series matching `matchers`. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
}

/** A series an appender has looked up once, to append to by reference afterwards. */
export interface SeriesHandle {
  readonly labels: Labels;
}

/** A batch of appends (Prometheus' storage.Appender): look up series, append, then commit. */
export interface Appender {
  /** The series for `labels`, created when new; undefined when a series limit refuses it. */
  series(labels: Labels): SeriesHandle | undefined;
  append(series: SeriesHandle, t: number, v: number): AppendStatus;
  /**
   * Appends rows [from, to) of `ts`/`vs` to one series, as append() would one by one (the hot form:
   * no call per sample); returns how many were stored or were exact duplicates.
   */
  appendRows(series: SeriesHandle, ts: Float64Array, vs: Float64Array, from: number, to: number): number;
  /** Samples refused so far in this batch (and exact duplicates), counted by AppendStatus. */
  readonly rejected: Uint32Array;
  setMetadata(family: string, meta: MetricMetadata): void;
  /** The first sample this batch rejected (for an error message that names it). */
  readonly firstRejected:
    | { readonly status: AppendStatus; readonly labels: Labels; readonly t: number }
    | undefined;
  /** Resolves once the batch is durable as the store promises; rejects when it could not be logged. */
  commit(): Promise<void>;
  rollback(): void;
}

/** What an input needs from the store to write raw samples. */
export interface Appendable {
  appender(): Appender;
}
