// histogram_quantile and histogram_fraction over the buckets of one classic histogram (cumulative
// counts with `le` upper bounds), as Prometheus 3.x's BucketQuantile and BucketFraction.

/** What bucketQuantile reports besides the value. */
export interface BucketQuantileInfo {
  /** Some cumulative count was lower than the one before it and had to be raised. */
  fixedMonotonicity: boolean;
  /** Lowest and highest upper bound whose count was raised, and the largest raise. */
  minBucket?: number;
  maxBucket?: number;
  maxDiff?: number;
}

/**
 * Relative differences between neighbouring cumulative counts below this are treated as float
 * noise (query sharding and summing rates produce them) and silently evened out.
 */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus' almost.Equal: |a−b| small relative to |a|+|b| (absolute near zero). */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/**
 * Sorts buckets[0..n) by upper bound (insertion sort: histograms have tens of buckets; stable),
 * then merges buckets with equal bounds by adding their counts. Returns the new count.
 */
function sortAndCoalesce(bounds: Float64Array, counts: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const b = bounds[i];
    const c = counts[i];
    let j = i - 1;
    while (j >= 0 && bounds[j] > b) {
      bounds[j + 1] = bounds[j];
      counts[j + 1] = counts[j];
      j--;
    }
    bounds[j + 1] = b;
    counts[j + 1] = c;
  }
  let w = 0;
  for (let i = 1; i < n; i++) {
    if (bounds[i] === bounds[w]) counts[w] += counts[i];
    else {
      w++;
      bounds[w] = bounds[i];
      counts[w] = counts[i];
    }
  }
  return n === 0 ? 0 : w + 1;
}

/**
 * Evens out float noise between neighbours, then raises every count below the highest one seen
 * so far (the "envelope"), so that the binary search for the rank works.
 */
function ensureMonotonic(
  bounds: Float64Array,
  counts: Float64Array,
  n: number,
  out: BucketQuantileInfo,
): void {
  let forced = false;
  let minBucket = Number.POSITIVE_INFINITY;
  let maxBucket = Number.NEGATIVE_INFINITY;
  let maxDiff = 0;
  let prev = counts[0];
  for (let i = 1; i < n; i++) {
    const curr = counts[i];
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      counts[i] = prev;
      continue;
    }
    if (curr < prev) {
      counts[i] = prev;
      forced = true;
      if (bounds[i] < minBucket) minBucket = bounds[i];
      if (bounds[i] > maxBucket) maxBucket = bounds[i];
      if (prev - curr > maxDiff) maxDiff = prev - curr;
      continue;
    }
    prev = curr;
  }
  out.fixedMonotonicity = forced;
  out.minBucket = minBucket;
  out.maxBucket = maxBucket;
  out.maxDiff = maxDiff;
}

/**
 * The q-quantile of a classic histogram given as unsorted (upper bound, cumulative count) pairs
 * in upperBounds/counts[0..n) (both reordered in place). Linear interpolation inside the bucket
 * holding the rank; the lowest bucket starts at 0 when its bound is positive (else its bound is the
 * answer); a rank in the +Inf bucket answers the second-highest bound.
 *
 * NaN for: NaN q, no +Inf bucket, fewer than 2 distinct bounds, zero observations. q < 0 → -Inf,
 * q > 1 → +Inf. `out.fixedMonotonicity` tells whether decreasing counts had to be raised.
 */
export function bucketQuantile(
  q: number,
  upperBounds: Float64Array,
  counts: Float64Array,
  n: number,
  out: BucketQuantileInfo,
): number {
  out.fixedMonotonicity = false;
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (n === 0) return Number.NaN;
  n = sortAndCoalesce(upperBounds, counts, n);
  if (upperBounds[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  ensureMonotonic(upperBounds, counts, n, out);
  if (n < 2) return Number.NaN;
  const observations = counts[n - 1];
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) whose cumulative count reaches the rank.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (counts[mid] >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  if (b === n - 1) return upperBounds[n - 2];
  if (b === 0 && upperBounds[0] <= 0) return upperBounds[0];
  let bucketStart = 0;
  const bucketEnd = upperBounds[b];
  let count = counts[b];
  if (b > 0) {
    bucketStart = upperBounds[b - 1];
    count -= counts[b - 1];
    rank -= counts[b - 1];
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/**
 * The fraction of observations between lower and upper, interpolating linearly inside buckets —
 * Prometheus 3.x's BucketFraction for classic histograms. The lowest bucket spans from 0 when its
 * bound is positive, from -Inf otherwise (and -Inf-bounded or +Inf-bounded buckets contribute
 * nothing partial: a bound inside one counts the bucket whole or not at all). NaN for: no +Inf
 * bucket, zero observations, a NaN bound; 0 when lower ≥ upper. Reorders the inputs in place.
 */
export function bucketFraction(
  lower: number,
  upper: number,
  upperBounds: Float64Array,
  counts: Float64Array,
  n: number,
): number {
  if (n === 0) return Number.NaN;
  n = sortAndCoalesce(upperBounds, counts, n);
  if (upperBounds[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  const total = counts[n - 1];
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let bucketLower = upperBounds[0] <= 0 ? Number.NEGATIVE_INFINITY : 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) bucketLower = upperBounds[i - 1];
    const bucketUpper = upperBounds[i];
    const cumulative = counts[i];
    if (!lowerSet && bucketLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bucketLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bucketLower < lower && bucketUpper > lower) {
      lowerRank = interpolate(lower, rank, cumulative, bucketLower, bucketUpper);
      lowerSet = true;
    }
    if (!upperSet && bucketLower < upper && bucketUpper > upper) {
      upperRank = interpolate(upper, rank, cumulative, bucketLower, bucketUpper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = cumulative;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

/**
 * The cumulative count at v inside the bucket (bucketLower, bucketUpper] whose cumulative count is
 * `cumulative` and which starts at `rank`. A -Inf lower bound cannot be interpolated: the bucket
 * counts whole. (A +Inf upper bound interpolates to the bucket's start: finite/Inf is 0.)
 */
function interpolate(
  v: number,
  rank: number,
  cumulative: number,
  bucketLower: number,
  bucketUpper: number,
): number {
  if (bucketLower === Number.NEGATIVE_INFINITY) return cumulative;
  return rank + ((cumulative - rank) * (v - bucketLower)) / (bucketUpper - bucketLower);
}
