// Live metric state: families of counters, gauges, histograms, summaries and untyped metrics.

export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from './buckets.ts';
export { type Clock, systemClock } from './clock.ts';
export { Counter, CounterFamily } from './counter.ts';
export type { FamilyOptions } from './definition.ts';
export { RegistryError } from './errors.ts';
export { Child, Family, type LabelValues } from './family.ts';
export { Gauge, GaugeFamily } from './gauge.ts';
export { Histogram, HistogramFamily, type HistogramOptions } from './histogram.ts';
export { ProcessCollector } from './process-collector.ts';
export { QuantileStream, type QuantileTarget } from './quantile-stream.ts';
export {
  type AnyFamily,
  DEFAULT_MAX_SERIES,
  DEFAULT_MAX_SERIES_PER_FAMILY,
  Registry,
  type RegistryOptions,
} from './registry.ts';
export * from './self-metrics.ts';
export { SeriesBudget } from './series-budget.ts';
export {
  DEFAULT_SUMMARY_AGE_BUCKETS,
  DEFAULT_SUMMARY_MAX_AGE_MS,
  defaultQuantileError,
  type QuantileSpec,
  Summary,
  SummaryFamily,
  type SummaryOptions,
} from './summary.ts';
export { type Untyped, UntypedFamily } from './untyped.ts';
