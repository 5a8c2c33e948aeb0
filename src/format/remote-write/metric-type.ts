// The MetricMetadata.MetricType enum of prometheus.WriteRequest, mapped to the model's type names.

import type { MetricType } from '../../model/metadata.ts';

// Index = wire value. UNKNOWN (0) is the model's `untyped`, which it treats as the same thing.
const BY_WIRE: readonly MetricType[] = [
  'untyped',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

export function metricTypeFromWire(n: number): MetricType {
  // proto3 enums are open: a newer sender's value we do not know is reported as unknown, not an error.
  return BY_WIRE[n] ?? 'untyped';
}

export function metricTypeToWire(type: MetricType): number {
  const n = BY_WIRE.indexOf(type);
  return n < 0 ? 0 : n;
}
