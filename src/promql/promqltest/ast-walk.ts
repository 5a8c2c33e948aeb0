// Visiting the nodes of a PromQL tree, for the runner's checks of what a query uses.

import type { Expr } from '../ast.ts';

/** The direct sub-expressions of a node. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vector];
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'AggregateExpr':
      return e.param === undefined ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
  }
}

/** Every node of the tree, parents first. */
export function* nodesOf(e: Expr): Generator<Expr> {
  yield e;
  for (const c of childrenOf(e)) yield* nodesOf(c);
}
