// Family metadata: what a metric is, as exposition formats and remote_write carry it.

/** The metric types of text 0.0.4 and OpenMetrics 1.0 (`untyped` and `unknown` are the same thing). */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped';

export const METRIC_TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'untyped',
];

export interface MetricMetadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export function isMetricType(s: string): s is MetricType {
  return (METRIC_TYPES as readonly string[]).includes(s);
}
