// double_exponential_smoothing (Holt's linear method), as Prometheus computes it.

import type { RangeWindow } from './window.ts';

/**
 * Smooths the values with factor sf and trend factor tf (both in (0, 1); the engine rejects
 * others) and returns the last smoothed value. The trend starts as the first difference; at least
 * two samples are needed.
 */
export function doubleExponentialSmoothing(w: RangeWindow, sf: number, tf: number): number | undefined {
  const { vs, from, to } = w;
  if (to - from < 2) return undefined;
  let s0 = 0;
  let s1 = vs[from];
  let trend = vs[from + 1] - vs[from];
  for (let i = from + 1; i < to; i++) {
    const x = sf * vs[i];
    // The first step keeps the initial trend; later ones blend the last change of the level in.
    if (i > from + 1) trend = tf * (s1 - s0) + (1 - tf) * trend;
    const y = (1 - sf) * (s1 + trend);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}
