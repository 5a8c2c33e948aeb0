// Small readers of engine results for assertions: a vector or matrix as plain records keyed by the
// label set's text, so tests compare against literals.

import type { QueryOutcome } from '../../../src/promql/value.ts';

/** An instant vector as `[labels text, value]` pairs in result order. */
export function samples(outcome: QueryOutcome): [string, number][] {
  const v = outcome.value;
  if (v.resultType !== 'vector') throw new Error(`expected a vector, got ${v.resultType}`);
  return v.result.map((s) => [s.labels.toString(), s.v]);
}

/** An instant vector as a record labels text → value (order ignored). */
export function vectorRecord(outcome: QueryOutcome): Record<string, number> {
  return Object.fromEntries(samples(outcome));
}

export function scalarValue(outcome: QueryOutcome): number {
  const v = outcome.value;
  if (v.resultType !== 'scalar') throw new Error(`expected a scalar, got ${v.resultType}`);
  return v.result.v;
}

/** A matrix as labels text → `[t, v]` pairs (t in ms). */
export function matrixRecord(outcome: QueryOutcome): Record<string, [number, number][]> {
  const v = outcome.value;
  if (v.resultType !== 'matrix') throw new Error(`expected a matrix, got ${v.resultType}`);
  const out: Record<string, [number, number][]> = {};
  for (const s of v.result) out[s.labels.toString()] = [...s.ts].map((t, i) => [t, s.vs[i]]);
  return out;
}

/** The matrix's series label texts in result order. */
export function matrixOrder(outcome: QueryOutcome): string[] {
  const v = outcome.value;
  if (v.resultType !== 'matrix') throw new Error(`expected a matrix, got ${v.resultType}`);
  return v.result.map((s) => s.labels.toString());
}
