// Stands in for expired raw data: reads a rollup tier's `last` series as if they were the raw
// series (the `__rollup__` label removed), hiding everything from `until` on, where raw data exists.

import type { Labels } from '../../model/labels.ts';
import { Labels as LabelsClass } from '../../model/labels.ts';
import { Matcher } from '../index/matcher.ts';
import { ROLLUP_LABEL } from '../rollup/aggregate.ts';
import type { SeriesSource, StoredSeries } from '../storage.ts';

export class RollupFallback implements SeriesSource {
  readonly minT: number;
  readonly maxT: number;
  readonly #blocks: readonly SeriesSource[];
  readonly #until: number;

  constructor(blocks: readonly SeriesSource[], until: number) {
    this.#blocks = blocks;
    this.#until = until;
    this.minT = Math.min(...blocks.map((b) => b.minT));
    this.maxT = Math.min(until - 1, Math.max(...blocks.map((b) => b.maxT)));
  }

  select(matchers: readonly Matcher[], minT: number, maxT: number): StoredSeries[] {
    if (matchers.some((m) => m.name === ROLLUP_LABEL)) return [];
    const last = [...matchers, Matcher.equal(ROLLUP_LABEL, 'last')];
    const hidden = { minT: this.#until, maxT: Number.MAX_SAFE_INTEGER };
    const byKey = new Map<
      string,
      { labels: Labels; chunks: StoredSeries['chunks'][number][]; deleted: StoredSeries['deleted'][] }
    >();
    for (const b of this.#blocks) {
      for (const s of b.select(last, minT, Math.min(maxT, this.#until - 1))) {
        const labels = s.labels.without(ROLLUP_LABEL);
        let e = byKey.get(labels.key);
        if (e === undefined) {
          e = { labels, chunks: [], deleted: [] };
          byKey.set(labels.key, e);
        }
        e.chunks.push(...s.chunks);
        e.deleted.push(s.deleted);
      }
    }
    return [...byKey.values()]
      .map((e) => ({
        labels: e.labels,
        chunks: e.chunks,
        deleted: [hidden, ...e.deleted.flatMap((d) => d ?? [])],
      }))
      .sort((a, b) => LabelsClass.compare(a.labels, b.labels));
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    const names = new Set<string>();
    for (const b of this.#blocks)
      for (const n of b.labelNames(matchers)) if (n !== ROLLUP_LABEL) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    if (name === ROLLUP_LABEL) return [];
    const values = new Set<string>();
    for (const b of this.#blocks) for (const v of b.labelValues(name, matchers)) values.add(v);
    return [...values].sort();
  }
}
