// The PromQL functions and their types, as Prometheus 3.x declares them (promql/parser/functions.go):
// the parser checks calls against these; `/api/v1/parse_query` shows them. Experimental functions are
// accepted (telemux enables them, as Prometheus' test harness does); the flag is documentation.

import type { ValueType } from '../ast.ts';

export interface FunctionSignature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /**
   * 0: exactly `argTypes.length` arguments. n > 0: the last argument may be left out and up to n
   * arguments may be given in its place (Prometheus' `Variadic`). -1: the last type repeats without limit.
   */
  readonly variadic: number;
  readonly returnType: ValueType;
  readonly experimental: boolean;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

type Spec = readonly [
  argTypes: readonly ValueType[],
  returnType: ValueType,
  variadic?: number,
  experimental?: 'x',
];

// name → [argument types, return type, variadic, experimental]
const SPECS: Record<string, Spec> = {
  abs: [[V], V],
  absent: [[V], V],
  absent_over_time: [[M], V],
  acos: [[V], V],
  acosh: [[V], V],
  asin: [[V], V],
  asinh: [[V], V],
  atan: [[V], V],
  atanh: [[V], V],
  avg_over_time: [[M], V],
  ceil: [[V], V],
  changes: [[M], V],
  clamp: [[V, S, S], V],
  clamp_max: [[V, S], V],
  clamp_min: [[V, S], V],
  cos: [[V], V],
  cosh: [[V], V],
  count_over_time: [[M], V],
  days_in_month: [[V], V, 1],
  day_of_month: [[V], V, 1],
  day_of_week: [[V], V, 1],
  day_of_year: [[V], V, 1],
  deg: [[V], V],
  delta: [[M], V],
  deriv: [[M], V],
  double_exponential_smoothing: [[M, S, S], V, 0, 'x'],
  end: [[], S, 0, 'x'],
  exp: [[V], V],
  first_over_time: [[M], V, 0, 'x'],
  floor: [[V], V],
  histogram_avg: [[V], V],
  histogram_count: [[V], V],
  histogram_fraction: [[S, S, V], V],
  histogram_quantile: [[S, V], V],
  histogram_quantiles: [[V, STR, S, S], V, 9, 'x'],
  histogram_stddev: [[V], V],
  histogram_stdvar: [[V], V],
  histogram_sum: [[V], V],
  hour: [[V], V, 1],
  idelta: [[M], V],
  increase: [[M], V],
  info: [[V, V], V, 1, 'x'],
  integral: [[M, S], V, 1, 'x'],
  irate: [[M], V],
  label_join: [[V, STR, STR, STR], V, -1],
  label_replace: [[V, STR, STR, STR, STR], V],
  last_over_time: [[M], V],
  ln: [[V], V],
  log10: [[V], V],
  log2: [[V], V],
  mad_over_time: [[M], V, 0, 'x'],
  max_of: [[S, S], S, 0, 'x'],
  max_over_time: [[M], V],
  min_of: [[S, S], S, 0, 'x'],
  min_over_time: [[M], V],
  minute: [[V], V, 1],
  month: [[V], V, 1],
  pi: [[], S],
  predict_linear: [[M, S], V],
  present_over_time: [[M], V],
  quantile_over_time: [[S, M], V],
  rad: [[V], V],
  range: [[], S, 0, 'x'],
  rate: [[M], V],
  resets: [[M], V],
  round: [[V, S], V, 1],
  scalar: [[V], S],
  sgn: [[V], V],
  sin: [[V], V],
  sinh: [[V], V],
  sort: [[V], V],
  sort_by_label: [[V, STR], V, -1, 'x'],
  sort_by_label_desc: [[V, STR], V, -1, 'x'],
  sort_desc: [[V], V],
  sqrt: [[V], V],
  start: [[], S, 0, 'x'],
  stddev_over_time: [[M], V],
  stdvar_over_time: [[M], V],
  step: [[], S, 0, 'x'],
  sum_over_time: [[M], V],
  tan: [[V], V],
  tanh: [[V], V],
  time: [[], S],
  timestamp: [[V], V],
  ts_of_first_over_time: [[M], V, 0, 'x'],
  ts_of_last_over_time: [[M], V, 0, 'x'],
  ts_of_max_over_time: [[M], V, 0, 'x'],
  ts_of_min_over_time: [[M], V, 0, 'x'],
  vector: [[S], V],
  year: [[V], V, 1],
};

/** Every PromQL function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(
  Object.entries(SPECS).map(([name, [argTypes, returnType, variadic = 0, experimental]]) => [
    name,
    Object.freeze({ name, argTypes, variadic, returnType, experimental: experimental === 'x' }),
  ]),
);
