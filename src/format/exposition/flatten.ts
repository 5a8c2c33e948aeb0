// Metric families as the flat samples a Prometheus scrape of the text format yields: one series per
// value, histogram buckets as `<name>_bucket{le}`, `_sum`, `_count`, summary quantiles as
// `<name>{quantile}`. Used wherever families become stored series (the recorder, scraping, import).

import { type Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import type { Metric, MetricFamily } from './family.ts';
import { formatTextLabelNumber } from './numbers.ts';

/**
 * Receives one flat sample: its series is `name` with the metric's labels, plus `extraName`
 * (`le` or `quantile`) when given — build it with {@link sampleLabels} only when needed, since a
 * caller that has seen the series before can recognise it by these parts without allocating.
 * `timestampMs` is the exposition's own timestamp, if it had one.
 */
export type SampleVisitor = (
  name: string,
  metric: Metric,
  extraName: string | undefined,
  extraValue: string | undefined,
  value: number,
  timestampMs: number | undefined,
) => void;

/** The label set of a flat sample. */
export function sampleLabels(name: string, metric: Metric, extraName?: string, extraValue?: string): Labels {
  let l = metric.labels.with(METRIC_NAME_LABEL, name);
  if (extraName !== undefined) l = l.with(extraName, extraValue!);
  return l;
}

export function flattenFamily(f: MetricFamily, visit: SampleVisitor): void {
  const base = f.type === 'info' && !f.name.endsWith('_info') ? `${f.name}_info` : f.name;
  for (const m of f.metrics) {
    const ts = m.timestampMs;
    switch (f.type) {
      case 'histogram':
      case 'gaugehistogram':
        flattenHistogram(base, m, f.type === 'gaugehistogram', visit);
        break;
      case 'summary':
        for (const q of m.quantiles ?? [])
          visit(base, m, 'quantile', formatTextLabelNumber(q.quantile), q.value, ts);
        if (m.sum !== undefined) visit(`${base}_sum`, m, undefined, undefined, m.sum, ts);
        if (m.count !== undefined) visit(`${base}_count`, m, undefined, undefined, m.count, ts);
        break;
      default: {
        const v = f.type === 'info' ? 1 : m.value;
        if (v !== undefined) visit(base, m, undefined, undefined, v, ts);
      }
    }
  }
}

function flattenHistogram(base: string, m: Metric, gauge: boolean, visit: SampleVisitor): void {
  const ts = m.timestampMs;
  let inf: number | undefined;
  for (const b of m.buckets ?? []) {
    visit(`${base}_bucket`, m, 'le', formatTextLabelNumber(b.upperBound), b.cumulativeCount, ts);
    if (b.upperBound === Number.POSITIVE_INFINITY) inf = b.cumulativeCount;
  }
  const count = m.count ?? inf ?? m.buckets?.at(-1)?.cumulativeCount ?? 0;
  // Like the text writer: a histogram always has its +Inf bucket.
  if (inf === undefined) visit(`${base}_bucket`, m, 'le', '+Inf', count, ts);
  if (gauge) {
    visit(`${base}_gcount`, m, undefined, undefined, count, ts);
    if (m.sum !== undefined) visit(`${base}_gsum`, m, undefined, undefined, m.sum, ts);
    return;
  }
  if (m.sum !== undefined) visit(`${base}_sum`, m, undefined, undefined, m.sum, ts);
  visit(`${base}_count`, m, undefined, undefined, count, ts);
}
