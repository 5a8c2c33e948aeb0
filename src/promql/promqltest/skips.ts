// Which evals the runner skips, and why. Only two kinds of case are skipped, each decided by what the
// eval needs rather than by the file it is in:
//   - native histograms, which telemux does not store: an expected value `{{…}}`, a query reading a
//     series loaded with `{{…}}` points or made by `load_with_nhcb`, or calling a function that only
//     works on native histograms;
//   - experimental Prometheus features telemux does not implement: syntax the parser refuses with
//     PromqlUnsupportedError (decided in the runner), info(), and start timestamps (`@st` loads).
// Everything else that does not pass is a failure.

import { type Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import { matchesAll } from '../../tsdb/index/matcher.ts';
import type { Expr } from '../ast.ts';
import { nodesOf } from './ast-walk.ts';
import type { EvalCommand, LoadCommand } from './script.ts';
import { HISTOGRAM, hasHistogram, parseScalarLine } from './sequence.ts';

export type SpecialKind = 'native histogram' | 'nhcb' | 'start timestamps';

/** A loaded series whose use makes an eval a skip. */
export interface SpecialSeries {
  readonly labels: Labels;
  readonly kind: SpecialKind;
}

const NATIVE_HISTOGRAM_ONLY_FUNCTIONS: ReadonlySet<string> = new Set([
  'histogram_count',
  'histogram_sum',
  'histogram_avg',
  'histogram_stddev',
  'histogram_stdvar',
]);

const SERIES_REASON: Record<SpecialKind, string> = {
  'native histogram': 'native histograms: the query reads series loaded as native histograms',
  nhcb: 'native histograms: the query reads native histograms with custom buckets (load_with_nhcb)',
  'start timestamps': 'experimental: start timestamps (the query reads series loaded with @st)',
};

/** The series of a load that make evals reading them skips. */
export function specialSeriesOf(load: LoadCommand): SpecialSeries[] {
  const out: SpecialSeries[] = [];
  for (const s of load.series) {
    if (hasHistogram(s.points)) out.push({ labels: s.labels, kind: 'native histogram' });
    if (s.startTimestamps) out.push({ labels: s.labels, kind: 'start timestamps' });
  }
  if (load.withNhcb) for (const labels of nhcbSeriesOf(load)) out.push({ labels, kind: 'nhcb' });
  return out;
}

/**
 * The native histogram series `load_with_nhcb` adds next to the classic ones: one per classic
 * histogram, named after it without `_bucket`/`_count`/`_sum` and without `le`.
 */
function nhcbSeriesOf(load: LoadCommand): Labels[] {
  const byKey = new Map<string, Labels>();
  for (const s of load.series) {
    const name = s.labels.metricName;
    const suffix = ['_bucket', '_count', '_sum'].find((x) => name.endsWith(x));
    if (suffix === undefined) continue;
    if (suffix === '_bucket') {
      const le = parseScalarLine(s.labels.get('le'));
      if (le === undefined || Number.isNaN(le)) continue;
    }
    const base = s.labels.without('le').with(METRIC_NAME_LABEL, name.slice(0, -suffix.length));
    byKey.set(base.key, base);
  }
  return [...byKey.values()];
}

/** Why the eval is skipped, decided before running it; undefined when it is to run. */
export function skipReason(
  cmd: EvalCommand,
  expr: Expr,
  special: readonly SpecialSeries[],
): string | undefined {
  if (cmd.expectedSeries.some((e) => e.points.kinds.includes(HISTOGRAM)))
    return 'native histograms: the expected result holds native histograms';
  for (const node of nodesOf(expr)) {
    if (node.type === 'Call') {
      if (NATIVE_HISTOGRAM_ONLY_FUNCTIONS.has(node.func))
        return `native histograms: ${node.func}() works on native histograms only`;
      if (node.func === 'info') return 'experimental: info() (not implemented by telemux)';
    }
  }
  for (const node of nodesOf(expr)) {
    if (node.type !== 'VectorSelector') continue;
    for (const s of special) {
      if (matchesAll(node.matchers, s.labels)) return SERIES_REASON[s.kind];
    }
  }
  return undefined;
}
