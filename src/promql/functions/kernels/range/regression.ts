// deriv and predict_linear: least-squares regression over the window's samples, with
// Kahan-compensated sums as Prometheus' linearRegression.

import { kahanInc } from '../stats.ts';
import type { RangeWindow } from './window.ts';

// Compensations of Σx, Σy, Σxy, Σx², reused by every call.
const comp = new Float64Array(4);

// The regression's result: slope and the intercept at the chosen time.
let slope = 0;
let intercept = 0;

/**
 * Fits y = slope·x + intercept with x the seconds from `interceptTime` (ms). A constant series has
 * slope 0 and its value as intercept — unless that value is ±Inf, which gives NaN for both.
 */
function linearRegression(w: RangeWindow, interceptTime: number): void {
  const { ts, vs, from, to } = w;
  comp.fill(0);
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  const initY = vs[from];
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i];
    if (constY && i > from && y !== initY) constY = false;
    const x = (ts[i] - interceptTime) / 1e3;
    sumX = kahanInc(x, sumX, comp, 0);
    sumY = kahanInc(y, sumY, comp, 1);
    sumXY = kahanInc(x * y, sumXY, comp, 2);
    sumX2 = kahanInc(x * x, sumX2, comp, 3);
  }
  if (constY) {
    if (initY === Number.POSITIVE_INFINITY || initY === Number.NEGATIVE_INFINITY) {
      slope = Number.NaN;
      intercept = Number.NaN;
    } else {
      slope = 0;
      intercept = initY;
    }
    return;
  }
  const n = to - from;
  sumX += comp[0];
  sumY += comp[1];
  sumXY += comp[2];
  sumX2 += comp[3];
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  slope = covXY / varX;
  intercept = sumY / n - (slope * sumX) / n;
}

/** Per-second slope; x is measured from the first sample to keep the sums small. */
export function deriv(w: RangeWindow): number | undefined {
  if (w.to - w.from < 2) return undefined;
  linearRegression(w, w.ts[w.from]);
  return slope;
}

/** The fitted value `seconds` after the evaluation time. */
export function predictLinear(w: RangeWindow, seconds: number): number | undefined {
  if (w.to - w.from < 2) return undefined;
  linearRegression(w, w.stepTime);
  return slope * seconds + intercept;
}
