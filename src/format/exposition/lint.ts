// Lints in the spirit of `promtool check metrics` (client_golang's promlint): conventions an
// exposition should follow but that do not make it invalid. Every finding is a warning.

import type { Problem } from './errors.ts';
import type { MetricFamily } from './family.ts';
import { openMetricsFamilyName } from './openmetrics-writer.ts';

const BASE_UNITS = [
  'seconds',
  'bytes',
  'meters',
  'metres',
  'volts',
  'amperes',
  'joules',
  'grams',
  'celsius',
  'kelvin',
];
const PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'deca',
  'hecto',
  'kilo',
  'kibi',
  'mega',
  'mebi',
  'giga',
  'gibi',
  'tera',
  'tebi',
  'peta',
  'pebi',
  'exa',
  'exbi',
];
/** Non-base unit word → the base unit to use instead. */
const NON_BASE_UNITS = new Map<string, string>([
  ['minutes', 'seconds'],
  ['hours', 'seconds'],
  ['days', 'seconds'],
  ['weeks', 'seconds'],
  ['fahrenheit', 'celsius'],
  ['percent', 'ratio'],
]);
for (const unit of BASE_UNITS) for (const prefix of PREFIXES) NON_BASE_UNITS.set(prefix + unit, unit);
const UNIT_ABBREVIATIONS = new Set([
  's',
  'ms',
  'us',
  'ns',
  'sec',
  'secs',
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'pb',
  'm',
  'h',
  'd',
]);
const TYPE_WORDS = ['counter', 'gauge', 'histogram', 'gauge_histogram', 'summary', 'untyped'];

/** Lint parsed families; `lines[i]` is where `families[i]` starts. */
export function lintFamilies(
  families: readonly MetricFamily[],
  lines: readonly number[],
  openMetrics: boolean,
): Problem[] {
  const out: Problem[] = [];
  families.forEach((f, i) => {
    const line = lines[i] ?? 0;
    const warn = (message: string) => out.push({ line, message, severity: 'warning' });
    const name = openMetrics ? openMetricsFamilyName(f) : f.name;
    const what = `"${name}"`;
    if (f.help === '') warn(`${what}: no help text`);
    if (!openMetrics && f.type === 'counter' && !name.endsWith('_total')) {
      warn(`${what}: counter metrics should have "_total" suffix`);
    }
    if (f.type !== 'counter' && name.endsWith('_total'))
      warn(`${what}: non-counter metrics should not have "_total" suffix`);
    if (f.type !== 'histogram' && f.type !== 'gaugehistogram' && f.type !== 'summary') {
      for (const suffix of ['_count', '_sum', '_bucket']) {
        if (name.endsWith(suffix)) {
          warn(`${what}: non-histogram and non-summary metrics should not have "${suffix}" suffix`);
        }
      }
    }
    lintName(name, warn);
    lintLabelNames(f, warn);
    if (!openMetrics && f.type === 'histogram') lintTextHistograms(f, warn);
  });
  return out;
}

function lintName(name: string, warn: (m: string) => void): void {
  const what = `"${name}"`;
  const lower = name.toLowerCase();
  lower.split('_').forEach((token, i) => {
    const base = NON_BASE_UNITS.get(token);
    if (base !== undefined) warn(`${what}: use base unit "${base}" instead of "${token}"`);
    // The first token is the namespace or subject (`h`, `m`…), not a unit.
    if (i > 0 && UNIT_ABBREVIATIONS.has(token)) {
      warn(`${what}: metric names should not contain abbreviated units ("${token}")`);
    }
  });
  for (const t of TYPE_WORDS) {
    if (lower.includes(`_${t}_`) || lower.endsWith(`_${t}`))
      warn(`${what}: metric name should not include type '${t}'`);
  }
  if (/[a-z][A-Z]/.test(name))
    warn(`${what}: metric names should be written in 'snake_case' not 'camelCase'`);
  if (name.includes(':')) warn(`${what}: metric names should not contain ':' (reserved for recording rules)`);
  if (name.startsWith('__')) warn(`${what}: metric names starting with "__" are reserved`);
}

function lintLabelNames(f: MetricFamily, warn: (m: string) => void): void {
  const seen = new Set<string>();
  for (const m of f.metrics) {
    for (const p of m.labels.pairs) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      if (/[a-z][A-Z]/.test(p.name)) {
        warn(`"${f.name}": label names should be written in 'snake_case' not 'camelCase' ("${p.name}")`);
      }
      if (p.name.startsWith('__'))
        warn(`"${f.name}": label names starting with "__" are reserved ("${p.name}")`);
    }
  }
}

/** Text 0.0.4 has no rules for histogram structure; readers still expect these. */
function lintTextHistograms(f: MetricFamily, warn: (m: string) => void): void {
  let noInf = false;
  let notCumulative = false;
  let countMismatch = false;
  for (const m of f.metrics) {
    const b = m.buckets ?? [];
    const last = b[b.length - 1];
    if (last === undefined || last.upperBound !== Number.POSITIVE_INFINITY) noInf = true;
    for (let i = 1; i < b.length; i++)
      if (b[i].cumulativeCount < b[i - 1].cumulativeCount) notCumulative = true;
    if (last !== undefined && m.count !== undefined && last.upperBound === Number.POSITIVE_INFINITY) {
      if (m.count !== last.cumulativeCount) countMismatch = true;
    }
  }
  if (noInf) warn(`"${f.name}": histogram without a le="+Inf" bucket`);
  if (notCumulative) warn(`"${f.name}": histogram bucket counts are not cumulative`);
  if (countMismatch) warn(`"${f.name}": histogram _count differs from its +Inf bucket`);
}
