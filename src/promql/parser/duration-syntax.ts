// Duration expressions in the lezer tree → DurationExpr / NumberLiteral, doing what Prometheus'
// grammar actions do for `duration_expr`, `offset_duration_expr` and `paren_duration_expr`: signs
// fold into literals, parentheses are kept (so the expression prints back as written), a division or
// modulo by a literal zero and a literal beyond an int64 of nanoseconds are parse errors. Everything
// else that can go wrong (a range that comes out ≤ 0, a division by an expression that is 0, …) is
// found when the expression is evaluated (duration-eval.ts), as in Prometheus.
//
// The lezer grammar has `DurationExpr` inside brackets and `OffsetDurationExpr` after `offset`, the
// latter without binary operators: `x offset 1m + 1m` is `(x offset 1m) + 1m`, as in Prometheus.

import type { SyntaxNode } from '@lezer/common';
import type { DurationExpr, DurationOp, DurationOperand, NumberLiteral, PosRange } from '../ast.ts';

/** What the tree walk lends this file: the tree, the literals and its way of failing. */
export interface DurationSource {
  children(n: SyntaxNode): SyntaxNode[];
  /** The unsigned literal of a NumberDurationLiteralInDurationContext node (value in seconds). */
  literal(n: SyntaxNode): NumberLiteral;
  /** The node's text, from the original query. */
  slice(n: SyntaxNode): string;
  fail(message: string, start: number, end: number): never;
}

const BINARY: Record<string, DurationOp> = { Pow: '^', Mul: '*', Div: '/', Mod: '%', Add: '+', Sub: '-' };

// A literal beyond this many seconds does not fit a time.Duration (int64 nanoseconds).
const MAX_LITERAL_SECONDS = 2 ** 63 / 1e9;

/** A `DurationExpr` node (inside `[…]`, or in parentheses after `offset`). */
export function durationOperand(n: SyntaxNode, src: DurationSource): DurationOperand {
  const kids = src.children(n);
  if (kids.length === 3 && Object.hasOwn(BINARY, kids[1].name)) {
    const lhs = durationOperand(kids[0], src);
    const rhs = durationOperand(kids[2], src);
    const op = BINARY[kids[1].name];
    // Only a literal zero is caught here; `x[1m / (1 - 1)]` fails when evaluated.
    if (rhs.type === 'NumberLiteral' && rhs.value === 0 && (op === '/' || op === '%'))
      src.fail(op === '/' ? 'division by zero' : 'modulo by zero', kids[1].from, kids[1].to);
    return durationExpr(op, lhs, rhs, range(lhs.pos.start, rhs.pos.end));
  }
  if (kids.length === 2 && kids[0].name === 'UnaryOp')
    return signed(src.slice(kids[0]), kids[0].from, durationOperand(kids[1], src));
  return primary(n, kids, src);
}

/** An `OffsetDurationExpr` node: signs, then a literal, step(), range(), min_of, max_of or `(…)`. */
export function offsetOperand(n: SyntaxNode, src: DurationSource): DurationOperand {
  const kids = src.children(n);
  if (kids.length === 2 && kids[0].name === 'UnaryOp')
    return signed(src.slice(kids[0]), kids[0].from, offsetOperand(kids[1], src));
  return primary(n, kids, src);
}

/** The alternatives both node kinds share (lezer's inlined `durationPrimary`). */
function primary(n: SyntaxNode, kids: SyntaxNode[], src: DurationSource): DurationOperand {
  const first = kids[0];
  switch (first?.name) {
    case 'NumberDurationLiteralInDurationContext': {
      const lit = src.literal(first);
      if (!(Math.abs(lit.value) <= MAX_LITERAL_SECONDS))
        src.fail('duration out of range', lit.pos.start, lit.pos.end);
      return lit;
    }
    case 'DurationStep':
    case 'DurationRange':
      return durationExpr(
        first.name === 'DurationStep' ? 'step' : 'range',
        undefined,
        undefined,
        range(n.from, n.to),
      );
    case 'DurationMinOf':
    case 'DurationMaxOf': {
      const lhs = durationOperand(kids[1], src);
      const rhs = durationOperand(kids[2], src);
      // Prometheus' PositionRange of min_of/max_of spans the two arguments.
      const op = first.name === 'DurationMinOf' ? 'min_of' : 'max_of';
      return durationExpr(op, lhs, rhs, range(lhs.pos.start, rhs.pos.end));
    }
    case 'DurationExpr':
      return parenthesized(durationOperand(first, src), n);
  }
  throw new Error(`unexpected ${first?.name ?? 'empty'} node in a duration expression`);
}

/**
 * `(e)`: a duration expression is marked as written in parentheses; a literal becomes a unary `+` of it
 * (Prometheus' wrapParenDurationExpr), so `x[(5m)]` prints back as written.
 */
function parenthesized(e: DurationOperand, paren: SyntaxNode): DurationExpr {
  if (e.type === 'DurationExpr') return { ...e, wrapped: true };
  return {
    type: 'DurationExpr',
    op: '+',
    lhs: undefined,
    rhs: e,
    wrapped: true,
    pos: range(paren.from, e.pos.end),
  };
}

/** A sign before an operand: folded into a literal, a unary minus node for an expression, `+` dropped. */
function signed(sign: string, start: number, e: DurationOperand): DurationOperand {
  if (e.type === 'NumberLiteral')
    return { ...e, value: sign === '-' ? -e.value : e.value, pos: range(start, e.pos.end) };
  if (sign === '+') return e;
  return durationExpr('-', undefined, e, range(start, e.pos.end));
}

function durationExpr(
  op: DurationOp,
  lhs: DurationOperand | undefined,
  rhs: DurationOperand | undefined,
  pos: PosRange,
): DurationExpr {
  return { type: 'DurationExpr', op, lhs, rhs, wrapped: false, pos };
}

const range = (start: number, end: number): PosRange => ({ start, end });
