// Histograms: observations counted into fixed buckets, plus their sum and count.

import type { Bucket, Metric } from '../format/exposition/family.ts';
import { DEFAULT_BUCKETS, normaliseBuckets } from './buckets.ts';
import type { FamilyOptions } from './definition.ts';
import { Child, type ChildInit, Family, type FamilyContext } from './family.ts';

export interface HistogramOptions extends FamilyOptions {
  /** Upper bounds (default {@link DEFAULT_BUCKETS}); +Inf is implied. */
  readonly buckets?: readonly number[];
}

/** Below this many bounds a linear scan beats a binary search (client_golang uses the same cut). */
const LINEAR_SEARCH_MAX = 35;

export class Histogram extends Child {
  readonly #bounds: Float64Array;
  /** Non-cumulative counts; the last slot is the +Inf bucket. */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(init: ChildInit, bounds: Float64Array) {
    super(init);
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const b = this.#bounds;
    const n = b.length;
    let i = 0;
    if (n <= LINEAR_SEARCH_MAX) {
      while (i < n && !(value <= b[i])) i++;
    } else {
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value <= b[mid]) hi = mid;
        else i = mid + 1;
      }
    }
    // NaN compares false everywhere and lands in +Inf, as in client_golang.
    this.#counts[i]++;
    this.#sum += value;
    this.#count++;
  }

  get sum(): number {
    return this.#sum;
  }

  get count(): number {
    return this.#count;
  }

  /** Cumulative buckets, ascending, ending with +Inf. */
  buckets(): Bucket[] {
    const b = this.#bounds;
    const out: Bucket[] = new Array(b.length + 1);
    let cumulative = 0;
    for (let i = 0; i < b.length; i++) {
      cumulative += this.#counts[i];
      out[i] = { upperBound: b[i], cumulativeCount: cumulative };
    }
    cumulative += this.#counts[b.length];
    out[b.length] = { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: cumulative };
    return out;
  }
}

export class HistogramFamily extends Family<Histogram> {
  readonly type = 'histogram' as const;
  /** Upper bounds without +Inf, shared (read-only) by all children. */
  readonly bounds: Float64Array;

  constructor(opts: HistogramOptions, ctx: FamilyContext) {
    super(opts, ctx);
    this.bounds = normaliseBuckets(opts.name, opts.buckets ?? DEFAULT_BUCKETS);
  }

  protected override definitionExtras(): unknown {
    return [...this.bounds];
  }

  protected newChild(init: ChildInit): Histogram {
    return new Histogram(init, this.bounds);
  }

  protected toMetric(h: Histogram): Metric {
    return {
      labels: h.labels,
      buckets: h.buckets(),
      count: h.count,
      sum: h.sum,
      createdMs: this.createdOf(h),
    };
  }
}
