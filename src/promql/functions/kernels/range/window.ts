// The view a range-vector function gets of one series at one evaluation step.

/**
 * One series' samples ts[from..to) (ascending, in ms, staleness markers removed) inside the window
 * (rangeStart, rangeEnd] — left-open as in Prometheus 3.x. stepTime is the evaluation time in ms
 * (it differs from rangeEnd under offset and @). The engine reuses one object for every step.
 */
export interface RangeWindow {
  ts: Float64Array;
  vs: Float64Array;
  from: number;
  to: number;
  rangeStart: number;
  rangeEnd: number;
  stepTime: number;
}

/**
 * A range function's numeric kernel: the value at this step, or undefined for no output. Called
 * only for windows holding at least one sample. p0 and p1 are the function's scalar parameters at
 * this step (0 when it has none).
 */
export type RangeKernel = (w: RangeWindow, p0: number, p1: number) => number | undefined;
