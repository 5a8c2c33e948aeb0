// The *_over_time aggregations of one window's values (and the timestamps of their extremes).

import { kahanInc } from '../stats.ts';
import type { RangeWindow } from './window.ts';

const comp = new Float64Array(2);

/** Kahan-compensated sum; an infinite sum is returned without its compensation. */
export function sumOverTime(w: RangeWindow): number {
  const { vs, from, to } = w;
  comp[0] = 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum = kahanInc(vs[i], sum, comp);
  if (sum === Number.POSITIVE_INFINITY || sum === Number.NEGATIVE_INFINITY) return sum;
  return sum + comp[0];
}

/**
 * The mean: a compensated direct sum divided at the end while the sum stays finite, switching to
 * a compensated incremental mean from the first value that would overflow it (Prometheus 3.x).
 */
export function avgOverTime(w: RangeWindow): number {
  const { vs, from, to } = w;
  comp[0] = 0;
  let sum = vs[from];
  let mean = 0;
  let count = 1;
  let incremental = false;
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    count = i - from + 1;
    if (!incremental) {
      const before = comp[0];
      const s = kahanInc(v, sum, comp);
      if (s !== Number.POSITIVE_INFINITY && s !== Number.NEGATIVE_INFINITY) {
        sum = s;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      comp[0] = before / (count - 1);
    }
    const q = (count - 1) / count;
    comp[0] *= q;
    mean = kahanInc(v / count, q * mean, comp);
  }
  if (incremental) return mean + comp[0];
  return sum / count + comp[0] / count;
}

export function countOverTime(w: RangeWindow): number {
  return w.to - w.from;
}

export function presentOverTime(): number {
  return 1;
}

export function lastOverTime(w: RangeWindow): number {
  return w.vs[w.to - 1];
}

export function firstOverTime(w: RangeWindow): number {
  return w.vs[w.from];
}

export function tsOfLastOverTime(w: RangeWindow): number {
  return w.ts[w.to - 1] / 1000;
}

export function tsOfFirstOverTime(w: RangeWindow): number {
  return w.ts[w.from] / 1000;
}

// The extremes start from the first value; a NaN pick is replaced by whatever value comes next,
// so NaN is the answer only when the values after the last number are all NaN… which cannot happen:
// a NaN never replaces a number. NaN results only when every value is NaN.

export function maxOverTime(w: RangeWindow): number {
  const { vs, from, to } = w;
  let best = vs[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v > best || Number.isNaN(best)) best = v;
  }
  return best;
}

export function minOverTime(w: RangeWindow): number {
  const { vs, from, to } = w;
  let best = vs[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v < best || Number.isNaN(best)) best = v;
  }
  return best;
}

/** Seconds of the last sample holding the maximum (ties go to the latest). */
export function tsOfMaxOverTime(w: RangeWindow): number {
  const { ts, vs, from, to } = w;
  let best = vs[from];
  let at = ts[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v >= best || Number.isNaN(best)) {
      best = v;
      at = ts[i];
    }
  }
  return at / 1000;
}

/** Seconds of the last sample holding the minimum (ties go to the latest). */
export function tsOfMinOverTime(w: RangeWindow): number {
  const { ts, vs, from, to } = w;
  let best = vs[from];
  let at = ts[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v <= best || Number.isNaN(best)) {
      best = v;
      at = ts[i];
    }
  }
  return at / 1000;
}

/**
 * Population variance by Welford's method with both the running mean and the sum of squared
 * deviations Kahan-compensated (Prometheus' varianceOverTime).
 */
export function stdvarOverTime(w: RangeWindow): number {
  const { vs, from, to } = w;
  comp[0] = 0;
  comp[1] = 0;
  let mean = 0;
  let aux = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = vs[i];
    count++;
    const delta = v - (mean + comp[0]);
    mean = kahanInc(delta / count, mean, comp, 0);
    aux = kahanInc(delta * (v - (mean + comp[0])), aux, comp, 1);
  }
  return (aux + comp[1]) / count;
}

export function stddevOverTime(w: RangeWindow): number {
  return Math.sqrt(stdvarOverTime(w));
}
