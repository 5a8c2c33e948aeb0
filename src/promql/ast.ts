// The typed PromQL syntax tree the engine evaluates. The parser adapter (parser/) builds it from the
// lezer tree and type-checks it; the printer turns it back into canonical text. Positions are
// 0-based UTF-16 offsets into the query text, [start, end).

import type { Matcher } from '../tsdb/index/matcher.ts';

/** The four PromQL value types (Prometheus' parser.ValueType). */
export type ValueType = 'scalar' | 'string' | 'vector' | 'matrix';

export interface PosRange {
  readonly start: number;
  readonly end: number;
}

/** `@ <ts>`, `@ start()`, `@ end()`; ts in ms. */
export type AtModifier =
  | { readonly kind: 'timestamp'; readonly ms: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly value: number;
  /** Written as a duration (`5m`, value 300): printed back as one, as Prometheus' String() does. */
  readonly duration?: boolean;
  readonly pos: PosRange;
}

export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly value: string;
  readonly pos: PosRange;
}

/** The operators of a duration expression: arithmetic, the query's step() and range(), min_of/max_of. */
export type DurationOp = '+' | '-' | '*' | '/' | '%' | '^' | 'step' | 'range' | 'min_of' | 'max_of';

/** What a duration expression is built of: number literals (seconds) and duration expressions. */
export type DurationOperand = NumberLiteral | DurationExpr;

/**
 * A range, subquery step or offset written as an expression (Prometheus' DurationExpr):
 * `x[5m * 2]`, `x[1h:step() * 4]`, `x offset -(1h + 5m)`, `x[max_of(step(), 1m)]`. Its value is in
 * seconds; `step()` and `range()` are the query's step and end - start, so an expression using them
 * has a value only once the query is known (the engine resolves it, engine/resolve-durations.ts).
 * Binary operators have both operands; a unary sign has `rhs` only; step() and range() have none.
 */
export interface DurationExpr {
  readonly type: 'DurationExpr';
  readonly op: DurationOp;
  readonly lhs: DurationOperand | undefined;
  readonly rhs: DurationOperand | undefined;
  /** Written in parentheses (kept so the expression prints back as written). */
  readonly wrapped: boolean;
  /**
   * The span Prometheus reports in this expression's evaluation errors (its PositionRange()): the
   * operands for a binary operator or min_of/max_of, from the sign for a unary one, the call for
   * step()/range(); parentheses are not included.
   */
  readonly pos: PosRange;
}

/**
 * `name{matchers} offset d @ t`. `name` is '' when only `{…}` is given.
 *
 * Durations written as expressions keep the expression (`offsetExpr` here, `rangeExpr`/`stepExpr`
 * below) next to the value in ms. The value is exact when the expression does not involve the query
 * (`offset (1h + 5m)`), and NaN until the engine resolves it when it does (`offset step()`) — or when
 * evaluating it fails (`[1m - 2m]`), which Prometheus reports when the query runs, not when it parses.
 */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  readonly name: string;
  /** Every matcher, including the `__name__` one for `name` (as Prometheus keeps them). */
  readonly matchers: readonly Matcher[];
  /** ms; negative for `offset -5m`. 0 when absent. */
  readonly offsetMs: number;
  /** The offset as written, when it is a duration expression. */
  readonly offsetExpr?: DurationExpr;
  readonly at: AtModifier | undefined;
  readonly pos: PosRange;
}

/** `selector[range]` — offset and @ live on the inner selector, as in Prometheus. */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vector: VectorSelector;
  readonly rangeMs: number;
  /** The range as written, when it is a duration expression (see VectorSelector). */
  readonly rangeExpr?: DurationExpr;
  readonly pos: PosRange;
}

/** `expr[range:step] offset d @ t`; stepMs 0 means the default (the query's step, or 1m for instant). */
export interface SubqueryExpr {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly rangeMs: number;
  readonly stepMs: number;
  readonly offsetMs: number;
  /** Range, step and offset as written, when they are duration expressions (see VectorSelector). */
  readonly rangeExpr?: DurationExpr;
  readonly stepExpr?: DurationExpr;
  readonly offsetExpr?: DurationExpr;
  readonly at: AtModifier | undefined;
  readonly pos: PosRange;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  readonly param: Expr | undefined;
  /** Label names of `by (…)` or `without (…)`; empty and `without: false` when neither is given. */
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PosRange;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/**
 * How tightly each binary operator binds (Prometheus' grammar precedence, 1 loosest); a unary sign
 * binds between 5 and 6, so `-1 ^ 2` is `-(1 ^ 2)`. `^` is right-associative.
 */
export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** Vector matching of a binary expression between two vectors (Prometheus' VectorMatching). */
export interface VectorMatching {
  readonly card: Cardinality;
  /** Labels of `on (…)` (when `on` is true) or `ignoring (…)`. */
  readonly matchingLabels: readonly string[];
  readonly on: boolean;
  /** The labels of `group_left (…)` / `group_right (…)` to copy from the "one" side. */
  readonly include: readonly string[];
}

export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** Set when both sides are vectors (always for set operators, card many-to-many). */
  readonly matching: VectorMatching | undefined;
  /** The `bool` modifier of a comparison. */
  readonly returnBool: boolean;
  readonly pos: PosRange;
}

export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  readonly op: '+' | '-';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export interface Call {
  readonly type: 'Call';
  /** The function's name as written (`rate`, `histogram_quantile`, …). */
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: PosRange;
}

/**
 * An expression whose value is the same at every step (Prometheus wraps `@`-pinned parts in
 * StepInvariantExpr so a range query evaluates them once). The parser does not emit it; the engine's
 * preprocessing may.
 */
export interface StepInvariantExpr {
  readonly type: 'StepInvariantExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | Call
  | StepInvariantExpr;

/** The value type an expression evaluates to (after type checking, so a valid tree is assumed). */
export type TypeOf = (e: Expr) => ValueType;
