// The harness' step-invariance re-runs of an instant eval: the query with `@ <eval time>` added to
// every selector and subquery that has no `@ <time>` yet (inside a subquery nothing changes: the
// subquery itself is pinned), evaluated at other times, must give the same result. Queries calling a
// function whose result depends on the evaluation time even for pinned arguments are not re-run.

import type { AtModifier, Expr, VectorSelector } from '../ast.ts';
import { AT_UNSAFE_FUNCTIONS } from '../engine/step-invariance.ts';
import { formatExpr } from '../printer.ts';
import { childrenOf } from './ast-walk.ts';

/**
 * Prometheus' AtModifierUnsafeFunctions, and start(), end(), step() and range(), whose values are
 * the query's own time range: an `@` cannot pin them.
 */
const TIME_DEPENDENT_FUNCTIONS: ReadonlySet<string> = new Set([
  ...AT_UNSAFE_FUNCTIONS,
  'start',
  'end',
  'step',
  'range',
]);

export interface PinnedCase {
  /** The query as printed with the `@` modifiers added. */
  readonly query: string;
  readonly timeMs: number;
}

/** The re-runs for an instant eval of `expr` at `evalMs`; none when the query is time dependent. */
export function stepInvarianceCases(expr: Expr, evalMs: number): PinnedCase[] {
  if (callsTimeDependentFunction(expr)) return [];
  const query = formatExpr(pinAt(expr, { kind: 'timestamp', ms: evalMs }));
  const times =
    evalMs === 0 ? [-1000, 0, 1000] : [-10 * evalMs, 0, Math.trunc(evalMs / 5), evalMs, 10 * evalMs];
  return times.map((timeMs) => ({ query, timeMs }));
}

/** Outside subqueries (whose insides are left alone), whether a time-dependent function is called. */
function callsTimeDependentFunction(e: Expr): boolean {
  if (e.type === 'SubqueryExpr') return false;
  if (e.type === 'Call' && TIME_DEPENDENT_FUNCTIONS.has(e.func)) return true;
  return childrenOf(e).some(callsTimeDependentFunction);
}

/** A copy of the tree with `at` on every selector and outermost subquery not pinned to a time yet. */
export function pinAt(e: Expr, at: AtModifier): Expr {
  switch (e.type) {
    case 'VectorSelector':
      return pinSelector(e, at);
    case 'MatrixSelector':
      return { ...e, vector: pinSelector(e.vector, at) };
    case 'SubqueryExpr':
      return e.at?.kind === 'timestamp' ? e : { ...e, at };
    case 'AggregateExpr':
      return { ...e, expr: pinAt(e.expr, at), param: e.param === undefined ? undefined : pinAt(e.param, at) };
    case 'BinaryExpr':
      return { ...e, lhs: pinAt(e.lhs, at), rhs: pinAt(e.rhs, at) };
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return { ...e, expr: pinAt(e.expr, at) };
    case 'Call':
      return { ...e, args: e.args.map((a) => pinAt(a, at)) };
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
  }
}

// `@ start()` / `@ end()` are replaced too: Prometheus keeps those apart from the timestamp it sets.
function pinSelector(v: VectorSelector, at: AtModifier): VectorSelector {
  return v.at?.kind === 'timestamp' ? v : { ...v, at };
}
