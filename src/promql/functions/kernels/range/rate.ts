// rate, increase and delta (Prometheus' extrapolatedRate), irate and idelta (instantValue).

import type { RangeWindow } from './window.ts';

/**
 * The change over the window, extrapolated towards its edges. Counters add back the value before
 * each reset. Each end is extrapolated all the way to the window's edge when the first/last sample
 * lies within 1.1 average intervals of it, else by half an average interval (the series probably
 * starts or ends inside the window); a counter is never extrapolated below zero. Needs 2 samples.
 */
function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, from, to } = w;
  const n = to - from;
  if (n < 2) return undefined;
  const firstT = ts[from];
  const lastT = ts[to - 1];
  const firstV = vs[from];
  let result = vs[to - 1] - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = from + 1; i < to; i++) {
      const cur = vs[i];
      if (cur < prev) result += prev;
      prev = cur;
    }
  }

  let durationToStart = (firstT - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (n - 1);
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (isCounter) {
    // Where a straight line through the samples reaches zero, if that is closer than the start.
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;

  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= (w.rangeEnd - w.rangeStart) / 1000;
  return result * factor;
}

export function rate(w: RangeWindow): number | undefined {
  return extrapolatedRate(w, true, true);
}

export function increase(w: RangeWindow): number | undefined {
  return extrapolatedRate(w, true, false);
}

export function delta(w: RangeWindow): number | undefined {
  return extrapolatedRate(w, false, false);
}

/**
 * From the last two samples: their difference, or for irate after a counter reset the last value
 * itself; irate divides by their distance in seconds. Samples at the same time give nothing.
 */
function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  const { ts, vs, to } = w;
  if (to - w.from < 2) return undefined;
  const interval = ts[to - 1] - ts[to - 2];
  if (interval === 0) return undefined;
  const prev = vs[to - 2];
  const last = vs[to - 1];
  // `!(last < prev)`: a NaN on either side is a plain difference, as in Prometheus.
  const result = !isRate || !(last < prev) ? last - prev : last;
  return isRate ? result / (interval / 1000) : result;
}

export function irate(w: RangeWindow): number | undefined {
  return instantValue(w, true);
}

export function idelta(w: RangeWindow): number | undefined {
  return instantValue(w, false);
}
