// quantile_over_time and mad_over_time: order statistics over a copy of the window's values in a
// module-level buffer that grows as needed (no allocation per call once it is big enough).

import { quantile } from '../stats.ts';
import type { RangeWindow } from './window.ts';

let scratch = new Float64Array(256);

function copyValues(w: RangeWindow): number {
  const n = w.to - w.from;
  if (scratch.length < n) {
    let size = scratch.length;
    while (size < n) size *= 2;
    scratch = new Float64Array(size);
  }
  for (let i = 0; i < n; i++) scratch[i] = w.vs[w.from + i];
  return n;
}

/** The φ-quantile of the values (φ < 0 → -Inf, φ > 1 → +Inf, NaN → NaN; NaN values rank lowest). */
export function quantileOverTime(w: RangeWindow, phi: number): number {
  const n = copyValues(w);
  return quantile(phi, scratch, n);
}

/**
 * The median absolute deviation: the median of |v − median(v)|. A NaN sample makes it NaN
 * (Prometheus 3.x propagates NaN here, as the variance functions do, instead of letting the
 * NaN-first order hide it).
 */
export function madOverTime(w: RangeWindow): number {
  for (let i = w.from; i < w.to; i++) if (Number.isNaN(w.vs[i])) return Number.NaN;
  const n = copyValues(w);
  const median = quantile(0.5, scratch, n);
  const { vs, from } = w;
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(vs[from + i] - median);
  return quantile(0.5, scratch, n);
}
