// A streaming quantile estimator over an unbounded stream: the targeted-quantiles algorithm of
// Cormode, Korn, Muthukrishnan and Srivastava ("Effective computation of biased quantiles over
// data streams", ICDE 2005), the one client_golang's summaries use.
//
// It keeps a sorted list of samples (value v, g = rank gap to the previous sample, d = rank
// uncertainty). For a target quantile q with error e, a query answers a value whose rank is within
// e·n of q·n. Memory stays small because neighbouring samples merge while the invariant allows.
// The list lives in typed arrays and batches arrive sorted, so insertion is a linear merge.

export interface QuantileTarget {
  readonly quantile: number;
  /** Allowed rank error, as a fraction of the count (0.01 = ±1% of the observations). */
  readonly error: number;
}

export class QuantileStream {
  readonly #q: Float64Array;
  readonly #e: Float64Array;
  #v = new Float64Array(64);
  #g = new Float64Array(64);
  #d = new Float64Array(64);
  // Merge targets, swapped with the live arrays after each batch.
  #v2 = new Float64Array(64);
  #g2 = new Float64Array(64);
  #d2 = new Float64Array(64);
  #len = 0;
  #n = 0;

  constructor(targets: readonly QuantileTarget[]) {
    this.#q = Float64Array.from(targets, (t) => t.quantile);
    this.#e = Float64Array.from(targets, (t) => t.error);
  }

  /** Observations seen since the last reset. */
  get count(): number {
    return this.#n;
  }

  /** Samples held (memory use). */
  get size(): number {
    return this.#len;
  }

  reset(): void {
    this.#len = 0;
    this.#n = 0;
  }

  /** Add `count` values from `sorted`, which must be ascending and NaN-free. */
  insertSorted(sorted: Float64Array, count: number): void {
    if (count === 0) return;
    this.#reserve(this.#len + count);
    const v = this.#v;
    const g = this.#g;
    const d = this.#d;
    const ov = this.#v2;
    const og = this.#g2;
    const od = this.#d2;
    const len = this.#len;
    let i = 0;
    let w = 0;
    let rank = 0;
    for (let j = 0; j < count; j++) {
      const x = sorted[j];
      while (i < len && v[i] <= x) {
        ov[w] = v[i];
        og[w] = g[i];
        od[w] = d[i];
        rank += g[i];
        i++;
        w++;
      }
      // A new minimum or maximum is known exactly; elsewhere the rank is as uncertain as allowed.
      const delta = w === 0 || i === len ? 0 : Math.max(0, Math.floor(this.#allowed(rank)) - 1);
      ov[w] = x;
      og[w] = 1;
      od[w] = delta;
      w++;
      rank++;
      this.#n++;
    }
    while (i < len) {
      ov[w] = v[i];
      og[w] = g[i];
      od[w] = d[i];
      i++;
      w++;
    }
    this.#v2 = v;
    this.#g2 = g;
    this.#d2 = d;
    this.#v = ov;
    this.#g = og;
    this.#d = od;
    this.#len = w;
    this.#compress();
  }

  /** The estimated `q` quantile; NaN when empty. 0 and 1 give the exact minimum and maximum. */
  query(q: number): number {
    const len = this.#len;
    if (len === 0) return Number.NaN;
    const v = this.#v;
    if (q <= 0) return v[0];
    if (q >= 1) return v[len - 1];
    const g = this.#g;
    const d = this.#d;
    // Target rank plus half the allowed uncertainty (not rounded up, as some implementations do:
    // that costs a whole rank of accuracy on small streams).
    const r = Math.ceil(q * this.#n);
    const t = r + this.#allowed(r) / 2;
    let rank = 0;
    for (let i = 1; i < len; i++) {
      rank += g[i - 1];
      if (rank + g[i] + d[i] > t) return v[i - 1];
    }
    return v[len - 1];
  }

  /** The invariant: how much rank uncertainty a sample at `rank` may carry. */
  #allowed(rank: number): number {
    const n = this.#n;
    const qs = this.#q;
    const es = this.#e;
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k];
      // q = 0 or 1 need no samples kept: the extremes are always exact.
      if (q <= 0 || q >= 1) continue;
      const f = q * n <= rank ? (2 * es[k] * rank) / q : (2 * es[k] * (n - rank)) / (1 - q);
      if (f < min) min = f;
    }
    return min;
  }

  /** Merge neighbours (right to left) while the invariant allows; the minimum is never merged away. */
  #compress(): void {
    const len = this.#len;
    if (len < 3) return;
    const v = this.#v;
    const g = this.#g;
    const d = this.#d;
    let w = len - 1;
    let rank = this.#n - 1 - g[w];
    for (let i = len - 2; i >= 1; i--) {
      const gi = g[i];
      if (gi + g[w] + d[w] <= this.#allowed(rank)) {
        g[w] += gi;
      } else {
        w--;
        v[w] = v[i];
        g[w] = gi;
        d[w] = d[i];
      }
      rank -= gi;
    }
    w--;
    v[w] = v[0];
    g[w] = g[0];
    d[w] = d[0];
    if (w > 0) {
      v.copyWithin(0, w, len);
      g.copyWithin(0, w, len);
      d.copyWithin(0, w, len);
    }
    this.#len = len - w;
  }

  #reserve(capacity: number): void {
    if (capacity <= this.#v.length) return;
    let size = this.#v.length * 2;
    while (size < capacity) size *= 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.#len));
      return b;
    };
    this.#v = grow(this.#v);
    this.#g = grow(this.#g);
    this.#d = grow(this.#d);
    this.#v2 = new Float64Array(size);
    this.#g2 = new Float64Array(size);
    this.#d2 = new Float64Array(size);
  }
}
