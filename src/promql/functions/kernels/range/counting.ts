// resets and changes: counts over consecutive pairs of samples in the window.

import type { RangeWindow } from './window.ts';

/** How often a value is lower than the one before it (a counter reset). */
export function resets(w: RangeWindow): number {
  const { vs, from, to } = w;
  let count = 0;
  let prev = vs[from];
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i];
    if (cur < prev) count++;
    prev = cur;
  }
  return count;
}

/** How often a value differs from the one before it; NaN followed by NaN is no change. */
export function changes(w: RangeWindow): number {
  const { vs, from, to } = w;
  let count = 0;
  let prev = vs[from];
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i];
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) count++;
    prev = cur;
  }
  return count;
}
