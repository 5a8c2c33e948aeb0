// Argument helpers shared by the function implementations.

import type { Expr } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { expectScalar, expectVector, type InstantSeries } from '../../engine/values.ts';

export async function scalarArg(ctx: EvalContext, e: Expr, what: string): Promise<Float64Array> {
  return expectScalar(await ctx.evaluate(e), what).values;
}

export async function vectorArg(ctx: EvalContext, e: Expr, what: string): Promise<InstantSeries[]> {
  return expectVector(await ctx.evaluate(e), what).series;
}

/** A string literal argument (strings are never computed in PromQL). */
export async function stringArg(ctx: EvalContext, e: Expr, what: string): Promise<string> {
  const v = await ctx.evaluate(e);
  if (v.type !== 'string') throw new Error(`internal: ${what} is a ${v.type}, not a string`);
  return v.value;
}

/** Strips parentheses, which Prometheus removes from function arguments before evaluating. */
export function unwrapParens(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}
