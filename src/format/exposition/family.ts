// The in-memory form of an exposition: metric families as client_golang's `dto.MetricFamily` has
// them. The writer renders it, the parser produces it, the registry and push groups collect into it.
//
// Naming follows text 0.0.4 (and client_golang): `name` is the name a counter was registered with,
// `_total` or not. The OpenMetrics writer derives the OpenMetrics family name (without `_total`) and
// sample name (with `_total`) from it; the OpenMetrics parser maps back the other way.

import type { Labels } from '../../model/labels.ts';
import type { MetricType } from '../../model/metadata.ts';

export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestampMs?: number;
}

export interface Bucket {
  /** Inclusive upper bound (`le`); the last bucket is +Inf. */
  readonly upperBound: number;
  /** Cumulative count of observations ≤ upperBound. */
  readonly cumulativeCount: number;
  readonly exemplar?: Exemplar;
}

export interface Quantile {
  readonly quantile: number;
  readonly value: number;
}

/**
 * One metric (one series, or one group of series for histograms and summaries) of a family.
 * Which fields are set depends on the family type:
 * - counter, gauge, untyped, info, stateset: `value` (info is always 1; stateset has one metric per
 *   state, the state in a label named like the family, value 1 or 0);
 * - histogram, gaugehistogram: `buckets` (cumulative, ascending, ending with +Inf), `count`, `sum`;
 * - summary: `quantiles`, `count`, `sum`.
 */
export interface Metric {
  /** The metric's labels, without `__name__`. */
  readonly labels: Labels;
  readonly value?: number;
  readonly buckets?: readonly Bucket[];
  readonly quantiles?: readonly Quantile[];
  readonly count?: number;
  readonly sum?: number;
  /** Explicit sample timestamp in milliseconds since the epoch, if any. */
  readonly timestampMs?: number;
  /** OpenMetrics `_created`, in milliseconds since the epoch. */
  readonly createdMs?: number;
  /** Exemplar of a counter's `_total` sample. */
  readonly exemplar?: Exemplar;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** OpenMetrics unit; '' when none. */
  readonly unit: string;
  readonly metrics: readonly Metric[];
}

/** Anything that can contribute families to an exposition (a registry, push groups, a cache). */
export interface Collector {
  collect(): Iterable<MetricFamily>;
}
