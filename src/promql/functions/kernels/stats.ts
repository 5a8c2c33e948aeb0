// Summation, means, variances and order statistics with Prometheus' numerics, shared by the
// aggregation operators and the `*_over_time` kernels so that both agree to the last bit.

/**
 * One step of Kahan–Neumaier compensated summation (Prometheus' kahansum.Inc): returns the new sum
 * and updates the compensation kept in `comp[cell]`. Once the sum is infinite the compensation is
 * reset to 0, so that `sum + comp` stays that infinity instead of becoming NaN.
 */
export function kahanInc(inc: number, sum: number, comp: Float64Array, cell = 0): number {
  const t = sum + inc;
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) comp[cell] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) comp[cell] += sum - t + inc;
  else comp[cell] += inc - t + sum;
  return t;
}

/** A compensated running sum (sum aggregation, sum_over_time). */
export class KahanSum {
  #sum = 0;
  readonly #c = new Float64Array(1);

  add(x: number): void {
    this.#sum = kahanInc(x, this.#sum, this.#c);
  }

  /** The sum with its compensation applied; an infinite sum is returned as is. */
  get value(): number {
    const s = this.#sum;
    if (s === Number.POSITIVE_INFINITY || s === Number.NEGATIVE_INFINITY) return s;
    return s + this.#c[0];
  }

  reset(): void {
    this.#sum = 0;
    this.#c[0] = 0;
  }
}

/**
 * Prometheus' mean (avg aggregation and avg_over_time): a Kahan-compensated direct sum while it
 * stays finite — more accurate — and, from the first value that would overflow the sum, an
 * incremental mean `mean·(n−1)/n + x/n`, still Kahan-compensated.
 */
export class RunningMean {
  #n = 0;
  #sum = 0;
  #mean = 0;
  #incremental = false;
  readonly #c = new Float64Array(1);

  add(x: number): void {
    const n = ++this.#n;
    if (n === 1) {
      this.#sum = x;
      return;
    }
    if (!this.#incremental) {
      const saved = this.#c[0];
      const s = kahanInc(x, this.#sum, this.#c);
      if (s !== Number.POSITIVE_INFINITY && s !== Number.NEGATIVE_INFINITY) {
        this.#sum = s;
        return;
      }
      // The sum would overflow: continue from the mean of what came before.
      this.#incremental = true;
      this.#mean = this.#sum / (n - 1);
      this.#c[0] = saved / (n - 1);
    }
    const q = (n - 1) / n;
    this.#c[0] *= q;
    this.#mean = kahanInc(x / n, q * this.#mean, this.#c);
  }

  get count(): number {
    return this.#n;
  }

  /** NaN when nothing was added. */
  get value(): number {
    const n = this.#n;
    if (n === 0) return Number.NaN;
    if (this.#incremental) return this.#mean + this.#c[0];
    return this.#sum / n + this.#c[0] / n;
  }

  reset(): void {
    this.#n = 0;
    this.#sum = 0;
    this.#mean = 0;
    this.#incremental = false;
    this.#c[0] = 0;
  }
}

/**
 * The population variance as Prometheus' stddev/stdvar aggregations compute it: Welford's update
 * without compensation, starting from the first value as mean and 0 as the sum of squared
 * deviations — or NaN when that first value is NaN or ±Inf. The result is `m2 / n` (stdvar) and
 * its square root (stddev). (stddev_over_time/stdvar_over_time use a Kahan-compensated variant:
 * see the range kernels.)
 */
export class RunningVariance {
  #n = 0;
  #mean = 0;
  #m2 = 0;

  add(x: number): void {
    const n = ++this.#n;
    if (n === 1) {
      this.#mean = x;
      this.#m2 = Number.isFinite(x) ? 0 : Number.NaN;
      return;
    }
    const delta = x - this.#mean;
    this.#mean += delta / n;
    this.#m2 += delta * (x - this.#mean);
  }

  get count(): number {
    return this.#n;
  }

  get variance(): number {
    return this.#n === 0 ? Number.NaN : this.#m2 / this.#n;
  }

  get stddev(): number {
    return Math.sqrt(this.variance);
  }

  reset(): void {
    this.#n = 0;
    this.#mean = 0;
    this.#m2 = 0;
  }
}

/**
 * Moves the NaNs of values[0..n) to the front (Go's vectorByValueHeap orders NaN below every
 * number) and returns how many there are.
 */
function nansToFront(values: Float64Array, n: number): number {
  let w = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      values[i] = values[w];
      values[w++] = v;
    }
  }
  return w;
}

/**
 * Rearranges values[lo..hi] (inclusive, no NaN) so that values[k] is the element that sorting
 * would put there, everything left of it ≤ it and everything right ≥ it. Three-way partitioning
 * keeps runs of equal values (flat counters) linear.
 */
function select(values: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    // Median of three as the pivot: sorted and reversed input stay linear.
    const mid = lo + ((hi - lo) >> 1);
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i];
      if (v < pivot) {
        values[i++] = values[lt];
        values[lt++] = v;
      } else if (v > pivot) {
        values[i] = values[gt];
        values[gt--] = v;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return;
  }
}

/**
 * The φ-quantile of values[0..n) as Prometheus' `quantile`: rank φ·(n−1) over the values ordered
 * ascending with NaN first, linear interpolation between the two neighbouring ranks. φ < 0 → -Inf,
 * φ > 1 → +Inf, NaN φ or no values → NaN. Reorders values[0..n) in place (a selection, not a full
 * sort) and allocates nothing.
 */
export function quantile(q: number, values: Float64Array, n: number): number {
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  const nans = nansToFront(values, n);
  // A NaN at the lower rank makes the weighted sum NaN whatever the weight (NaN·0 is NaN).
  if (lower < nans) return Number.NaN;
  select(values, nans, n - 1, lower);
  const lowValue = values[lower];
  let highValue = lowValue;
  if (upper !== lower) {
    // The next rank is the smallest value right of the selected one.
    highValue = values[upper];
    for (let i = upper + 1; i < n; i++) if (values[i] < highValue) highValue = values[i];
  }
  return lowValue * (1 - weight) + highValue * weight;
}

/** Sorts values[0..n) ascending with NaN first (Go's order for sort and quantile). */
export function sortNaNFirst(values: Float64Array, n: number): void {
  const nans = nansToFront(values, n);
  values.subarray(nans, n).sort();
}
