// Which parts of a query have the same value at every step, so a range query evaluates them once
// at its first step and repeats the result (Prometheus' StepInvariantExpr preprocessing): anything
// pinned by `@`, literals, and functions of only those — except the functions whose result depends
// on the evaluation time itself (time(), the date functions, timestamp(), predict_linear()).
// Evaluating such a part per step would give the same numbers; this is both the optimisation and
// the exact Prometheus semantics in the corner cases (e.g. an aggregation's parameter is read at
// the first step only when the aggregated expression is pinned).

import type { Expr } from '../ast.ts';

export const AT_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

export class StepInvariance {
  readonly #memo = new WeakMap<Expr, boolean>();

  /** Whether `e` evaluates to the same value at every step. */
  isInvariant(e: Expr): boolean {
    const known = this.#memo.get(e);
    if (known !== undefined) return known;
    // Post-order over the unknown part of the subtree, without recursion (queries nest deeply).
    const stack: { node: Expr; expanded: boolean }[] = [{ node: e, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (this.#memo.has(top.node)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        for (const c of children(top.node)) if (!this.#memo.has(c)) stack.push({ node: c, expanded: false });
        continue;
      }
      stack.pop();
      this.#memo.set(top.node, this.#compute(top.node));
    }
    return this.#memo.get(e)!;
  }

  /**
   * Whether `e` is worth evaluating once and repeating: invariant, and a node that yields an instant
   * vector or scalar by itself (literals are cheap anyway; range arguments are consumed by their
   * function, which is the unit that gets repeated).
   */
  evaluateOnce(e: Expr): boolean {
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
      case 'MatrixSelector':
      case 'SubqueryExpr':
        return false;
      default:
        return this.isInvariant(e);
    }
  }

  /** From the children's memoized answers. */
  #compute(e: Expr): boolean {
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
      case 'StepInvariantExpr':
        return true;
      case 'VectorSelector':
        return e.at !== undefined;
      case 'MatrixSelector':
        return e.vector.at !== undefined;
      case 'SubqueryExpr':
        return e.at !== undefined;
      case 'ParenExpr':
      case 'UnaryExpr':
        return this.#memo.get(e.expr)!;
      case 'AggregateExpr':
        // As Prometheus: the parameter does not count.
        return this.#memo.get(e.expr)!;
      case 'BinaryExpr':
        return this.#memo.get(e.lhs)! && this.#memo.get(e.rhs)!;
      case 'Call':
        if (AT_UNSAFE_FUNCTIONS.has(e.func)) return false;
        return e.args.every((a) => this.#memo.get(a)!);
    }
  }
}

/** The sub-expressions invariance depends on. */
function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'AggregateExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
    default:
      return [];
  }
}
