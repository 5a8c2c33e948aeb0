// Reading one selected series' samples into typed arrays. Series are read one at a time into a
// buffer reused across series, so a selector over many long series holds one series in memory, not
// all of them (what a function over a range vector needs per series is its windows, nothing more).

import { isStaleNaN } from '../../model/staleness.ts';
import type { SelectedSeries } from '../storage.ts';

/** A growable pair of sample columns, reused from series to series. */
export class SampleBuffer {
  ts = new Float64Array(256);
  vs = new Float64Array(256);
  /** 1 where the sample is a staleness marker (only filled when markers are kept). */
  stale = new Uint8Array(256);
  length = 0;

  /**
   * Reads the samples of `series` with minT ≤ t ≤ maxT. `keepStale`: keep staleness markers (an
   * instant selector needs them: a marker hides older samples) or drop them (range windows).
   * Returns the number of samples read from storage.
   */
  read(series: SelectedSeries, minT: number, maxT: number, keepStale: boolean): number {
    this.length = 0;
    let read = 0;
    const it = series.iterator();
    while (it.next()) {
      read++;
      const t = it.t;
      if (t < minT) continue;
      if (t > maxT) break;
      const v = it.v;
      // A NaN is rare; only then is the bit pattern worth looking at.
      const isStale = Number.isNaN(v) && isStaleNaN(v);
      if (isStale && !keepStale) continue;
      if (this.length === this.ts.length) this.#grow();
      const n = this.length++;
      this.ts[n] = t;
      this.vs[n] = v;
      this.stale[n] = isStale ? 1 : 0;
    }
    return read;
  }

  /** Exact-size copies of the columns (for results that outlive the buffer). */
  copy(): { ts: Float64Array; vs: Float64Array } {
    return { ts: this.ts.slice(0, this.length), vs: this.vs.slice(0, this.length) };
  }

  #grow(): void {
    const size = this.ts.length * 2;
    const ts = new Float64Array(size);
    const vs = new Float64Array(size);
    const stale = new Uint8Array(size);
    ts.set(this.ts);
    vs.set(this.vs);
    stale.set(this.stale);
    this.ts = ts;
    this.vs = vs;
    this.stale = stale;
  }
}
