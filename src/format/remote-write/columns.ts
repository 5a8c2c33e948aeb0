// The two shapes of a decoded request and the way between them: per series (DecodedWriteRequest,
// handy to read) and columnar (WriteRequestColumns, what the receiver appends from). Copies of
// Float64Arrays go through set()/slice() on the same element type, which copy bytes, so NaN payloads
// such as the staleness marker are kept.

import type { DecodedExemplars, DecodedSeries, DecodedWriteRequest, WriteRequestColumns } from './types.ts';

const EMPTY_F64 = new Float64Array(0);

/** The exemplars of a series that has none (shared). */
export const NO_EXEMPLARS: DecodedExemplars = Object.freeze({
  labels: [],
  timestamps: EMPTY_F64,
  values: EMPTY_F64,
});

/** One DecodedSeries per series, each with its own copy of its rows. */
export function seriesFromColumns(c: WriteRequestColumns): DecodedWriteRequest {
  const series: DecodedSeries[] = [];
  let start = 0;
  for (let i = 0; i < c.labels.length; i++) {
    const end = c.ends[i];
    series.push({
      labels: c.labels[i],
      timestamps: end === start ? EMPTY_F64 : c.timestamps.slice(start, end),
      values: end === start ? EMPTY_F64 : c.values.slice(start, end),
      exemplars: c.seriesExemplars[i] ?? NO_EXEMPLARS,
      histogramCount: c.histogramCounts[i],
    });
    start = end;
  }
  return {
    series,
    metadata: c.metadata,
    samples: c.samples,
    histograms: c.histograms,
    exemplars: c.exemplars,
  };
}

/** The columnar form of a per-series request (one copy of every sample). */
export function columnsFromSeries(d: DecodedWriteRequest): WriteRequestColumns {
  const n = d.series.length;
  let total = 0;
  for (const s of d.series) total += s.timestamps.length;
  const ends = new Uint32Array(n);
  const histogramCounts = new Uint32Array(n);
  const timestamps = new Float64Array(total);
  const values = new Float64Array(total);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const s = d.series[i];
    timestamps.set(s.timestamps, at);
    values.set(s.values, at);
    at += s.timestamps.length;
    ends[i] = at;
    histogramCounts[i] = s.histogramCount;
  }
  return {
    labels: d.series.map((s) => s.labels),
    ends,
    timestamps,
    values,
    seriesExemplars: d.series.map((s) => s.exemplars),
    histogramCounts,
    metadata: d.metadata,
    samples: d.samples,
    histograms: d.histograms,
    exemplars: d.exemplars,
  };
}
