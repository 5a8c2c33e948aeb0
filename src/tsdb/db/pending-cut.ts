// Series cut from the head whose block is still being written (by a maintenance job, possibly in
// another thread). They are in neither the head nor a block until the job is done, so queries read
// them here meanwhile — from the first slice the head gives up on, as the cut goes on a slice per
// turn of the event loop; deletions meanwhile are kept here as ranges to hide, and replayed on the
// block.

import { Labels } from '../../model/labels.ts';
import type { CutSeries } from '../head/head.ts';
import { type Matcher, matchesAll } from '../index/matcher.ts';
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
  /** At most the oldest sample's time (the head's oldest when the cut began), and the newest possible. */
  readonly minT: number;
  readonly maxT: number;
  readonly #series: CutSeries[] = [];
  #sorted = true;
  readonly #deletions: Deletion[] = [];

  constructor(start: number, end: number, segment: number, minT: number) {
    this.start = start;
    this.end = end;
    this.segment = segment;
    this.minT = Math.min(minT, start);
    this.maxT = end - 1;
  }

  /** Takes in series as the head gives them up (see Head.cutInSlices). */
  add(series: readonly CutSeries[]): void {
    for (const s of series) this.#series.push(s);
    if (series.length > 0) this.#sorted = false;
  }

  /** The series taken in so far, sorted by labels. */
  get series(): readonly CutSeries[] {
    if (!this.#sorted) {
      this.#series.sort((a, b) => Labels.compare(a.labels, b.labels));
      this.#sorted = true;
    }
    return this.#series;
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
      if (!matchesAll(matchers, s.labels)) continue;
      const chunks = s.chunks.filter((c) => c.maxT >= minT && c.minT <= maxT).map(chunkRef);
      if (chunks.length === 0) continue;
      const deleted: TimeRange[] = [];
      for (const d of this.#deletions)
        if (d.maxT >= minT && d.minT <= maxT && matchesAll(d.matchers, s.labels))
          deleted.push({ minT: d.minT, maxT: d.maxT });
      out.push(deleted.length > 0 ? { labels: s.labels, chunks, deleted } : { labels: s.labels, chunks });
    }
    return out;
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.series)
      if (matchesAll(matchers, s.labels))
        for (const p of s.labels.pairs) if (p.value !== '') names.add(p.name);
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = new Set<string>();
    for (const s of this.series) {
      const v = s.labels.get(name);
      if (v !== '' && matchesAll(matchers, s.labels)) values.add(v);
    }
    return [...values].sort();
  }
}
