// deriv and predict_linear: least-squares regression over the window's samples, with
// Kahan-compensated sums as Prometheus' linearRegression.

import type { RangeWindow } from './window.ts';

// The regression's result: slope and the intercept at the chosen time.
let slope = 0;
let intercept = 0;

/**
 * Fits y = slope·x + intercept with x the seconds from `interceptTime` (ms). A constant series has
 * slope 0 and its value as intercept — unless that value is ±Inf, which gives NaN for both.
 */
function linearRegression(w: RangeWindow, interceptTime: number): void {
  const { ts, vs, from, to } = w;
  // Σx, Σy, Σxy, Σx² as Kahan–Neumaier sums (kahanInc spelled out on locals: this loop is hot).
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[from];
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i];
    if (constY && i > from && y !== initY) constY = false;
    const x = (ts[i] - interceptTime) / 1e3;
    let t = sumX + x;
    cX = isInfinite(t) ? 0 : cX + (Math.abs(sumX) >= Math.abs(x) ? sumX - t + x : x - t + sumX);
    sumX = t;
    t = sumY + y;
    cY = isInfinite(t) ? 0 : cY + (Math.abs(sumY) >= Math.abs(y) ? sumY - t + y : y - t + sumY);
    sumY = t;
    const xy = x * y;
    t = sumXY + xy;
    cXY = isInfinite(t) ? 0 : cXY + (Math.abs(sumXY) >= Math.abs(xy) ? sumXY - t + xy : xy - t + sumXY);
    sumXY = t;
    const x2 = x * x;
    t = sumX2 + x2;
    cX2 = isInfinite(t) ? 0 : cX2 + (Math.abs(sumX2) >= Math.abs(x2) ? sumX2 - t + x2 : x2 - t + sumX2);
    sumX2 = t;
  }
  if (constY) {
    if (isInfinite(initY)) {
      slope = Number.NaN;
      intercept = Number.NaN;
    } else {
      slope = 0;
      intercept = initY;
    }
    return;
  }
  const n = to - from;
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  slope = covXY / varX;
  intercept = sumY / n - (slope * sumX) / n;
}

function isInfinite(v: number): boolean {
  return v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY;
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
