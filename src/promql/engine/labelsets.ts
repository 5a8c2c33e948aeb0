// Label-set bookkeeping shared by the operators: dropping the metric name, and keeping a vector's
// label sets unique the way Prometheus does (series that end up with the same labels are one series
// if they never have a value at the same step; otherwise the query fails).

import type { Labels } from '../../model/labels.ts';
import { PromqlEvalError } from '../errors.ts';
import type { InstantSeries } from './values.ts';

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

// Prometheus drops its metadata labels together with the name (schema.IsMetadataLabel).
const METADATA_LABELS: ReadonlySet<string> = new Set(['__name__', '__type__', '__unit__']);

/** The label set without `__name__` (and the `__type__`/`__unit__` metadata labels). */
export function dropMetricName(labels: Labels): Labels {
  return labels.keeping(isNotMetadataLabel);
}

function isNotMetadataLabel(name: string): boolean {
  return !METADATA_LABELS.has(name);
}

/**
 * Merges series with equal label sets into one (first occurrence keeps its place, labels and
 * dropName); fails when two of them have a value at the same step. Mutates the merged-into series.
 */
export function mergeSameLabels(series: InstantSeries[]): InstantSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, InstantSeries>();
  let merged = false;
  for (const s of series) {
    const key = s.labels.key;
    const into = byKey.get(key);
    if (into === undefined) {
      byKey.set(key, s);
      continue;
    }
    merged = true;
    const n = s.present.length;
    for (let i = 0; i < n; i++) {
      if (s.present[i] === 0) continue;
      if (into.present[i] === 1) throw new PromqlEvalError(DUPLICATE_LABELSET);
      into.present[i] = 1;
      into.values[i] = s.values[i];
    }
  }
  return merged ? [...byKey.values()] : series;
}

/** Fails when two series share a label set at all (Prometheus' check on functions of range vectors). */
export function assertUniqueLabels(series: readonly { labels: Labels }[]): void {
  if (series.length < 2) return;
  const seen = new Set<string>();
  for (const s of series) {
    const key = s.labels.key;
    if (seen.has(key)) throw new PromqlEvalError(DUPLICATE_LABELSET);
    seen.add(key);
  }
}
