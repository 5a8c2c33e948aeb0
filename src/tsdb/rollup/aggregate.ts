// Downsampling: one series' raw samples summarised per fixed interval into five series — min, max,
// sum, count and last — told apart by the reserved label `__rollup__`. The sample at time T
// summarises [T, T + resolution). Staleness markers end a series but are no data: they are left out
// of every aggregate (an interval holding only markers produces no rollup sample).

import type { Labels } from '../../model/labels.ts';
import { isStaleNaN } from '../../model/staleness.ts';
import type { Chunk, SampleIterator } from '../chunk/chunk.ts';
import { encodeRuns } from '../chunk/encode.ts';
import { SampleBuffer } from '../head/sample-buffer.ts';

export const ROLLUP_LABEL = '__rollup__';
export const ROLLUP_AGGREGATES = ['min', 'max', 'sum', 'count', 'last'] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

const PER_CHUNK = 120;

export interface RollupSeries {
  readonly labels: Labels;
  readonly chunks: readonly Chunk[];
}

/** Rolls up one series' samples (in time order) into its five aggregate series; none when empty. */
export function rollupSeries(labels: Labels, samples: SampleIterator, resolutionMs: number): RollupSeries[] {
  const out = ROLLUP_AGGREGATES.map(() => new SampleBuffer(16));
  const [mins, maxs, sums, counts, lasts] = out;
  let bucket = Number.NaN;
  let min = 0;
  let max = 0;
  let sum = 0;
  let count = 0;
  let last = 0;
  const flush = () => {
    if (count === 0) return;
    mins.push(bucket, min);
    maxs.push(bucket, max);
    sums.push(bucket, sum);
    counts.push(bucket, count);
    lasts.push(bucket, last);
  };
  while (samples.next()) {
    const v = samples.v;
    if (isStaleNaN(v)) continue;
    const b = Math.floor(samples.t / resolutionMs) * resolutionMs;
    if (b !== bucket) {
      flush();
      bucket = b;
      count = 0;
    }
    if (count === 0) {
      min = v;
      max = v;
      sum = v;
    } else {
      // NaN never wins min/max (as min_over_time), but does poison the sum, as sum_over_time.
      if (v < min || Number.isNaN(min)) min = v;
      if (v > max || Number.isNaN(max)) max = v;
      sum += v;
    }
    count++;
    last = v;
  }
  flush();
  if (counts.n === 0) return [];
  return ROLLUP_AGGREGATES.map((agg, i) => ({
    labels: labels.with(ROLLUP_LABEL, agg),
    chunks: encodeRuns(out[i].ts, out[i].vs, out[i].n, PER_CHUNK),
  }));
}
