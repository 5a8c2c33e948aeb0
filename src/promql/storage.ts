// What the engine needs from a store: select series by label matchers over a time range and walk
// their samples. The tsdb's Querier satisfies it, so does any in-memory source.

import type { Labels } from '../model/labels.ts';
import type { Matcher } from '../tsdb/index/matcher.ts';

export interface SampleCursor {
  /** The current sample, valid after next() returned true. */
  t: number;
  v: number;
  next(): boolean;
}

export interface SelectedSeries {
  readonly labels: Labels;
  /** A fresh cursor over the samples in the querier's range, ascending by time. */
  iterator(): SampleCursor;
}

export interface PromqlQuerier {
  /** Series matching every matcher, sorted by labels. */
  select(matchers: readonly Matcher[]): readonly SelectedSeries[];
}

export interface Queryable {
  /** A reader of samples in [minT, maxT] (ms, both ends included). */
  querier(minT: number, maxT: number): PromqlQuerier;
}
