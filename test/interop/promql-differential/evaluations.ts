// When each query is evaluated: four instant times (early, when most windows reach before the data;
// the middle; just before the end; after the end, when only the lookback delta keeps series visible)
// and two range queries (the whole dataset with margins at 1 m, and 44 minutes at a 47 s step that
// does not divide the range). Every time is 250 ms past a second and every step whole seconds, so no
// window edge ever falls on a sample (dataset.ts explains why that matters).

import type { Evaluation } from './api.ts';

export function evaluations(startMs: number, endMs: number): Evaluation[] {
  const instant = (ms: number): Evaluation => ({ kind: 'instant', timeMs: ms + 250 });
  return [
    instant(startMs + 4 * 60_000 + 1_000),
    instant(endMs - 61 * 60_000 - 44_000),
    instant(endMs - 52_000),
    instant(endMs + 3 * 60_000 + 30_000),
    { kind: 'range', startMs: startMs - 5 * 60_000 + 250, endMs: endMs + 6 * 60_000 + 250, stepMs: 60_000 },
    {
      kind: 'range',
      startMs: endMs - 47 * 60_000 + 11_250,
      endMs: endMs - 3 * 60_000 + 2_250,
      stepMs: 47_000,
    },
  ];
}
