// The Hermes metrics declared in a registry, looked up by name for each packet. Declared in
// Hermes' order (gauges, counters, histograms, summaries); lookups follow Hermes' type precedence
// (counter → gauge → histogram → summary), which only matters if a name were declared twice, and
// the definitions loader refuses that.

import type { CounterFamily } from '../../registry/counter.ts';
import type { GaugeFamily } from '../../registry/gauge.ts';
import type { HistogramFamily } from '../../registry/histogram.ts';
import type { Registry } from '../../registry/registry.ts';
import type { SummaryFamily } from '../../registry/summary.ts';
import type { HermesDefinitions, HermesMetricDefinition } from './definitions.ts';

interface Entry<K extends string, F> {
  readonly kind: K;
  readonly family: F;
  readonly labelCount: number;
  /** Label name → position in the declared label list. */
  readonly labelIndex: ReadonlyMap<string, number>;
}

export type HermesMetric =
  | Entry<'counter', CounterFamily>
  | Entry<'gauge', GaugeFamily>
  | Entry<'histogram', HistogramFamily>
  | Entry<'summary', SummaryFamily>;

export type HermesMetricTable = ReadonlyMap<string, HermesMetric>;

function entry<K extends string, F>(kind: K, family: F, def: HermesMetricDefinition): Entry<K, F> {
  return {
    kind,
    family,
    labelCount: def.labels.length,
    labelIndex: new Map(def.labels.map((name, i) => [name, i])),
  };
}

/** Declare every defined metric in `registry` (idempotent for identical definitions). */
export function declareHermesMetrics(registry: Registry, defs: HermesDefinitions): HermesMetricTable {
  const byKind = {
    gauge: new Map<string, HermesMetric>(),
    counter: new Map<string, HermesMetric>(),
    histogram: new Map<string, HermesMetric>(),
    summary: new Map<string, HermesMetric>(),
  };
  const opts = (d: HermesMetricDefinition) => ({
    name: d.metric_name,
    help: d.metric_description,
    labelNames: d.labels,
  });
  for (const d of defs.gauges) byKind.gauge.set(d.metric_name, entry('gauge', registry.gauge(opts(d)), d));
  for (const d of defs.counters)
    byKind.counter.set(d.metric_name, entry('counter', registry.counter(opts(d)), d));
  for (const d of defs.histograms) {
    const family = registry.histogram({ ...opts(d), buckets: d.buckets });
    byKind.histogram.set(d.metric_name, entry('histogram', family, d));
  }
  for (const d of defs.summaries) {
    const family = registry.summary({ ...opts(d), quantiles: d.quantiles });
    byKind.summary.set(d.metric_name, entry('summary', family, d));
  }
  const table = new Map<string, HermesMetric>();
  for (const kind of ['counter', 'gauge', 'histogram', 'summary'] as const) {
    for (const [name, metric] of byKind[kind]) if (!table.has(name)) table.set(name, metric);
  }
  return table;
}
