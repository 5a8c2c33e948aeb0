// topk, bottomk, limitk and limit_ratio: per step and group, a subset of the input series, which
// keep their own labels. The candidates are kept in a Go-compatible heap so ties resolve as in
// Prometheus; an instant query returns each group's selection in Prometheus' order (topk
// descending, bottomk ascending, NaN last; limitk/limit_ratio in heap order).

import { prometheusLabelsHash } from '../../model/xxhash64.ts';
import type { AggregateExpr } from '../ast.ts';
import { PromqlEvalError } from '../errors.ts';
import { paramRange } from './aggregate.ts';
import { annotationText } from './annotations.ts';
import type { EvalContext } from './context.ts';
import { formatGoG } from './go-format.ts';
import { byReverseValue, byValue, GoHeap } from './go-heap.ts';
import { assignGroups } from './grouping.ts';
import type { InstantSeries, VectorValue } from './values.ts';

// The float64 bounds Prometheus checks k against before converting it to int64:
// 9223372036854774784 and -2^63.
const MAX_INT64 = 2 ** 63 - 1024;
const MIN_INT64 = -(2 ** 63);
const TWO_POW_64 = 2 ** 64;

export function aggregateK(
  e: AggregateExpr,
  param: Float64Array,
  input: readonly InstantSeries[],
  ctx: EvalContext,
): VectorValue {
  const empty: VectorValue = { type: 'vector', series: [] };
  const { max, min } = paramRange(param);
  const hasNaN = param.some(Number.isNaN);
  if (e.op === 'limit_ratio') {
    if (max === 0 && min === 0) return empty;
    if (hasNaN) throw new PromqlEvalError('Ratio value is NaN');
    if (max > 1) ctx.env.annotations.warn(annotationText.invalidRatio(max, 1), e.param!.pos);
    if (min < -1) ctx.env.annotations.warn(annotationText.invalidRatio(min, -1), e.param!.pos);
  } else {
    if (max < 1) return empty;
    if (hasNaN) throw new PromqlEvalError('Parameter value is NaN');
    if (min <= MIN_INT64) throw new PromqlEvalError(`Scalar value ${formatGoG(min)} underflows int64`);
    if (max >= MAX_INT64) throw new PromqlEvalError(`Scalar value ${formatGoG(max)} overflows int64`);
  }

  const steps = ctx.grid.count;
  const { groupOf, groupLabels } = assignGroups(
    input.map((s) => s.labels),
    e.grouping,
    e.without,
  );
  const groups = groupLabels.length;
  const less = e.op === 'bottomk' ? byReverseValue : byValue;
  const heaps = Array.from({ length: groups }, () => new GoHeap(less));
  const seen = new Uint8Array(groups);
  // A series' sampling offset in [0, 1] for limit_ratio: Prometheus' hash of its labels over 2^64, so
  // the choice is stable and the same series as Prometheus'.
  const offsets =
    e.op === 'limit_ratio' ? input.map((s) => Number(prometheusLabelsHash(s.labels.flat)) / TWO_POW_64) : [];
  const selected: (Uint8Array | undefined)[] = new Array(input.length);
  const instantOrder: number[] = [];

  for (let i = 0; i < steps; i++) {
    const p = param[i];
    let k = 0;
    let r = 0;
    if (e.op === 'limit_ratio') {
      if (p === 0) continue;
      r = Math.min(1, Math.max(-1, p));
    } else {
      k = Math.min(Math.trunc(p), input.length);
      if (k < 1) continue;
    }
    seen.fill(0);
    for (let si = 0; si < input.length; si++) {
      if (input[si].present[i] === 0) continue;
      const v = input[si].values[i];
      const g = groupOf[si];
      const heap = heaps[g];
      if (seen[g] === 0) {
        seen[g] = 1;
        heap.clear();
        if (e.op !== 'limit_ratio' || ratioKeeps(r, offsets[si])) heap.push(si, v);
        continue;
      }
      switch (e.op) {
        case 'topk': {
          if (heap.length < k) heap.push(si, v);
          else {
            const root = heap.values[0];
            if (root < v || (Number.isNaN(root) && !Number.isNaN(v))) heap.replaceRoot(si, v);
          }
          break;
        }
        case 'bottomk': {
          if (heap.length < k) heap.push(si, v);
          else {
            const root = heap.values[0];
            if (root > v || (Number.isNaN(root) && !Number.isNaN(v))) heap.replaceRoot(si, v);
          }
          break;
        }
        case 'limitk':
          if (heap.length < k) heap.push(si, v);
          break;
        case 'limit_ratio':
          if (ratioKeeps(r, offsets[si])) heap.push(si, v);
          break;
        default:
          throw new Error(`internal: ${e.op} is not a k-aggregation`);
      }
    }
    for (let g = 0; g < groups; g++) {
      if (seen[g] === 0) continue;
      for (const si of orderedSelection(e.op, heaps[g])) {
        let mask = selected[si];
        if (mask === undefined) {
          mask = new Uint8Array(steps);
          selected[si] = mask;
        }
        mask[i] = 1;
        if (steps === 1) instantOrder.push(si);
      }
    }
  }

  const pick = (si: number): InstantSeries => ({
    labels: input[si].labels,
    values: input[si].values,
    present: selected[si]!,
    dropName: input[si].dropName,
  });
  if (steps === 1) return { type: 'vector', series: instantOrder.map(pick) };
  const out: InstantSeries[] = [];
  for (let si = 0; si < input.length; si++) if (selected[si] !== undefined) out.push(pick(si));
  return { type: 'vector', series: out };
}

/** Prometheus' AddRatioSampleWithOffset: r ≥ 0 keeps offsets below r, r < 0 the complement's top. */
function ratioKeeps(r: number, offset: number): boolean {
  return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
}

/** The heap's members in output order: topk descending, bottomk ascending (NaN last), else as is. */
function orderedSelection(op: AggregateExpr['op'], heap: GoHeap): number[] {
  const n = heap.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  if (op === 'topk' || op === 'bottomk') {
    const sign = op === 'topk' ? -1 : 1;
    idx.sort((a, b) => {
      const x = heap.values[a];
      const y = heap.values[b];
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
      return x === y ? 0 : x < y ? -sign : sign;
    });
  }
  return idx.map((i) => heap.ids[i]);
}
