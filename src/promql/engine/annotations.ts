// Warnings and infos a query attaches to its result, worded as Prometheus' util/annotations words
// them and rendered as its API does: "PromQL warning: <text> (line:col)", the position being where
// the expression the annotation is about starts. Identical annotations are reported once.

import type { PosRange } from '../ast.ts';
import { formatGoG, goQuote } from './go-format.ts';

export type AnnotationKind = 'warning' | 'info';

interface Annotation {
  readonly kind: AnnotationKind;
  readonly text: string;
  readonly pos: PosRange;
}

/** Maps a 0-based offset into the query text to a 1-based line and column. */
export type PositionOf = (offset: number) => { line: number; col: number };

export class Annotations {
  readonly #items = new Map<string, Annotation>();

  warn(text: string, pos: PosRange): void {
    this.#add({ kind: 'warning', text, pos });
  }

  info(text: string, pos: PosRange): void {
    this.#add({ kind: 'info', text, pos });
  }

  get size(): number {
    return this.#items.size;
  }

  #add(a: Annotation): void {
    const key = `${a.kind}\u0000${a.text}\u0000${a.pos.start}`;
    if (!this.#items.has(key)) this.#items.set(key, a);
  }

  /** The API's strings, in the order the annotations were first raised. */
  render(positionOf: PositionOf): { warnings: string[]; infos: string[] } {
    const warnings: string[] = [];
    const infos: string[] = [];
    for (const a of this.#items.values()) {
      const { line, col } = positionOf(a.pos.start);
      const prefix = a.kind === 'warning' ? 'PromQL warning' : 'PromQL info';
      (a.kind === 'warning' ? warnings : infos).push(`${prefix}: ${a.text} (${line}:${col})`);
    }
    return { warnings, infos };
  }
}

/** Appends ` for metric name "x"` when the name is known (Prometheus' maybeAddMetricName). */
function forMetric(text: string, metricName: string): string {
  return metricName === '' ? text : `${text} for metric name ${goQuote(metricName)}`;
}

export const annotationText = {
  invalidQuantile: (q: number): string => `quantile value should be between 0 and 1, got ${formatGoG(q)}`,

  invalidRatio: (ratio: number, cappedTo: number): string =>
    `ratio value should be between -1 and 1, got ${formatGoG(ratio)}, capping to ${formatGoG(cappedTo)}`,

  badBucketLabel: (metricName: string, le: string): string =>
    forMetric(`bucket label "le" is missing or has a malformed value of ${goQuote(le)}`, metricName),

  possibleNonCounter: (metricName: string): string =>
    `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`,

  forcedMonotonicity: (metricName: string): string =>
    forMetric(
      'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
      metricName,
    ),

  nativeHistogramsNotStored: (func: string): string =>
    `native histograms are not supported by telemux (it stores none): ${func}() ignores float samples and returns nothing`,

  sortInRangeQuery: (): string =>
    'sort is ineffective for range queries since results are always ordered by labels',
} as const;
