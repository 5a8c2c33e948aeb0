// The value type of an expression (Prometheus' Expr.Type()) and how messages name types.

import type { Expr, ValueType } from '../ast.ts';
import { FUNCTIONS } from '../functions/signatures.ts';

/** The type an expression evaluates to; meaningful for trees that passed type checking. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'BinaryExpr':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return typeOf(e.expr);
    case 'Call':
      return FUNCTIONS.get(e.func)?.returnType ?? 'vector';
  }
}

/** Prometheus' DocumentedType: `instant vector`, `range vector`, `scalar`, `string`. */
export function documentedType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
