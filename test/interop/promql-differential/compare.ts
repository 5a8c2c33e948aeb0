// Whether two API answers to the same query are the same: both failed with the same errorType, or
// the same result type, the same label sets, the same timestamps, and values equal within a relative
// 1e-6 (NaN equals NaN, infinities must match exactly). Order counts only where the query orders
// (sort, sort_desc, topk/bottomk of an instant query); there the values must come in the same order
// (ties may swap series, as in Prometheus), otherwise both sides are sorted by labels first.

import type { Answer, ResultSeries } from './api.ts';

export const RELATIVE_TOLERANCE = 1e-6;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus' own test harness rule (almost.Equal): relative to the sum of magnitudes. */
export function sameValue(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  const sum = Math.abs(a) + Math.abs(b);
  if (a === 0 || b === 0 || sum < MIN_NORMAL) return diff < RELATIVE_TOLERANCE * MIN_NORMAL;
  return diff / sum < RELATIVE_TOLERANCE;
}

/** undefined when the answers agree, else the first difference found, in words. */
export function compareAnswers(want: Answer, got: Answer, ordered: boolean): string | undefined {
  if (!want.ok && !got.ok)
    return want.errorType === got.errorType
      ? undefined
      : `errorType ${want.errorType} (${want.error}) ≠ ${got.errorType} (${got.error})`;
  if (!want.ok)
    return `expected an error ${want.errorType} (${want.error}), got a ${got.ok ? got.resultType : ''}`;
  if (!got.ok) return `expected a ${want.resultType}, got error ${got.errorType}: ${got.error}`;
  if (want.resultType === 'string' || got.resultType === 'string') {
    if (want.resultType !== 'string' || got.resultType !== 'string')
      return `resultType ${want.resultType} ≠ ${got.resultType}`;
    if (want.text !== got.text || want.t !== got.t)
      return `string ${JSON.stringify(want.text)}@${want.t} ≠ ${JSON.stringify(got.text)}@${got.t}`;
    return undefined;
  }
  if (want.resultType !== got.resultType) return `resultType ${want.resultType} ≠ ${got.resultType}`;
  const a = want.series;
  const b = got.series;
  if (ordered) {
    const order = compareOrder(a, b);
    if (order !== undefined) return order;
  }
  return compareSeriesSets(a, b);
}

/** In-order comparison of values (the labels are checked by the set comparison). */
function compareOrder(a: readonly ResultSeries[], b: readonly ResultSeries[]): string | undefined {
  if (a.length !== b.length) return undefined; // reported by the set comparison
  for (let i = 0; i < a.length; i++) {
    if (!sameValue(a[i].vs[0], b[i].vs[0]))
      return `order: position ${i} holds ${a[i].key} = ${a[i].vs[0]}, got ${b[i].key} = ${b[i].vs[0]}`;
  }
  return undefined;
}

function compareSeriesSets(want: readonly ResultSeries[], got: readonly ResultSeries[]): string | undefined {
  const byKey = (list: readonly ResultSeries[]) => {
    const m = new Map<string, ResultSeries>();
    for (const s of list) {
      if (m.has(s.key)) return { duplicate: s.key, m };
      m.set(s.key, s);
    }
    return { duplicate: undefined, m };
  };
  const w = byKey(want);
  const g = byKey(got);
  if (g.duplicate !== undefined) return `the answer holds ${g.duplicate} twice`;
  const missing = [...w.m.keys()].filter((k) => !g.m.has(k));
  const extra = [...g.m.keys()].filter((k) => !w.m.has(k));
  if (missing.length > 0 || extra.length > 0)
    return `series: ${want.length} expected, ${got.length} got; missing ${sample(missing)}; unexpected ${sample(extra)}`;
  for (const [key, ws] of w.m) {
    const gs = g.m.get(key)!;
    const diff = comparePoints(ws, gs);
    if (diff !== undefined) return `${key}: ${diff}`;
  }
  return undefined;
}

function comparePoints(want: ResultSeries, got: ResultSeries): string | undefined {
  if (want.ts.length !== got.ts.length || want.ts.some((t, i) => got.ts[i] !== t)) {
    const i = want.ts.findIndex((t, j) => got.ts[j] !== t);
    return `${want.ts.length} points expected, ${got.ts.length} got; first differing time: expected ${want.ts[i] ?? '-'}, got ${got.ts[i] ?? '-'}`;
  }
  for (let i = 0; i < want.vs.length; i++) {
    if (!sameValue(want.vs[i], got.vs[i]))
      return `at ${want.ts[i]}: expected ${want.vs[i]}, got ${got.vs[i]}`;
  }
  return undefined;
}

function sample(keys: readonly string[]): string {
  if (keys.length === 0) return 'none';
  return keys.length <= 3 ? keys.join(' ') : `${keys.slice(0, 3).join(' ')} and ${keys.length - 3} more`;
}

/** Non-empty: whether an answer holds anything at all (to catch cases that compare nothing). */
export function hasData(a: Answer): boolean {
  if (!a.ok) return false;
  if (a.resultType === 'string') return true;
  return a.series.some((s) => s.ts.length > 0);
}
