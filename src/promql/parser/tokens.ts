// The tokens of PromQL as Prometheus' lexer (promql/parser/lex.go) cuts them, and how its syntax
// errors name them ("unexpected <op:+>", "unexpected identifier \"foo\"", ...).

import { goQuote, goQuoteTruncated } from './strings.ts';

export const Tok = {
  IDENTIFIER: 1,
  METRIC_IDENTIFIER: 2,
  NUMBER: 3,
  DURATION: 4,
  STRING: 5,
  LEFT_PAREN: 6,
  RIGHT_PAREN: 7,
  LEFT_BRACE: 8,
  RIGHT_BRACE: 9,
  LEFT_BRACKET: 10,
  RIGHT_BRACKET: 11,
  COMMA: 12,
  EQL: 13,
  COLON: 14,
  DOUBLE_COLON: 15,
  // Operators.
  ADD: 20,
  SUB: 21,
  MUL: 22,
  DIV: 23,
  MOD: 24,
  POW: 25,
  EQLC: 26,
  NEQ: 27,
  LTE: 28,
  LSS: 29,
  GTE: 30,
  GTR: 31,
  EQL_REGEX: 32,
  NEQ_REGEX: 33,
  AT: 34,
  LAND: 35,
  LOR: 36,
  LUNLESS: 37,
  ATAN2: 38,
  // Aggregators.
  SUM: 40,
  AVG: 41,
  COUNT: 42,
  MIN: 43,
  MAX: 44,
  GROUP: 45,
  STDDEV: 46,
  STDVAR: 47,
  TOPK: 48,
  BOTTOMK: 49,
  COUNT_VALUES: 50,
  QUANTILE: 51,
  LIMITK: 52,
  LIMIT_RATIO: 53,
  // Keywords.
  OFFSET: 60,
  SMOOTHED: 61,
  ANCHORED: 62,
  BY: 63,
  WITHOUT: 64,
  ON: 65,
  IGNORING: 66,
  GROUP_LEFT: 67,
  GROUP_RIGHT: 68,
  FILL: 69,
  FILL_LEFT: 70,
  FILL_RIGHT: 71,
  BOOL: 72,
  // Preprocessors and duration functions.
  START: 80,
  END: 81,
  STEP: 82,
  RANGE: 83,
  MIN_OF: 84,
  MAX_OF: 85,
} as const;

export type TokKind = (typeof Tok)[keyof typeof Tok];

/** Words that are keywords wherever they stand outside braces (matched case-insensitively). */
export const KEYWORDS: ReadonlyMap<string, TokKind> = new Map<string, TokKind>([
  ['and', Tok.LAND],
  ['or', Tok.LOR],
  ['unless', Tok.LUNLESS],
  ['atan2', Tok.ATAN2],
  ['sum', Tok.SUM],
  ['avg', Tok.AVG],
  ['count', Tok.COUNT],
  ['min', Tok.MIN],
  ['max', Tok.MAX],
  ['group', Tok.GROUP],
  ['stddev', Tok.STDDEV],
  ['stdvar', Tok.STDVAR],
  ['topk', Tok.TOPK],
  ['bottomk', Tok.BOTTOMK],
  ['count_values', Tok.COUNT_VALUES],
  ['quantile', Tok.QUANTILE],
  ['limitk', Tok.LIMITK],
  ['limit_ratio', Tok.LIMIT_RATIO],
  ['offset', Tok.OFFSET],
  ['smoothed', Tok.SMOOTHED],
  ['anchored', Tok.ANCHORED],
  ['by', Tok.BY],
  ['without', Tok.WITHOUT],
  ['on', Tok.ON],
  ['ignoring', Tok.IGNORING],
  ['group_left', Tok.GROUP_LEFT],
  ['group_right', Tok.GROUP_RIGHT],
  ['fill', Tok.FILL],
  ['fill_left', Tok.FILL_LEFT],
  ['fill_right', Tok.FILL_RIGHT],
  ['bool', Tok.BOOL],
  ['start', Tok.START],
  ['end', Tok.END],
  ['step', Tok.STEP],
  ['range', Tok.RANGE],
  ['min_of', Tok.MIN_OF],
  ['max_of', Tok.MAX_OF],
  // Special numbers.
  ['inf', Tok.NUMBER],
  ['nan', Tok.NUMBER],
]);

const PUNCTUATION = new Set<number>([
  Tok.LEFT_PAREN,
  Tok.RIGHT_PAREN,
  Tok.LEFT_BRACE,
  Tok.RIGHT_BRACE,
  Tok.LEFT_BRACKET,
  Tok.RIGHT_BRACKET,
  Tok.COMMA,
  Tok.EQL,
  Tok.COLON,
  Tok.DOUBLE_COLON,
]);

export function isOperator(k: number): boolean {
  return k >= Tok.ADD && k <= Tok.ATAN2;
}

export function isAggregator(k: number): boolean {
  return k >= Tok.SUM && k <= Tok.LIMIT_RATIO;
}

export function isKeyword(k: number): boolean {
  return k >= Tok.OFFSET && k <= Tok.BOOL;
}

/** Keywords Prometheus also takes as a metric name (its grammar's `metric_identifier`). */
export function canBeMetricName(k: number): boolean {
  return (
    k === Tok.IDENTIFIER ||
    k === Tok.METRIC_IDENTIFIER ||
    isAggregator(k) ||
    k === Tok.LAND ||
    k === Tok.LOR ||
    k === Tok.LUNLESS ||
    k === Tok.BY ||
    k === Tok.WITHOUT ||
    k === Tok.OFFSET ||
    k === Tok.SMOOTHED ||
    k === Tok.ANCHORED ||
    isPreprocessor(k)
  );
}

/** `start`, `end`, `step`, `range`, `min_of`, `max_of`: Prometheus' preprocessor tokens. */
export function isPreprocessor(k: number): boolean {
  return k >= Tok.START && k <= Tok.MAX_OF;
}

/** The words that are functions inside duration expressions: step(), range(), min_of(), max_of(). */
export function isDurationFunction(k: number): boolean {
  return k >= Tok.STEP && k <= Tok.MAX_OF;
}

/**
 * How a syntax error names a token, as Prometheus' `Item.desc()`: `<op:+>`, `<aggr:sum>`, `<by>`,
 * `"("`, `identifier "foo"`, `number "1"`, `string "\"a\""`.
 */
export function describeToken(kind: number, text: string): string {
  if (isOperator(kind)) return `<op:${text}>`;
  if (isAggregator(kind)) return `<aggr:${text}>`;
  if (isKeyword(kind)) return `<${text}>`;
  if (PUNCTUATION.has(kind) || isPreprocessor(kind)) return shortQuote(text);
  switch (kind) {
    case Tok.IDENTIFIER:
      return `identifier ${goQuote(text)}`;
    case Tok.METRIC_IDENTIFIER:
      return `metric identifier ${goQuote(text)}`;
    case Tok.NUMBER:
      return `number ${shortQuote(text)}`;
    case Tok.DURATION:
      return `duration ${shortQuote(text)}`;
    case Tok.STRING:
      return `string ${shortQuote(text)}`;
  }
  return shortQuote(text);
}

/** Go's `%q`, but `%.10q...` for values longer than 10 bytes (Prometheus' `Item.String()`). */
function shortQuote(text: string): string {
  return Buffer.byteLength(text) > 10 ? `${goQuoteTruncated(text, 10)}...` : goQuote(text);
}
