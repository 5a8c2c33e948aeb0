// fast-check generators of well-typed PromQL trees in the form the parser builds them: parentheses
// as ParenExpr nodes wherever the text needs them, no unary minus directly on a number literal
// (the parser folds those), vector matching only between instant vectors.

import fc from 'fast-check';
import {
  type AggregateOp,
  type AtModifier,
  type BinaryOp,
  type Cardinality,
  type Expr,
  PRECEDENCE,
  type ValueType,
  type VectorMatching,
} from '../../../src/promql/ast.ts';
import { FUNCTIONS } from '../../../src/promql/functions/signatures.ts';
import { KEYWORDS } from '../../../src/promql/parser/tokens.ts';
import { Matcher, type MatchType } from '../../../src/tsdb/index/matcher.ts';

const POS = { start: 0, end: 0 };

const ARITHMETIC: BinaryOp[] = ['+', '-', '*', '/', '%', '^', 'atan2'];
const COMPARISON: BinaryOp[] = ['==', '!=', '>', '<', '>=', '<='];
const SET: BinaryOp[] = ['and', 'or', 'unless'];

const paren = (e: Expr): Expr => ({ type: 'ParenExpr', expr: e, pos: POS });

/** The operand as the parser would hold it: in parentheses when the text needs them. */
function operand(e: Expr, op: BinaryOp, side: 'lhs' | 'rhs'): Expr {
  if (e.type === 'BinaryExpr') {
    const c = PRECEDENCE[e.op];
    const p = PRECEDENCE[op];
    if (c < p || (c === p && side === (op === '^' ? 'lhs' : 'rhs'))) return paren(e);
  }
  if (op === '^' && side === 'lhs') {
    if (e.type === 'UnaryExpr') return paren(e);
    if (
      e.type === 'NumberLiteral' &&
      (e.value < 0 || Object.is(e.value, -0) || e.value === Number.NEGATIVE_INFINITY)
    )
      return paren(e);
  }
  return e;
}

// --- leaves ---

const IDENT = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_:'),
    fc.string({ unit: fc.constantFrom(...'abz_:09'), maxLength: 8 }),
  )
  .map(([a, b]) => a + b)
  .filter((s) => !KEYWORDS.has(s.toLowerCase()) && !s.startsWith('inf') && !s.startsWith('nan'));

const LABEL = fc.oneof(
  fc
    .tuple(fc.constantFrom(...'abcxyz_'), fc.string({ unit: fc.constantFrom(...'abz_09'), maxLength: 6 }))
    .map(([a, b]) => a + b),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
);

const TEXT = fc.string({ unit: 'grapheme', maxLength: 8 });
const REGEX = fc.constantFrom('.*', '.+', 'a|b', 'foo.*', '[a-z]+', '(x|y)z?', '');
const NUMBER = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, 0.1, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);
const DURATION = fc.oneof(
  fc.integer({ min: 1, max: 400 * 86_400_000 }),
  fc.constantFrom(1, 1000, 60_000, 5_400_000, 86_400_000, 7 * 86_400_000, 365 * 86_400_000),
);
const OFFSET = fc.oneof(
  fc.constant(0),
  DURATION,
  DURATION.map((d) => -d),
);
const AT: fc.Arbitrary<AtModifier | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'start' } as const),
  fc.constant({ kind: 'end' } as const),
  fc.integer({ min: -1e13, max: 1e13 }).map((ms) => ({ kind: 'timestamp', ms }) as const),
);

const matcher = fc
  .tuple(
    LABEL.filter((l) => l !== '__name__'),
    fc.constantFrom<MatchType>('=', '!=', '=~', '!~'),
    TEXT,
    REGEX,
  )
  .map(([l, t, text, re]) => new Matcher(t, l, t === '=~' || t === '!~' ? re : text));

const number: fc.Arbitrary<Expr> = NUMBER.map((value) => ({ type: 'NumberLiteral', value, pos: POS }));
const string: fc.Arbitrary<Expr> = TEXT.map((value) => ({ type: 'StringLiteral', value, pos: POS }));

const vectorSelector = fc
  .record({
    name: fc.oneof(IDENT, fc.constant('')),
    matchers: fc.array(matcher, { maxLength: 3 }),
    required: fc.tuple(
      LABEL.filter((l) => l !== '__name__'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }),
    ),
    quotedName: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), { nil: undefined }),
    offsetMs: OFFSET,
    at: AT,
  })
  .map(({ name, matchers, required, quotedName, offsetMs, at }): Expr => {
    const all = [...matchers];
    // A selector without a name needs a matcher that does not match the empty string.
    if (name === '')
      all.push(
        quotedName === undefined ? new Matcher('=', ...required) : new Matcher('=', '__name__', quotedName),
      );
    else all.push(new Matcher('=', '__name__', name));
    return { type: 'VectorSelector', name, matchers: all, offsetMs, at, pos: POS };
  });

// --- compound expressions, by type and depth ---

const cache = new Map<string, fc.Arbitrary<Expr>>();
function memo(key: string, make: () => fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  let a = cache.get(key);
  if (a === undefined) {
    a = make();
    cache.set(key, a);
  }
  return a;
}

export function exprOf(type: ValueType, depth: number): fc.Arbitrary<Expr> {
  switch (type) {
    case 'scalar':
      return scalar(depth);
    case 'vector':
      return vector(depth);
    case 'matrix':
      return matrix(depth);
    case 'string':
      return string;
  }
}

function scalar(depth: number): fc.Arbitrary<Expr> {
  return memo(`s${depth}`, () => {
    if (depth === 0) return number;
    const sub = scalar(depth - 1);
    return fc.oneof(
      { arbitrary: number, weight: 3 },
      sub.map(paren),
      unary(sub),
      fc
        .tuple(fc.constantFrom(...ARITHMETIC, ...COMPARISON), sub, sub)
        .map(([op, l, r]) => binary(op, l, r, undefined, COMPARISON.includes(op))),
      call('scalar', depth),
    );
  });
}

function vector(depth: number): fc.Arbitrary<Expr> {
  return memo(`v${depth}`, () => {
    if (depth === 0) return vectorSelector;
    const sub = vector(depth - 1);
    const anyOperand = fc.oneof(sub, scalar(depth - 1));
    return fc.oneof(
      { arbitrary: vectorSelector, weight: 2 },
      sub.map(paren),
      unary(sub),
      aggregate(depth),
      call('vector', depth),
      // Arithmetic and comparison with at least one vector side.
      fc
        .tuple(
          fc.constantFrom(...ARITHMETIC, ...COMPARISON),
          sub,
          anyOperand,
          fc.boolean(),
          fc.boolean(),
          matching(false),
        )
        .map(([op, v, other, vectorLeft, bool, m]) => {
          const [l, r] = vectorLeft ? [v, other] : [other, v];
          const both = l.type !== 'NumberLiteral' && isVector(l) && isVector(r);
          return binary(op, l, r, both ? m : undefined, COMPARISON.includes(op) && bool);
        }),
      fc
        .tuple(fc.constantFrom(...SET), sub, sub, matching(true))
        .map(([op, l, r, m]) => binary(op, l, r, m, false)),
    );
  });
}

function matrix(depth: number): fc.Arbitrary<Expr> {
  return memo(`m${depth}`, () => {
    const selector = fc
      .tuple(vectorSelector, DURATION, OFFSET, AT)
      .map(([v, rangeMs, offsetMs, at]): Expr => {
        const vector = v.type === 'VectorSelector' ? { ...v, offsetMs, at } : (v as never);
        return { type: 'MatrixSelector', vector, rangeMs, pos: POS };
      });
    if (depth === 0) return selector;
    return fc.oneof(
      selector,
      fc.tuple(vector(depth - 1), DURATION, fc.oneof(fc.constant(0), DURATION), OFFSET, AT).map(
        ([e, rangeMs, stepMs, offsetMs, at]): Expr => ({
          type: 'SubqueryExpr',
          expr: e.type === 'BinaryExpr' || e.type === 'UnaryExpr' ? paren(e) : e,
          rangeMs,
          stepMs,
          offsetMs,
          at,
          pos: POS,
        }),
      ),
    );
  });
}

function isVector(e: Expr): boolean {
  switch (e.type) {
    case 'NumberLiteral':
      return false;
    case 'VectorSelector':
    case 'AggregateExpr':
      return true;
    case 'BinaryExpr':
      return isVector(e.lhs) || isVector(e.rhs);
    case 'UnaryExpr':
    case 'ParenExpr':
      return isVector(e.expr);
    case 'Call':
      return FUNCTIONS.get(e.func)?.returnType === 'vector';
    default:
      return false;
  }
}

function unary(sub: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  return fc.tuple(fc.constantFrom<'+' | '-'>('+', '-'), sub).map(([op, e]): Expr => {
    // A sign on a literal folds into it, and on a looser binary expression needs parentheses.
    const inner = e.type === 'NumberLiteral' || (e.type === 'BinaryExpr' && e.op !== '^') ? paren(e) : e;
    return { type: 'UnaryExpr', op, expr: inner, pos: POS };
  });
}

function binary(
  op: BinaryOp,
  l: Expr,
  r: Expr,
  matching: VectorMatching | undefined,
  returnBool: boolean,
): Expr {
  return {
    type: 'BinaryExpr',
    op,
    lhs: operand(l, op, 'lhs'),
    rhs: operand(r, op, 'rhs'),
    matching,
    returnBool,
    pos: POS,
  };
}

function matching(setOperator: boolean): fc.Arbitrary<VectorMatching> {
  return fc
    .record({
      on: fc.boolean(),
      matchingLabels: fc.uniqueArray(LABEL, { maxLength: 3 }),
      card: setOperator
        ? fc.constant<Cardinality>('many-to-many')
        : fc.constantFrom<Cardinality>('one-to-one', 'many-to-one', 'one-to-many'),
      include: fc.uniqueArray(LABEL, { maxLength: 2 }),
    })
    .map(({ on, matchingLabels, card, include }) => ({
      on,
      matchingLabels,
      card,
      // Labels to copy only with group_left/right, and never also in on(...).
      include:
        card === 'many-to-one' || card === 'one-to-many'
          ? include.filter((l) => !on || !matchingLabels.includes(l))
          : [],
    }));
}

function aggregate(depth: number): fc.Arbitrary<Expr> {
  const ops: AggregateOp[] = [
    'sum',
    'avg',
    'min',
    'max',
    'count',
    'group',
    'stddev',
    'stdvar',
    'topk',
    'bottomk',
    'quantile',
    'count_values',
    'limitk',
    'limit_ratio',
  ];
  return fc
    .tuple(
      fc.constantFrom(...ops),
      vector(depth - 1),
      scalar(depth - 1),
      string,
      fc.uniqueArray(LABEL, { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([op, expr, s, str, grouping, without]): Expr => {
      const param =
        op === 'count_values'
          ? str
          : ['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio'].includes(op)
            ? s
            : undefined;
      return { type: 'AggregateExpr', op, expr, param, grouping, without, pos: POS };
    });
}

// Functions by return type, with their exact argument lists (info() takes a bare label selector: left out).
const CALLABLE = [...FUNCTIONS.values()].filter((f) => f.name !== 'info');

function call(returnType: ValueType, depth: number): fc.Arbitrary<Expr> {
  const fns = CALLABLE.filter((f) => f.returnType === returnType);
  return fc
    .constantFrom(...fns)
    .chain((f) =>
      fc
        .tuple(...f.argTypes.map((t) => exprOf(t, depth - 1)))
        .map((args): Expr => ({ type: 'Call', func: f.name, args, pos: POS })),
    );
}
