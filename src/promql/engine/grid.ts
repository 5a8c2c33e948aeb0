// The evaluation steps of one (sub)query: `count` instants `start + i·step`. An instant query is a
// grid of one step. Every node is evaluated once for all steps of its grid (Prometheus' range
// evaluation), so its result is columnar over the grid.

export interface StepGrid {
  /** ms of the first step. */
  readonly start: number;
  /** ms between steps; 1 for a single-step grid (never used to divide). */
  readonly step: number;
  /** Number of steps, ≥ 0 (a subquery window can be empty). */
  readonly count: number;
}

export function gridOf(start: number, end: number, step: number): StepGrid {
  if (end < start) return { start, step, count: 0 };
  return { start, step, count: Math.floor((end - start) / step) + 1 };
}

export function singleStep(t: number): StepGrid {
  return { start: t, step: 1, count: 1 };
}

export function timeAt(grid: StepGrid, i: number): number {
  return grid.start + i * grid.step;
}

export function lastTime(grid: StepGrid): number {
  return grid.start + (grid.count - 1) * grid.step;
}

/** The first multiple of `step` strictly after `t` (Prometheus' subquery alignment), exact for any sign. */
export function firstMultipleAfter(t: number, step: number): number {
  let m = Math.floor(t / step) * step;
  while (m <= t) m += step;
  while (m - step > t) m -= step;
  return m;
}
