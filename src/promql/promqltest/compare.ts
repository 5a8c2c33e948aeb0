// Compares a query's result with what an eval command expects, by the harness' rules: floats equal
// within a relative 1e-6 (NaN equals NaN, a staleness marker only another marker), series matched by
// label set in any order unless `expect ordered`, a matrix sorted by labels with points at the
// command's start + i·step, a scalar against a bare number line, a string against `expect string`.
// Each check returns undefined when the result is as expected, else a short explanation.

import { Labels } from '../../model/labels.ts';
import { isStaleNaN } from '../../model/staleness.ts';
import type { MatrixSeries, QueryValue, VectorSample } from '../value.ts';
import type { EvalCommand, ExpectedSeries } from './script.ts';
import { FLOAT, HISTOGRAM, OMITTED, type SampleSequence, STALE } from './sequence.ts';

const EPSILON = 1e-6;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus' almost.Equal with the harness' epsilon. */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  const staleA = isStaleNaN(a);
  const staleB = isStaleNaN(b);
  if (staleA || staleB) return staleA && staleB;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Go's %v of a float, near enough for messages: `+Inf`, `-Inf`, `NaN`, shortest digits. */
export function formatValue(v: number): string {
  if (isStaleNaN(v)) return 'stale';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function formatLabels(l: Labels): string {
  const pairs = l.pairs.map((p) => `${p.name}=${JSON.stringify(p.value)}`);
  return `{${pairs.join(', ')}}`;
}

/** The float an expected point stands for (an omitted one reads as 0, Go's zero value). */
function expectedValue(points: SampleSequence, i: number): number {
  return points.kinds[i] === FLOAT ? points.values[i] : 0;
}

function matchesPoint(points: SampleSequence, i: number, actual: number): boolean {
  if (points.kinds[i] === STALE) return isStaleNaN(actual);
  return almostEqual(expectedValue(points, i), actual);
}

function describePoint(points: SampleSequence, i: number): string {
  return points.kinds[i] === STALE ? 'stale' : formatValue(expectedValue(points, i));
}

export function compareResult(cmd: EvalCommand, value: QueryValue): string | undefined {
  switch (value.resultType) {
    case 'matrix':
      return compareMatrix(cmd, value.result);
    case 'vector':
      return compareVector(cmd, value.result);
    case 'scalar':
      return compareScalar(cmd, value.result.v);
    case 'string': {
      const want = cmd.expectedString ?? '';
      if (want !== value.result.value)
        return `expected string ${JSON.stringify(want)} but got ${JSON.stringify(value.result.value)}`;
      return undefined;
    }
  }
}

export function compareScalar(cmd: EvalCommand, v: number): string | undefined {
  if (cmd.expectedScalar === undefined)
    return `expected vector or matrix result, but got scalar ${formatValue(v)}`;
  if (!matchesPoint(cmd.expectedScalar, 0, v))
    return `expected scalar ${describePoint(cmd.expectedScalar, 0)} but got ${formatValue(v)}`;
  return undefined;
}

function expectedByKey(cmd: EvalCommand): Map<string, ExpectedSeries> {
  return new Map(cmd.expectedSeries.map((e) => [e.labels.key, e]));
}

function missingSeries(expected: Map<string, ExpectedSeries>, seen: Set<string>): string | undefined {
  for (const [key, e] of expected) {
    if (!seen.has(key)) {
      const first = e.points.kinds.length > 0 ? ` ${describePoint(e.points, 0)}` : '';
      return `expected series ${formatLabels(e.labels)}${first} (line ${e.line}) not in the result`;
    }
  }
  return undefined;
}

export function compareVector(cmd: EvalCommand, samples: readonly VectorSample[]): string | undefined {
  if (cmd.expectedScalar !== undefined)
    return `expected scalar result, but got a vector of ${samples.length} sample(s)`;
  const expected = expectedByKey(cmd);
  const seen = new Set<string>();
  for (let pos = 0; pos < samples.length; pos++) {
    const s = samples[pos];
    const exp = expected.get(s.labels.key);
    if (exp === undefined)
      return `unexpected series ${formatLabels(s.labels)} ${formatValue(s.v)} in the result`;
    if (cmd.ordered && exp.position !== pos + 1)
      return `expected series ${formatLabels(s.labels)} at position ${exp.position} but it was at ${pos + 1}`;
    if (exp.points.kinds.length === 0) return `expected line ${exp.line} gives no value`;
    if (exp.points.kinds[0] === HISTOGRAM)
      return `expected a native histogram for ${formatLabels(s.labels)} but got float ${formatValue(s.v)}`;
    if (!matchesPoint(exp.points, 0, s.v))
      return `expected ${describePoint(exp.points, 0)} for ${formatLabels(s.labels)} but got ${formatValue(s.v)}`;
    seen.add(s.labels.key);
  }
  return missingSeries(expected, seen);
}

export function compareMatrix(cmd: EvalCommand, series: readonly MatrixSeries[]): string | undefined {
  if (cmd.ordered) return 'expected ordered result, but query returned a matrix';
  if (cmd.expectedScalar !== undefined)
    return `expected scalar result, but got a matrix of ${series.length} series`;
  const unsorted = unsortedAt(series);
  if (unsorted !== undefined) return unsorted;
  const expected = expectedByKey(cmd);
  const seen = new Set<string>();
  for (const s of series) {
    const exp = expected.get(s.labels.key);
    if (exp === undefined)
      return `unexpected series ${formatLabels(s.labels)} in the result, has ${formatPoints(s)}`;
    seen.add(s.labels.key);
    const wantTs: number[] = [];
    const wantIdx: number[] = [];
    let histograms = 0;
    for (let i = 0; i < exp.points.kinds.length; i++) {
      const t = cmd.startMs + i * cmd.stepMs;
      if (t > cmd.endMs)
        return `expected ${exp.points.kinds.length} points for ${formatLabels(exp.labels)}, but the query's time range cannot return this many`;
      const kind = exp.points.kinds[i];
      if (kind === HISTOGRAM) histograms++;
      else if (kind !== OMITTED) {
        wantTs.push(t);
        wantIdx.push(i);
      }
    }
    if (wantTs.length !== s.ts.length || histograms > 0)
      return `expected ${wantTs.length} float and ${histograms} histogram points for ${formatLabels(exp.labels)}, but got ${formatPoints(s)}`;
    for (let k = 0; k < wantTs.length; k++) {
      if (s.ts[k] !== wantTs[k])
        return `expected point ${k} of ${formatLabels(exp.labels)} at t=${wantTs[k]} but it is at t=${s.ts[k]} (got ${formatPoints(s)})`;
      if (!matchesPoint(exp.points, wantIdx[k], s.vs[k]))
        return `expected ${describePoint(exp.points, wantIdx[k])} at t=${wantTs[k]} for ${formatLabels(exp.labels)} but got ${formatValue(s.vs[k])} (got ${formatPoints(s)})`;
    }
  }
  return missingSeries(expected, seen);
}

/** A matrix must come sorted by labels, whatever the query. */
export function unsortedAt(series: readonly { readonly labels: Labels }[]): string | undefined {
  for (let i = 0; i + 1 < series.length; i++) {
    if (Labels.compare(series[i].labels, series[i + 1].labels) > 0)
      return `matrix results must be sorted by labels, but ${formatLabels(series[i + 1].labels)} comes after ${formatLabels(series[i].labels)}`;
  }
  return undefined;
}

function formatPoints(s: MatrixSeries): string {
  const n = s.ts.length;
  const shown: string[] = [];
  for (let i = 0; i < Math.min(n, 8); i++) shown.push(`${formatValue(s.vs[i])}@${s.ts[i]}`);
  if (n > 8) shown.push('…');
  return `${n} point${n === 1 ? '' : 's'} [${shown.join(' ')}]`;
}
