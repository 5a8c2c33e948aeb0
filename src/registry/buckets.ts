// Histogram bucket layouts: the Prometheus defaults, helpers to build others, and validation.

import { RegistryError } from './errors.ts';

/** client_golang's DefBuckets (seconds-scale latencies); +Inf is always implied. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** `count` buckets: start, start+width, … */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(count >= 1) || !(width > 0)) throw new RegistryError('linearBuckets needs count >= 1 and width > 0');
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets: start, start*factor, … */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(count >= 1) || !(start > 0) || !(factor > 1)) {
    throw new RegistryError('exponentialBuckets needs count >= 1, start > 0 and factor > 1');
  }
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/**
 * Check and normalise upper bounds: strictly increasing, no NaN; a trailing +Inf is dropped (it is
 * implicit). An empty list is allowed and means only the +Inf bucket.
 */
export function normaliseBuckets(metric: string, buckets: readonly number[]): Float64Array {
  const list = [...buckets];
  if (list.length > 0 && list[list.length - 1] === Number.POSITIVE_INFINITY) list.pop();
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (typeof b !== 'number' || Number.isNaN(b) || b === Number.POSITIVE_INFINITY) {
      throw new RegistryError(`histogram "${metric}": bucket bound ${String(b)} is not a number below +Inf`);
    }
    if (i > 0 && !(b > list[i - 1])) {
      throw new RegistryError(
        `histogram "${metric}": buckets must be strictly increasing (${list[i - 1]} then ${b})`,
      );
    }
  }
  return Float64Array.from(list);
}
