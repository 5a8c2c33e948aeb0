// Head statistics in the shape of Prometheus' /api/v1/status/tsdb: totals and the top entries by
// cardinality, so a user can see which metric or label is blowing up the series count.

import { METRIC_NAME_LABEL } from '../../model/labels.ts';
import type { Head } from './head.ts';

export interface NameValue {
  readonly name: string;
  readonly value: number;
}

export interface HeadStats {
  readonly headStats: {
    readonly numSeries: number;
    readonly numLabelPairs: number;
    readonly chunkCount: number;
    readonly minTime: number;
    readonly maxTime: number;
  };
  readonly seriesCountByMetricName: NameValue[];
  readonly labelValueCountByLabelName: NameValue[];
  readonly memoryInBytesByLabelName: NameValue[];
  readonly seriesCountByLabelValuePair: NameValue[];
}

export function headStats(head: Head, limit = 10): HeadStats {
  const byMetric = new Map<string, number>();
  const valuesByName = new Map<string, Set<string>>();
  const byPair = new Map<string, number>();
  let chunks = 0;
  for (const s of head.series()) {
    chunks += s.sealed.length + (s.open !== undefined ? 1 : 0) + (s.ooo?.chunks.length ?? 0);
    for (const p of s.labels.pairs) {
      if (p.name === METRIC_NAME_LABEL) byMetric.set(p.value, (byMetric.get(p.value) ?? 0) + 1);
      let values = valuesByName.get(p.name);
      if (values === undefined) {
        values = new Set();
        valuesByName.set(p.name, values);
      }
      values.add(p.value);
      const pair = `${p.name}=${p.value}`;
      byPair.set(pair, (byPair.get(pair) ?? 0) + 1);
    }
  }
  const memory = new Map<string, number>();
  for (const [name, values] of valuesByName) {
    let bytes = 0;
    for (const v of values) bytes += Buffer.byteLength(v);
    memory.set(name, bytes);
  }
  const top = (m: Map<string, number>): NameValue[] =>
    [...m]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([name, value]) => ({ name, value }));
  const empty = head.numSeries === 0 || !Number.isFinite(head.minT);
  return {
    headStats: {
      numSeries: head.numSeries,
      numLabelPairs: byPair.size,
      chunkCount: chunks,
      // Prometheus reports the int64 extremes for an empty head; the numbers below say "no data".
      minTime: empty ? 0 : head.minT,
      maxTime: empty ? 0 : head.maxT,
    },
    seriesCountByMetricName: top(byMetric),
    labelValueCountByLabelName: top(new Map([...valuesByName].map(([n, v]) => [n, v.size]))),
    memoryInBytesByLabelName: top(memory),
    seriesCountByLabelValuePair: top(byPair),
  };
}
