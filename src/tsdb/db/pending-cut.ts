// Series cut from the head whose block is still being written (by a maintenance job, possibly in
// another thread). They are in neither the head nor a block until the job is done, so queries read
// them here meanwhile; deletions meanwhile are kept here as ranges to hide, and replayed on the block.

import type { Labels } from '../../model/labels.ts';
import type { CutSeries } from '../head/head.ts';
import type { Matcher } from '../index/matcher.ts';
import type { SeriesSource, StoredSeries, TimeRange } from '../storage.ts';
import { chunkRef } from './block-input.ts';

export interface Deletion {
  readonly matchers: readonly Matcher[];
  readonly minT: number;
  readonly maxT: number;
}

export class PendingCut implements SeriesSource {
  /** The block range [start, end) the series were cut for. */
  readonly start: number;
  readonly end: number;
  /** The first WAL segment written after the cut: the ones before it may be checkpointed once the block is safe. */
  readonly segment: number;
  readonly series: readonly CutSeries[];
  readonly minT: number;
  readonly maxT: number;
  readonly #deletions: Deletion[] = [];

  constructor(series: readonly CutSeries[], start: number, end: number, segment: number) {
    this.series = series;
    this.start = start;
    this.end = end;
    this.segment = segment;
    let minT = Number.POSITIVE_INFINITY;
    let maxT = Number.NEGATIVE_INFINITY;
    for (const s of series)
      for (const c of s.chunks) {
        if (c.minT < minT) minT = c.minT;
        if (c.maxT > maxT) maxT = c.maxT;
      }
    this.minT = minT;
    this.maxT = maxT;
  }

  /** Deletions made since the cut, oldest first: the block written must get them too. */
  get deletions(): readonly Deletion[] {
    return this.#deletions;
  }

  /** Hides [minT, maxT] of the matching series from now on. */
  delete(d: Deletion): void {
    this.#deletions.push(d);
  }

  select(matchers: readonly Matcher[], minT: number, maxT: number): StoredSeries[] {
    const out: StoredSeries[] = [];
    if (minT > maxT || maxT < this.minT || minT > this.maxT) return out;
    for (const s of this.series) {
      if (!matchAll(matchers, s.labels)) continue;
      const chunks = s.chunks.filter((c) => c.maxT >= minT && c.minT <= maxT).map(chunkRef);
      if (chunks.length === 0) continue;
      const deleted: TimeRange[] = [];
      for (const d of this.#deletions)
        if (d.maxT >= minT && d.minT <= maxT && matchAll(d.matchers, s.labels))
          deleted.push({ minT: d.minT, maxT: d.maxT });
      out.push(deleted.length > 0 ? { labels: s.labels, chunks, deleted } : { labels: s.labels, chunks });
    }
    return out;
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.series)
      if (matchAll(matchers, s.labels)) for (const p of s.labels.pairs) if (p.value !== '') names.add(p.name);
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = new Set<string>();
    for (const s of this.series) {
      const v = s.labels.get(name);
      if (v !== '' && matchAll(matchers, s.labels)) values.add(v);
    }
    return [...values].sort();
  }
}

function matchAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}
