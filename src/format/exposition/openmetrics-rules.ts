// OpenMetrics rules the ABNF cannot express: what values each kind of sample may have, and what a
// histogram MetricPoint must look like. Pure functions: they say what is wrong (or undefined),
// the parser decides where to report it.

import type { MetricType } from '../../model/metadata.ts';
import type { Bucket } from './family.ts';

/** What a sample is within its family, from its name suffix. */
export type SampleRole =
  | 'value'
  | 'total'
  | 'created'
  | 'bucket'
  | 'count'
  | 'sum'
  | 'gcount'
  | 'gsum'
  | 'quantile'
  | 'info';

/** Why a sample's value breaks OpenMetrics, or undefined. `raw` is the value as written. */
export function sampleValueProblem(
  type: MetricType,
  role: SampleRole,
  sampleName: string,
  v: number,
  raw: string,
): string | undefined {
  const what = `"${sampleName}"`;
  switch (role) {
    case 'total':
    case 'sum':
      // Counter-like: a sum is a counter too (a negative-bucket histogram has no sum at all).
      if (Number.isNaN(v)) return `${what} must not be NaN (it is a counter)`;
      if (v < 0) return `${what} must not be negative (it is a counter)`;
      return undefined;
    case 'bucket':
    case 'count':
    case 'gcount':
      if (Number.isNaN(v)) return `${what} must not be NaN`;
      if (v < 0) return `${what} must not be negative`;
      if (!Number.isInteger(v)) return `${what} must be an integer count, got ${raw}`;
      return undefined;
    case 'gsum':
      return Number.isNaN(v) ? `${what} must not be NaN` : undefined;
    case 'quantile':
      return v < 0 ? `quantile value of ${what} must not be negative` : undefined;
    case 'info':
      return v !== 1 ? `info sample ${what} must have the value 1, got ${raw}` : undefined;
    case 'value':
      if (type === 'stateset' && v !== 0 && v !== 1)
        return `stateset sample ${what} must be 0 or 1, got ${raw}`;
      return undefined;
    case 'created':
      return undefined;
  }
}

/** Why a bucket cannot follow the previous one of its point: sorted unique bounds, cumulative counts. */
export function bucketOrderProblem(
  previous: Bucket,
  upperBound: number,
  count: number,
  leRaw: string,
): string | undefined {
  if (upperBound <= previous.upperBound) {
    return `bucket le="${leRaw}" is not above the previous bucket's bound; buckets must be sorted by le, each le once`;
  }
  if (count < previous.cumulativeCount) {
    return `bucket le="${leRaw}" counts ${count}, less than the previous bucket's ${previous.cumulativeCount}; buckets are cumulative`;
  }
  return undefined;
}

export interface HistogramPoint {
  readonly buckets: readonly Bucket[];
  readonly count?: number;
  readonly sum?: number;
  readonly negativeBucket: boolean;
}

/** Which sample a point-level problem is best reported on. */
export type PointPart = 'buckets' | 'count' | 'sum';

/**
 * Why a (gauge) histogram MetricPoint breaks OpenMetrics: +Inf bucket present, count equal to it,
 * count iff sum, no sum with negative buckets (histogram), negative gsum only with them.
 */
export function histogramPointProblem(
  gauge: boolean,
  series: string,
  p: HistogramPoint,
): { part: PointPart; reason: string } | undefined {
  const b = p.buckets;
  const type = gauge ? 'gaugehistogram' : 'histogram';
  if (b.length === 0 || b[b.length - 1].upperBound !== Number.POSITIVE_INFINITY) {
    return { part: 'buckets', reason: `${type} ${series} has no le="+Inf" bucket` };
  }
  const inf = b[b.length - 1].cumulativeCount;
  const count = gauge ? '_gcount' : '_count';
  const sum = gauge ? '_gsum' : '_sum';
  if (p.count !== undefined && p.count !== inf) {
    return {
      part: 'count',
      reason: `${series}: ${count} is ${p.count} but the +Inf bucket counts ${inf}; they must be equal`,
    };
  }
  if (p.sum !== undefined && p.count === undefined)
    return { part: 'sum', reason: `${series} has ${sum} but no ${count}` };
  if (p.count !== undefined && p.sum === undefined) {
    return { part: 'count', reason: `${series} has ${count} but no ${sum}` };
  }
  if (!gauge && p.negativeBucket && p.sum !== undefined) {
    return { part: 'sum', reason: `histogram ${series} has negative buckets, so it must not have _sum` };
  }
  if (gauge && p.sum !== undefined && p.sum < 0 && !p.negativeBucket) {
    return { part: 'sum', reason: `gauge histogram ${series} has a negative _gsum but no negative buckets` };
  }
  return undefined;
}
