// Walks one series' samples in a time range across chunks that may come from several sources (head,
// blocks) and may overlap. Non-overlapping chunks, the normal case, are streamed one by one without
// per-sample allocation; overlapping ones are merged into a sorted buffer where, for a repeated
// timestamp, the chunk listed first wins.

import type { SampleIterator } from '../chunk/chunk.ts';
import { SampleBuffer } from '../head/sample-buffer.ts';
import type { ChunkRef, TimeRange } from '../storage.ts';

const NONE_DELETED: readonly TimeRange[] = [];

export class SeriesIterator implements SampleIterator {
  t = Number.NaN;
  v = Number.NaN;
  readonly #chunks: readonly ChunkRef[];
  readonly #minT: number;
  readonly #maxT: number;
  readonly #deleted: readonly TimeRange[];
  #i = 0;
  #current: SampleIterator | undefined;
  #merged: SampleBuffer | undefined;
  #j = 0;

  /** `chunks` in priority order (first wins on a repeated timestamp); `deleted` ranges are hidden. */
  constructor(
    chunks: readonly ChunkRef[],
    minT: number,
    maxT: number,
    deleted: readonly TimeRange[] = NONE_DELETED,
  ) {
    this.#minT = minT;
    this.#maxT = maxT;
    this.#deleted = deleted;
    // The usual case, checked first without copying: every chunk in range, in order, none overlapping.
    let simple = true;
    for (let k = 0; k < chunks.length && simple; k++) {
      const c = chunks[k];
      if (c.maxT < minT || c.minT > maxT || (k > 0 && c.minT <= chunks[k - 1].maxT)) simple = false;
    }
    if (simple) {
      this.#chunks = chunks;
      return;
    }
    const inRange = chunks.filter((c) => c.maxT >= minT && c.minT <= maxT);
    const sorted = [...inRange].sort((a, b) => a.minT - b.minT);
    let overlapping = false;
    for (let k = 1; k < sorted.length; k++) if (sorted[k].minT <= sorted[k - 1].maxT) overlapping = true;
    if (overlapping) {
      this.#merged = mergeChunks(inRange);
      this.#chunks = [];
    } else {
      this.#chunks = sorted;
    }
  }

  next(): boolean {
    for (;;) {
      if (!this.#advance()) return false;
      if (this.t < this.#minT) continue;
      if (this.t > this.#maxT) return false;
      if (this.#deleted.length > 0 && isDeleted(this.#deleted, this.t)) continue;
      return true;
    }
  }

  #advance(): boolean {
    const m = this.#merged;
    if (m !== undefined) {
      if (this.#j >= m.n) return false;
      this.t = m.ts[this.#j];
      this.v = m.vs[this.#j];
      this.#j++;
      return true;
    }
    for (;;) {
      if (this.#current === undefined) {
        if (this.#i >= this.#chunks.length) return false;
        this.#current = this.#chunks[this.#i++].chunk().iterator();
      }
      if (this.#current.next()) {
        this.t = this.#current.t;
        this.v = this.#current.v;
        return true;
      }
      this.#current = undefined;
    }
  }
}

function isDeleted(ranges: readonly TimeRange[], t: number): boolean {
  for (const r of ranges) if (t >= r.minT && t <= r.maxT) return true;
  return false;
}

/** All samples of overlapping chunks, sorted by time, first-listed chunk winning on ties. */
function mergeChunks(chunks: readonly ChunkRef[]): SampleBuffer {
  const all = new SampleBuffer(256);
  const rank: number[] = [];
  chunks.forEach((ref, k) => {
    const it = ref.chunk().iterator();
    while (it.next()) {
      all.push(it.t, it.v);
      rank.push(k);
    }
  });
  const order = Array.from({ length: all.n }, (_, i) => i).sort(
    (x, y) => all.ts[x] - all.ts[y] || rank[x] - rank[y],
  );
  const out = new SampleBuffer(all.n);
  for (const i of order) {
    if (out.n > 0 && out.ts[out.n - 1] === all.ts[i]) continue;
    out.push(all.ts[i], all.vs[i]);
  }
  return out;
}
