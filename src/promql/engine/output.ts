// The evaluated top-level value as the API returns it. With delayed name removal this is where the
// pending metric names go, and where series that became equal merge (or the query fails). A range
// query's result is a matrix sorted by labels without empty steps; an instant query's vector keeps
// the order the expression produced (sort(), topk(), … order it).

import { Labels } from '../../model/labels.ts';
import { PromqlEvalError } from '../errors.ts';
import type { MatrixSeries, QueryValue, VectorSample } from '../value.ts';
import { type StepGrid, timeAt } from './grid.ts';
import { DUPLICATE_LABELSET, dropMetricName, mergeSameLabels } from './labelsets.ts';
import type { InstantSeries, RangeSeries, Value } from './values.ts';

export function instantResult(value: Value, t: number, delayedNameRemoval: boolean): QueryValue {
  switch (value.type) {
    case 'scalar':
      return { resultType: 'scalar', result: { t, v: value.values[0] } };
    case 'string':
      return { resultType: 'string', result: { t, value: value.value } };
    case 'vector': {
      const samples: VectorSample[] = [];
      const seen = new Set<string>();
      for (const s of value.series) {
        if (s.present[0] !== 1) continue;
        const labels = delayedNameRemoval && s.dropName ? dropMetricName(s.labels) : s.labels;
        if (delayedNameRemoval) {
          if (seen.has(labels.key)) throw new PromqlEvalError(DUPLICATE_LABELSET);
          seen.add(labels.key);
        }
        samples.push({ labels, t, v: s.values[0] });
      }
      return { resultType: 'vector', result: samples };
    }
    case 'matrix':
      return { resultType: 'matrix', result: rangeResult(value.series, delayedNameRemoval) };
  }
}

/** A bare range vector (instant query): samples as selected, names removed where pending. */
function rangeResult(series: readonly RangeSeries[], delayedNameRemoval: boolean): MatrixSeries[] {
  const out: MatrixSeries[] = [];
  const byKey = new Map<string, MatrixSeries>();
  for (const s of series) {
    const labels = delayedNameRemoval && s.dropName ? dropMetricName(s.labels) : s.labels;
    const prior = byKey.get(labels.key);
    if (prior === undefined) {
      const m = { labels, ts: s.ts, vs: s.vs };
      byKey.set(labels.key, m);
      out.push(m);
      continue;
    }
    // Equal label sets after the name removal merge, unless they share a timestamp.
    const merged = mergeSamples(prior, s);
    byKey.set(labels.key, merged);
    out[out.indexOf(prior)] = merged;
  }
  return out.sort((a, b) => Labels.compare(a.labels, b.labels));
}

function mergeSamples(a: MatrixSeries, b: RangeSeries): MatrixSeries {
  const n = a.ts.length + b.ts.length;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j >= b.ts.length || (i < a.ts.length && a.ts[i] < b.ts[j])) {
      ts[k] = a.ts[i];
      vs[k] = a.vs[i++];
    } else {
      if (i < a.ts.length && a.ts[i] === b.ts[j]) throw new PromqlEvalError(DUPLICATE_LABELSET);
      ts[k] = b.ts[j];
      vs[k] = b.vs[j++];
    }
  }
  return { labels: a.labels, ts, vs };
}

/** A range query's result: one matrix series per label set, present steps only, sorted by labels. */
export function rangeQueryResult(value: Value, grid: StepGrid, delayedNameRemoval: boolean): QueryValue {
  let series: InstantSeries[];
  if (value.type === 'scalar') {
    series = [
      {
        labels: Labels.EMPTY,
        values: value.values,
        present: new Uint8Array(grid.count).fill(1),
        dropName: false,
      },
    ];
  } else if (value.type === 'vector') {
    series = value.series;
    if (delayedNameRemoval) {
      series = mergeSameLabels(
        series.map((s) => (s.dropName ? { ...s, labels: dropMetricName(s.labels), dropName: false } : s)),
      );
    }
  } else {
    throw new Error(`internal: a range query evaluated to a ${value.type}`);
  }
  const out: MatrixSeries[] = [];
  for (const s of series) {
    let n = 0;
    for (let i = 0; i < grid.count; i++) n += s.present[i];
    if (n === 0) continue;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < grid.count; i++) {
      if (s.present[i] === 0) continue;
      ts[k] = timeAt(grid, i);
      vs[k++] = s.values[i];
    }
    out.push({ labels: s.labels, ts, vs });
  }
  out.sort((a, b) => Labels.compare(a.labels, b.labels));
  return { resultType: 'matrix', result: out };
}
