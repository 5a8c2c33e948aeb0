// Reads across every source of the store at once (blocks oldest first, then the head): series with
// the same label set in several sources come back as one, their chunks stitched in time order.

import { Labels } from '../../model/labels.ts';
import type { Matcher } from '../index/matcher.ts';
import type { ChunkRef, SeriesSource, StoredSeries, TimeRange } from '../storage.ts';
import { SeriesIterator } from './series-iterator.ts';

export interface QueriedSeries {
  readonly labels: Labels;
  /** A fresh iterator over the series' samples in the queried range. */
  iterator(): SeriesIterator;
}

export class Querier {
  readonly #sources: readonly SeriesSource[];
  readonly minT: number;
  readonly maxT: number;

  /** `sources` in priority order: on a repeated timestamp the sample from the earlier source wins. */
  constructor(sources: readonly SeriesSource[], minT: number, maxT: number) {
    this.#sources = sources.filter((s) => s.maxT >= minT && s.minT <= maxT);
    this.minT = minT;
    this.maxT = maxT;
  }

  /** Series matching every matcher with samples in range, sorted by labels. */
  select(matchers: readonly Matcher[]): QueriedSeries[] {
    const lists = this.#sources.map((s) => s.select(matchers, this.minT, this.maxT));
    const out: QueriedSeries[] = [];
    const { minT, maxT } = this;
    if (lists.length === 1) {
      for (const s of lists[0]) out.push(new QueriedStoredSeries(s.labels, s.chunks, minT, maxT, s.deleted));
      return out;
    }
    for (const group of mergeSorted(lists)) {
      const chunks: ChunkRef[] = [];
      const deleted: TimeRange[] = [];
      for (const s of group) {
        chunks.push(...s.chunks);
        if (s.deleted !== undefined) deleted.push(...s.deleted);
      }
      out.push(new QueriedStoredSeries(group[0].labels, chunks, minT, maxT, deleted));
    }
    return out;
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    return unionSorted(this.#sources.map((s) => s.labelNames(matchers)));
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return unionSorted(this.#sources.map((s) => s.labelValues(name, matchers)));
  }
}

/** A selected series: its label set and where its samples in [minT, maxT] are. */
class QueriedStoredSeries implements QueriedSeries {
  readonly labels: Labels;
  readonly #chunks: readonly ChunkRef[];
  readonly #minT: number;
  readonly #maxT: number;
  readonly #deleted: readonly TimeRange[] | undefined;

  constructor(
    labels: Labels,
    chunks: readonly ChunkRef[],
    minT: number,
    maxT: number,
    deleted: readonly TimeRange[] | undefined,
  ) {
    this.labels = labels;
    this.#chunks = chunks;
    this.#minT = minT;
    this.#maxT = maxT;
    this.#deleted = deleted;
  }

  iterator(): SeriesIterator {
    return new SeriesIterator(this.#chunks, this.#minT, this.#maxT, this.#deleted);
  }
}

/** Groups series with equal labels across lists that are each sorted by labels. */
function* mergeSorted(lists: readonly StoredSeries[][]): Generator<StoredSeries[]> {
  const pos = lists.map(() => 0);
  for (;;) {
    let min: Labels | undefined;
    for (let k = 0; k < lists.length; k++) {
      const s = lists[k][pos[k]];
      if (s !== undefined && (min === undefined || Labels.compare(s.labels, min) < 0)) min = s.labels;
    }
    if (min === undefined) return;
    const group: StoredSeries[] = [];
    for (let k = 0; k < lists.length; k++) {
      const s = lists[k][pos[k]];
      if (s !== undefined && Labels.compare(s.labels, min) === 0) {
        group.push(s);
        pos[k]++;
      }
    }
    yield group;
  }
}

function unionSorted(lists: readonly string[][]): string[] {
  if (lists.length === 1) return lists[0];
  return [...new Set(lists.flat())].sort();
}
