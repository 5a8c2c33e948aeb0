// The store a promqltest script loads its series into: in memory, series kept sorted by labels,
// samples per series in ascending time in typed arrays (a staleness marker keeps its exact NaN bits),
// found by binary search. Selection follows the tsdb querier: a series is returned only when it has a
// sample inside the querier's time range.

import { Labels } from '../../model/labels.ts';
import { type Matcher, matchesAll } from '../../tsdb/index/matcher.ts';
import type { PromqlQuerier, Queryable, SampleCursor, SelectedSeries } from '../storage.ts';

export class DuplicateSampleError extends Error {}

class StoredSeries {
  readonly labels: Labels;
  ts = new Float64Array(8);
  vs = new Float64Array(8);
  n = 0;

  constructor(labels: Labels) {
    this.labels = labels;
  }

  /** Index of the first sample at or after `t`. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Adds samples given in ascending time. Appending after the newest sample is the common case;
   * older samples are merged in (out-of-order loads). A sample at an existing time is accepted only
   * when it is bit for bit the same value, as the tsdb does.
   */
  add(ts: ArrayLike<number>, vs: Float64Array, count: number): void {
    if (count === 0) return;
    if (this.n === 0 || ts[0] > this.ts[this.n - 1]) {
      this.#reserve(this.n + count);
      for (let i = 0; i < count; i++) {
        this.ts[this.n + i] = ts[i];
        this.vs[this.n + i] = vs[i];
      }
      this.n += count;
      return;
    }
    const outTs = new Float64Array(Math.max(8, this.n + count));
    const outVs = new Float64Array(outTs.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.n || j < count) {
      if (j >= count || (i < this.n && this.ts[i] < ts[j])) {
        outTs[k] = this.ts[i];
        outVs[k++] = this.vs[i++];
      } else if (i < this.n && this.ts[i] === ts[j]) {
        if (!sameBits(this.vs, i, vs, j))
          throw new DuplicateSampleError(`duplicate sample for timestamp ${ts[j]} in series ${this.labels}`);
        outTs[k] = this.ts[i];
        outVs[k++] = this.vs[i++];
        j++;
      } else {
        outTs[k] = ts[j];
        outVs[k++] = vs[j++];
      }
    }
    this.ts = outTs;
    this.vs = outVs;
    this.n = k;
  }

  #reserve(size: number): void {
    if (size <= this.ts.length) return;
    const cap = Math.max(size, this.ts.length * 2);
    const ts = new Float64Array(cap);
    ts.set(this.ts.subarray(0, this.n));
    const vs = new Float64Array(cap);
    vs.set(this.vs.subarray(0, this.n));
    this.ts = ts;
    this.vs = vs;
  }
}

function sameBits(a: Float64Array, i: number, b: Float64Array, j: number): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset + i * 8, 2);
  const y = new Uint32Array(b.buffer, b.byteOffset + j * 8, 2);
  return x[0] === y[0] && x[1] === y[1];
}

export class MemoryQueryable implements Queryable {
  readonly #byKey = new Map<string, StoredSeries>();
  /** All series sorted by labels; rebuilt lazily after a new series arrives. */
  #sorted: StoredSeries[] | undefined = [];

  /** Adds `count` samples (ascending `ts`) to the series `labels`; throws DuplicateSampleError. */
  append(labels: Labels, ts: ArrayLike<number>, vs: Float64Array, count = ts.length): void {
    let s = this.#byKey.get(labels.key);
    if (s === undefined) {
      s = new StoredSeries(labels);
      this.#byKey.set(labels.key, s);
      this.#sorted = undefined;
    }
    s.add(ts, vs, count);
  }

  clear(): void {
    this.#byKey.clear();
    this.#sorted = [];
  }

  get seriesCount(): number {
    return this.#byKey.size;
  }

  querier(minT: number, maxT: number): PromqlQuerier {
    if (this.#sorted === undefined)
      this.#sorted = [...this.#byKey.values()].sort((a, b) => Labels.compare(a.labels, b.labels));
    const all = this.#sorted;
    return {
      select(matchers: readonly Matcher[]): SelectedSeries[] {
        const out: SelectedSeries[] = [];
        for (const s of all) {
          if (!matchesAll(matchers, s.labels)) continue;
          const first = s.lowerBound(minT);
          if (first >= s.n || s.ts[first] > maxT) continue;
          out.push({ labels: s.labels, iterator: () => new RangeCursor(s, first, maxT) });
        }
        return out;
      },
    };
  }
}

/** Walks one series' samples from index `first` up to time `maxT`. */
class RangeCursor implements SampleCursor {
  t = 0;
  v = 0;
  readonly #s: StoredSeries;
  readonly #maxT: number;
  #i: number;

  constructor(s: StoredSeries, first: number, maxT: number) {
    this.#s = s;
    this.#i = first;
    this.#maxT = maxT;
  }

  next(): boolean {
    const s = this.#s;
    if (this.#i >= s.n || s.ts[this.#i] > this.#maxT) return false;
    this.t = s.ts[this.#i];
    this.v = s.vs[this.#i];
    this.#i++;
    return true;
  }
}
