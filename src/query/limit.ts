// Prometheus' `limit` on a query's answer: at most that many series, and a warning saying the
// answer was cut, so a client can tell a short answer from a complete one.

import type { QueryOutcome } from '../promql/value.ts';

export const TRUNCATED_WARNING = 'results truncated due to limit';

/** The outcome with at most `limit` series (0 = all) and the truncation warning when any were cut. */
export function truncateOutcome(outcome: QueryOutcome, limit: number): QueryOutcome {
  if (limit <= 0) return outcome;
  const v = outcome.value;
  if ((v.resultType !== 'vector' && v.resultType !== 'matrix') || v.result.length <= limit) return outcome;
  const value =
    v.resultType === 'vector'
      ? { resultType: v.resultType, result: v.result.slice(0, limit) }
      : { resultType: v.resultType, result: v.result.slice(0, limit) };
  return { ...outcome, value, warnings: withWarning(outcome.warnings, TRUNCATED_WARNING) };
}

/** `warnings` plus `w`, once. */
export function withWarning(warnings: readonly string[], w: string): readonly string[] {
  return warnings.includes(w) ? warnings : [...warnings, w];
}
