// The value type of an expression (Prometheus' Expr.Type()) and how messages name types.

import type { BinaryExpr, Expr, ValueType } from '../ast.ts';
import { FUNCTIONS } from '../functions/signatures.ts';

// Trees are immutable: a binary expression's type is worked out once (long operator chains would
// otherwise make typing every node quadratic).
const binaryTypes = new WeakMap<BinaryExpr, ValueType>();

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
    case 'BinaryExpr': {
      let t = binaryTypes.get(e);
      if (t === undefined) {
        t = typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
        binaryTypes.set(e, t);
      }
      return t;
    }
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
