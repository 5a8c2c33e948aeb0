// Aggregation operators. Groups are assigned once per input series; each group then combines its
// members step by step, in input order, with Prometheus' arithmetic: Kahan-compensated sums, a mean
// that switches to incremental updates when the running sum would overflow, Welford's variance,
// NaN-aware min/max.

import type { AggregateExpr } from '../ast.ts';
import { quantile } from '../functions/kernels/stats.ts';
import { aggregateK } from './aggregate-k.ts';
import { annotationText } from './annotations.ts';
import type { EvalContext } from './context.ts';
import { countValues } from './count-values.ts';
import { assignGroups } from './grouping.ts';
import { expectScalar, expectVector, type InstantSeries, newSeries, type VectorValue } from './values.ts';

export async function evalAggregate(e: AggregateExpr, ctx: EvalContext): Promise<VectorValue> {
  if (e.op === 'count_values') return countValues(e, ctx);
  // The parameter is evaluated before the aggregated expression, as in Prometheus.
  const param =
    e.param === undefined ? undefined : expectScalar(await ctx.evaluate(e.param), `${e.op} parameter`).values;
  const input = expectVector(await ctx.evaluate(e.expr), `${e.op} argument`).series;
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return aggregateK(e, param!, input, ctx);
    default:
      return aggregateGroups(e, param, input, ctx);
  }
}

/** Per-group, per-step running state, laid out [group * steps + step]. */
class GroupState {
  readonly value: Float64Array;
  readonly comp: Float64Array; // Kahan compensation
  readonly mean: Float64Array;
  readonly count: Float64Array;
  readonly seen: Uint8Array;
  readonly incremental: Uint8Array; // avg switched to incremental mean
  constructor(cells: number) {
    this.value = new Float64Array(cells);
    this.comp = new Float64Array(cells);
    this.mean = new Float64Array(cells);
    this.count = new Float64Array(cells);
    this.seen = new Uint8Array(cells);
    this.incremental = new Uint8Array(cells);
  }
}

/**
 * Adds `x` to the Kahan-Neumaier sum in cell i of (sum, comp); returns the new sum (also stored).
 * An infinite sum resets the compensation, as Prometheus' kahansum.Inc does.
 */
function kahanAdd(sum: Float64Array, comp: Float64Array, i: number, x: number): void {
  const s = sum[i];
  const t = s + x;
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) comp[i] = 0;
  else if (Math.abs(s) >= Math.abs(x)) comp[i] += s - t + x;
  else comp[i] += x - t + s;
  sum[i] = t;
}

function aggregateGroups(
  e: AggregateExpr,
  param: Float64Array | undefined,
  input: readonly InstantSeries[],
  ctx: EvalContext,
): VectorValue {
  const steps = ctx.grid.count;
  const { groupOf, groupLabels, members } = assignGroups(
    input.map((s) => s.labels),
    e.grouping,
    e.without,
  );
  const groups = groupLabels.length;
  if (e.op === 'quantile') warnQuantileParam(e, param!, ctx);
  const out: InstantSeries[] = [];

  if (e.op === 'quantile') {
    const scratch = new Float64Array(input.length);
    for (let g = 0; g < groups; g++) {
      const series = newSeries(groupLabels[g], steps);
      for (let i = 0; i < steps; i++) {
        let n = 0;
        for (const m of members[g]) if (input[m].present[i] === 1) scratch[n++] = input[m].values[i];
        if (n === 0) continue;
        series.present[i] = 1;
        series.values[i] = quantile(param![i], scratch, n);
      }
      out.push(series);
    }
  } else {
    const st = new GroupState(groups * steps);
    for (let si = 0; si < input.length; si++) accumulate(e.op, st, input[si], groupOf[si] * steps, steps);
    for (let g = 0; g < groups; g++) out.push(finish(e.op, st, groupLabels[g], g * steps, steps));
  }

  const result: InstantSeries[] = [];
  for (let g = 0; g < groups; g++) {
    const s = out[g];
    const last = lastPresent(s.present);
    if (last < 0) continue;
    // Prometheus sets the group's pending name removal from the inputs of its last step.
    for (const m of members[g]) if (input[m].present[last] === 1 && input[m].dropName) s.dropName = true;
    result.push(s);
  }
  return { type: 'vector', series: result };
}

function lastPresent(p: Uint8Array): number {
  for (let i = p.length - 1; i >= 0; i--) if (p[i] === 1) return i;
  return -1;
}

function accumulate(op: AggregateExpr['op'], st: GroupState, s: InstantSeries, base: number, steps: number) {
  const { values, present } = s;
  for (let i = 0; i < steps; i++) {
    if (present[i] === 0) continue;
    const f = values[i];
    const c = base + i;
    if (st.seen[c] === 0) {
      st.seen[c] = 1;
      st.value[c] = f;
      st.mean[c] = f;
      st.count[c] = 1;
      if (op === 'stddev' || op === 'stdvar') st.value[c] = Number.isFinite(f) ? 0 : Number.NaN;
      continue;
    }
    switch (op) {
      case 'sum':
        kahanAdd(st.value, st.comp, c, f);
        break;
      case 'avg':
        addToMean(st, c, f);
        break;
      case 'max':
        if (st.value[c] < f || Number.isNaN(st.value[c])) st.value[c] = f;
        break;
      case 'min':
        if (st.value[c] > f || Number.isNaN(st.value[c])) st.value[c] = f;
        break;
      case 'count':
        st.count[c]++;
        break;
      case 'stddev':
      case 'stdvar': {
        const n = ++st.count[c];
        const delta = f - st.mean[c];
        st.mean[c] += delta / n;
        st.value[c] += delta * (f - st.mean[c]);
        break;
      }
      case 'group':
        break;
      default:
        throw new Error(`internal: ${op} is not a grouping aggregation`);
    }
  }
}

/**
 * avg: a plain Kahan sum while it stays finite (more accurate), then an incremental mean from the
 * first input that would overflow it (Prometheus' hybrid).
 */
function addToMean(st: GroupState, c: number, f: number): void {
  const n = ++st.count[c];
  if (st.incremental[c] === 0) {
    const sum = st.value[c];
    const t = sum + f;
    if (t !== Number.POSITIVE_INFINITY && t !== Number.NEGATIVE_INFINITY) {
      kahanAdd(st.value, st.comp, c, f);
      return;
    }
    st.incremental[c] = 1;
    st.mean[c] = sum / (n - 1);
    st.comp[c] /= n - 1;
  }
  const q = (n - 1) / n;
  st.mean[c] *= q;
  st.comp[c] *= q;
  kahanAdd(st.mean, st.comp, c, f / n);
}

function finish(
  op: AggregateExpr['op'],
  st: GroupState,
  labels: InstantSeries['labels'],
  base: number,
  steps: number,
): InstantSeries {
  const s = newSeries(labels, steps);
  for (let i = 0; i < steps; i++) {
    const c = base + i;
    if (st.seen[c] === 0) continue;
    let v: number;
    switch (op) {
      case 'sum':
        v = st.value[c] + st.comp[c];
        break;
      case 'avg':
        v =
          st.incremental[c] === 1
            ? st.mean[c] + st.comp[c]
            : st.value[c] / st.count[c] + st.comp[c] / st.count[c];
        break;
      case 'count':
        v = st.count[c];
        break;
      case 'group':
        v = 1;
        break;
      case 'stdvar':
        v = st.value[c] / st.count[c];
        break;
      case 'stddev':
        v = Math.sqrt(st.value[c] / st.count[c]);
        break;
      default:
        v = st.value[c];
    }
    s.present[i] = 1;
    s.values[i] = v;
  }
  return s;
}

/** quantile's φ outside [0, 1] (or NaN) is a warning, judged over all steps like Prometheus' fParams. */
function warnQuantileParam(e: AggregateExpr, q: Float64Array, ctx: EvalContext): void {
  const { max, min } = paramRange(q);
  const warn = (v: number) => ctx.env.annotations.warn(annotationText.invalidQuantile(v), e.param!.pos);
  if (q.some(Number.isNaN)) warn(Number.NaN);
  if (max > 1) warn(max);
  if (min < 0) warn(min);
}

/** Max and min over the steps with Go's math.Max/Min NaN propagation. */
export function paramRange(values: Float64Array): { max: number; min: number } {
  let max = -Number.MAX_VALUE;
  let min = Number.MAX_VALUE;
  for (const v of values) {
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  return { max, min };
}
