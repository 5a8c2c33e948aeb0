// Binary operators between scalars and vectors, and unary minus. Vector-to-vector matching lives
// in vector-matching.ts and set-operators.ts.

import type { BinaryExpr, BinaryOp, UnaryExpr } from '../ast.ts';
import { goPow } from '../functions/kernels/math.ts';
import type { EvalContext } from './context.ts';
import { dropMetricName, mergeSameLabels } from './labelsets.ts';
import { setOperation } from './set-operators.ts';
import { type InstantSeries, newSeries, type Value, type VectorValue } from './values.ts';
import { vectorMatchOperation } from './vector-matching.ts';

export function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Arithmetic operators (and atan2) change what the value means, so the result loses its name. */
export function changesMetricSchema(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || op === 'atan2';
}

/** An arithmetic operator on two floats (Go's math.Mod has JS's `%` semantics). */
export function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      throw new Error(`internal: ${op} is not arithmetic`);
  }
}

export function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw new Error(`internal: ${op} is not a comparison`);
  }
}

export async function evalBinary(e: BinaryExpr, ctx: EvalContext): Promise<Value> {
  const lhs = await ctx.evaluate(e.lhs);
  const rhs = await ctx.evaluate(e.rhs);
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const out = new Float64Array(ctx.grid.count);
    const cmp = isComparison(e.op);
    for (let i = 0; i < out.length; i++) {
      const l = lhs.values[i];
      const r = rhs.values[i];
      out[i] = cmp ? (compare(e.op, l, r) ? 1 : 0) : arithmetic(e.op, l, r);
    }
    return { type: 'scalar', values: out };
  }
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    if (e.op === 'and' || e.op === 'or' || e.op === 'unless') return setOperation(e, lhs, rhs, ctx);
    return vectorMatchOperation(e, lhs, rhs, ctx);
  }
  if (lhs.type === 'vector' && rhs.type === 'scalar') return vectorScalar(e, lhs, rhs.values, false, ctx);
  if (lhs.type === 'scalar' && rhs.type === 'vector') return vectorScalar(e, rhs, lhs.values, true, ctx);
  throw new Error(`internal: binary ${e.op} between ${lhs.type} and ${rhs.type}`);
}

/**
 * `vector op scalar` (or `scalar op vector` when `scalarOnLeft`). A comparison keeps the vector's
 * own value where it holds (whichever side the vector is on), or yields 1/0 with `bool`.
 */
function vectorScalar(
  e: BinaryExpr,
  vec: VectorValue,
  scalar: Float64Array,
  scalarOnLeft: boolean,
  ctx: EvalContext,
): VectorValue {
  const steps = ctx.grid.count;
  const cmp = isComparison(e.op);
  const dropsName = changesMetricSchema(e.op) || e.returnBool;
  const delayed = ctx.env.delayedNameRemoval;
  const out: InstantSeries[] = [];
  for (const s of vec.series) {
    const labels = dropsName && !delayed ? dropMetricName(s.labels) : s.labels;
    const r = newSeries(labels, steps, dropsName || s.dropName);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] === 0) continue;
      const v = s.values[i];
      const l = scalarOnLeft ? scalar[i] : v;
      const rr = scalarOnLeft ? v : scalar[i];
      if (cmp) {
        const keep = compare(e.op, l, rr);
        if (e.returnBool) r.values[i] = keep ? 1 : 0;
        else if (keep) r.values[i] = v;
        else continue;
      } else {
        r.values[i] = arithmetic(e.op, l, rr);
      }
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { type: 'vector', series: dropsName && !delayed ? mergeSameLabels(out) : out };
}

export async function evalUnary(e: UnaryExpr, ctx: EvalContext): Promise<Value> {
  const v = await ctx.evaluate(e.expr);
  if (e.op === '+') return v;
  if (v.type === 'scalar') return { type: 'scalar', values: v.values.map((x) => -x) };
  if (v.type !== 'vector') throw new Error(`internal: unary minus on a ${v.type}`);
  const delayed = ctx.env.delayedNameRemoval;
  const out = v.series.map(
    (s): InstantSeries => ({
      labels: delayed ? s.labels : dropMetricName(s.labels),
      values: s.values.map((x) => -x),
      present: s.present,
      dropName: true,
    }),
  );
  return { type: 'vector', series: delayed ? out : mergeSameLabels(out) };
}
