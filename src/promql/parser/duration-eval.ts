// The value of a duration expression (`5m * 2`, `step() + 1s`, `max_of(range(), 1h)`), computed as
// Prometheus' durationVisitor does (promql/durations.go): in float64 seconds, then truncated to whole
// milliseconds, with its errors. The parser uses it to fold expressions that do not involve the query;
// the engine resolves the others once it knows the query's step and range.

import type { DurationExpr, DurationOperand, PosRange } from '../ast.ts';
import { goMax, goMin, goPow } from '../functions/kernels/math.ts';

/** What step() and range() stand for: the query's step and end - start, both 0 for an instant query. */
export interface QueryShape {
  readonly stepMs: number;
  readonly rangeMs: number;
}

/** An expression that cannot be evaluated; `pos` is the node Prometheus names in the message. */
export class DurationEvalError extends Error {
  constructor(
    message: string,
    readonly pos: PosRange,
  ) {
    super(message);
  }
}

// Prometheus compares the seconds with int64's bounds (`1<<63-1` is 2^63 as a float64).
const MAX_SECONDS = 2 ** 63;
// Beyond this many ms a time.Duration (int64 nanoseconds) overflows; Go would wrap, we refuse.
const MAX_MS = 2 ** 63 / 1e6;

/** Whether the expression calls step() or range(), so its value depends on the query. */
export function usesQuery(e: DurationOperand | undefined): boolean {
  if (e === undefined || e.type === 'NumberLiteral') return false;
  if (e.op === 'step' || e.op === 'range') return true;
  return usesQuery(e.lhs) || usesQuery(e.rhs);
}

/**
 * Milliseconds of a range or subquery step (`allowNegative` false: must be > 0) or of an offset
 * (any sign): Prometheus' calculateDuration. Throws DurationEvalError.
 */
export function durationMs(e: DurationExpr, query: QueryShape, allowNegative: boolean): number {
  const s = seconds(e, query);
  if (s <= 0 && !allowNegative) throw new DurationEvalError('duration must be greater than 0', e.pos);
  // NaN (e.g. 0 * Inf) has no duration; Go would convert it to an arbitrary one.
  if (!(s <= MAX_SECONDS && s >= -MAX_SECONDS))
    throw new DurationEvalError('duration is out of range', e.pos);
  // time.Duration(s*1000) * time.Millisecond: truncated to whole ms.
  const ms = Math.trunc(s * 1000) + 0; // + 0: no negative zero
  if (Math.abs(ms) > MAX_MS) throw new DurationEvalError('duration is out of range', e.pos);
  return ms;
}

/**
 * The value in ms when it can be known without the query; NaN when it uses step()/range() or fails
 * (Prometheus reports such errors when the query runs, not when it parses).
 */
export function constantDurationMs(e: DurationExpr, allowNegative: boolean): number {
  if (usesQuery(e)) return Number.NaN;
  try {
    return durationMs(e, { stepMs: 0, rangeMs: 0 }, allowNegative);
  } catch (err) {
    if (err instanceof DurationEvalError) return Number.NaN;
    throw err;
  }
}

/** The value in seconds (Prometheus' evaluateDurationExpr). */
function seconds(e: DurationOperand, query: QueryShape): number {
  if (e.type === 'NumberLiteral') return e.value;
  if (e.op === 'step') return query.stepMs / 1000;
  if (e.op === 'range') return query.rangeMs / 1000;
  const rhs = seconds(e.rhs!, query);
  if (e.lhs === undefined) return e.op === '-' ? -rhs : rhs; // a unary sign
  const lhs = seconds(e.lhs, query);
  switch (e.op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      if (rhs === 0) throw new DurationEvalError('division by zero', e.pos);
      return lhs / rhs;
    case '%':
      if (rhs === 0) throw new DurationEvalError('modulo by zero', e.pos);
      return lhs % rhs; // Go's math.Mod
    case '^':
      return goPow(lhs, rhs);
    case 'min_of':
      return goMin(lhs, rhs);
    case 'max_of':
      return goMax(lhs, rhs);
  }
}
