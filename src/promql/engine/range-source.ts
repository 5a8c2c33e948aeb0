// A range vector argument — `sel[5m]` or a subquery `expr[5m:1m]` — as functions over range vectors
// consume it: a list of series whose samples are loaded one series at a time over the union of all
// steps' windows, and the rule that places each step's window (ref - range, ref].

import type { Labels } from '../../model/labels.ts';
import type { Expr, MatrixSelector, SubqueryExpr } from '../ast.ts';
import { PromqlEvalError } from '../errors.ts';
import { type EvalContext, resolveAt } from './context.ts';
import { firstMultipleAfter, gridOf, lastTime, type StepGrid, timeAt } from './grid.ts';
import { TOO_MANY_SAMPLES } from './limits.ts';
import { SampleBuffer } from './samples.ts';
import { expectVector, type MatrixValue, type RangeSeries } from './values.ts';

/** Longest step grid evaluated (typed arrays beyond this are impractical whatever the sample limit). */
const MAX_GRID_STEPS = 2 ** 28;

/** Sample columns of one series: `ts[0..length)` ascending, no staleness markers. */
export interface SampleColumns {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly length: number;
}

export interface RangeSource {
  readonly rangeMs: number;
  readonly offsetMs: number;
  /** The `@` time every window is pinned to, or undefined. */
  readonly at: number | undefined;
  /** The selector's matchers' expression, for absent_over_time's labels; undefined for subqueries. */
  readonly selector: MatrixSelector | undefined;
  readonly size: number;
  labels(i: number): Labels;
  dropName(i: number): boolean;
  /** Samples of series i; valid until the next call. */
  load(i: number): SampleColumns;
}

/** The end (ms) of step i's window: ref = (t or @) - offset; the window is (ref - range, ref]. */
export function windowEnd(src: RangeSource, grid: StepGrid, i: number): number {
  return (src.at ?? timeAt(grid, i)) - src.offsetMs;
}

/** Strips parentheses (and step-invariance wrappers) around a range argument. */
export function unwrapRangeArg(e: Expr): Expr {
  while (e.type === 'ParenExpr' || e.type === 'StepInvariantExpr') e = e.expr;
  return e;
}

export function isRangeArg(e: Expr): boolean {
  const u = unwrapRangeArg(e);
  return u.type === 'MatrixSelector' || u.type === 'SubqueryExpr';
}

export async function rangeSourceFor(
  arg: Expr,
  ctx: EvalContext,
  keepSubqueryDropName = false,
): Promise<RangeSource> {
  const e = unwrapRangeArg(arg);
  if (e.type === 'MatrixSelector') return matrixSelectorSource(e, ctx);
  if (e.type === 'SubqueryExpr') return subquerySource(e, ctx, keepSubqueryDropName);
  throw new Error(`internal: ${e.type} is not a range vector`);
}

function matrixSelectorSource(ms: MatrixSelector, ctx: EvalContext): RangeSource {
  const { grid, env } = ctx;
  const vs = ms.vector;
  const at = resolveAt(vs.at, env);
  const firstRef = (at ?? grid.start) - vs.offsetMs;
  const lastRef = (at ?? lastTime(grid)) - vs.offsetMs;
  // Windows are left-open: a sample exactly `range` before the ref is out, hence the +1.
  const minT = firstRef - ms.rangeMs + 1;
  const maxT = lastRef;
  const selected = env.store.querier(minT, maxT).select(vs.matchers);
  const buf = new SampleBuffer();
  return {
    rangeMs: ms.rangeMs,
    offsetMs: vs.offsetMs,
    at,
    selector: ms,
    size: selected.length,
    labels: (i) => selected[i].labels,
    dropName: () => false,
    load: (i) => {
      env.limits.countLoaded(buf.read(selected[i], minT, maxT, false));
      return buf;
    },
  };
}

/**
 * Evaluates a subquery's inner expression once on the absolute-aligned grid that covers every
 * outer step's window: points at multiples of the subquery step in (first ref - range, last ref].
 * A default step is the evaluation interval (Prometheus' noStepSubqueryIntervalFn), not the range
 * query's step.
 */
export async function evalSubquery(sq: SubqueryExpr, ctx: EvalContext): Promise<RangeSeries[]> {
  const { grid, env } = ctx;
  const step = sq.stepMs > 0 ? sq.stepMs : env.defaultSubqueryStepMs;
  const at = resolveAt(sq.at, env);
  const innerEnd = (at ?? lastTime(grid)) - sq.offsetMs;
  const innerStart = firstMultipleAfter((at ?? grid.start) - sq.offsetMs - sq.rangeMs, step);
  const inner = gridOf(innerStart, innerEnd, step);
  if (inner.count === 0) return [];
  // Every node on the inner grid holds a value per step, so a grid longer than the sample limit
  // cannot be evaluated (and would not fit in memory): `x[100y:1ms]`.
  if (inner.count > Math.min(env.limits.maxSamples, MAX_GRID_STEPS))
    throw new PromqlEvalError(TOO_MANY_SAMPLES);
  const value = expectVector(await ctx.onGrid(inner).evaluate(sq.expr), 'subquery');
  const out: RangeSeries[] = [];
  for (const s of value.series) {
    let n = 0;
    for (let i = 0; i < inner.count; i++) n += s.present[i];
    if (n === 0) continue;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < inner.count; i++) {
      if (s.present[i] === 0) continue;
      ts[k] = innerStart + i * step;
      vs[k++] = s.values[i];
    }
    out.push({ labels: s.labels, ts, vs, dropName: s.dropName });
  }
  return out;
}

async function subquerySource(
  sq: SubqueryExpr,
  ctx: EvalContext,
  keepDropName: boolean,
): Promise<RangeSource> {
  const series = await evalSubquery(sq, ctx);
  return {
    rangeMs: sq.rangeMs,
    offsetMs: sq.offsetMs,
    at: resolveAt(sq.at, ctx.env),
    selector: undefined,
    size: series.length,
    labels: (i) => series[i].labels,
    // Prometheus hands a subquery's result to a function as plain storage series: a pending name
    // removal does not survive that (it does when the subquery is the whole query).
    dropName: (i) => keepDropName && series[i].dropName,
    load: (i) => ({ ts: series[i].ts, vs: series[i].vs, length: series[i].ts.length }),
  };
}

/** A bare range selector or subquery as an instant query's result: each series' samples in its window. */
export async function evalRangeValue(e: Expr, ctx: EvalContext): Promise<MatrixValue> {
  const src = await rangeSourceFor(e, ctx, true);
  const end = windowEnd(src, ctx.grid, 0);
  const start = end - src.rangeMs;
  const out: RangeSeries[] = [];
  for (let i = 0; i < src.size; i++) {
    if (i % 64 === 0) await ctx.env.limits.checkpoint();
    const cols = src.load(i);
    let from = 0;
    while (from < cols.length && cols.ts[from] <= start) from++;
    let to = from;
    while (to < cols.length && cols.ts[to] <= end) to++;
    if (to === from) continue;
    ctx.env.limits.hold(to - from);
    out.push({
      labels: src.labels(i),
      ts: cols.ts.slice(from, to),
      vs: cols.vs.slice(from, to),
      dropName: src.dropName(i),
    });
  }
  return { type: 'matrix', series: out };
}
