// Small hand-made series (job="probe") for the cases where Prometheus 2.42 and 3.x disagree
// (differences.ts). Unlike the scraped data, their samples sit exactly on 15 s marks, so a query
// evaluated on a whole minute has samples right on its windows' edges. Every time and value here is
// known, so each difference case can state the 3.x answer by hand.

import { type GeneratedSeries, SeriesBuilder } from './series-builder.ts';

export const PROBE_STEP_MS = 15_000;
/** probe_gauge{instance="p1"} cycles through these. */
export const P1_VALUES = [2.5, -2.5, 0.5, -0.5, 1.49, 3.5, -7.25, 10];

export interface ProbeTimes {
  /** A whole minute with probe_aligned samples at it and every 15 s before (D: left-open windows). */
  readonly aligned: number;
  /** probe_lookback's last sample; the case evaluates exactly 5 m later. */
  readonly lookbackLast: number;
  /** probe_late_total starts 40 s before this time (D: rate extrapolation). */
  readonly lateCounterEval: number;
  /** probe_a lives in [start, aEnd], probe_b in [bStart, end]: the same labels, never at once. */
  readonly aEnd: number;
  readonly bStart: number;
}

export function probeTimes(startMs: number, endMs: number): ProbeTimes {
  return {
    aligned: endMs - 30 * 60_000,
    lookbackLast: endMs - 40 * 60_000,
    lateCounterEval: endMs - 20 * 60_000,
    aEnd: startMs + 50 * 60_000,
    bStart: startMs + 60 * 60_000,
  };
}

/** probe_aligned's value at `t` (a 15 s mark): the number of 15 s steps since the start. */
export function alignedValue(startMs: number, t: number): number {
  return (t - startMs) / PROBE_STEP_MS;
}

/** probe_gauge{instance="p1"}'s value at the 15 s mark `t`. */
export function p1Value(startMs: number, t: number): number {
  return P1_VALUES[((t - startMs) / PROBE_STEP_MS) % P1_VALUES.length];
}

/** probe_gauge{instance="p2"}'s value at the 15 s mark `t`: a noisy ramp for the smoothing case. */
export function p2Value(startMs: number, t: number): number {
  const k = (t - startMs) / PROBE_STEP_MS;
  return k * 0.75 + [0, 3, -2, 1, -4][k % 5];
}

/** probe_late_total's samples: a counter born 40 s before `lateCounterEval`, +5 every 15 s for 10 min. */
export function lateCounterSamples(times: ProbeTimes): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  for (let j = 0; j <= 40; j++)
    out.push({ t: times.lateCounterEval - 40_000 + j * PROBE_STEP_MS, v: 5 * (j + 1) });
  return out;
}

export function probeSeries(startMs: number, endMs: number): GeneratedSeries[] {
  const times = probeTimes(startMs, endMs);
  const base = { job: 'probe', instance: 'probe:1' };
  const aligned = new SeriesBuilder({ __name__: 'probe_aligned', ...base });
  const text = new SeriesBuilder({ __name__: 'probe_text', ...base, note: 'first\nsecond' });
  const p1 = new SeriesBuilder({ __name__: 'probe_gauge', job: 'probe', instance: 'p1' });
  const p2 = new SeriesBuilder({ __name__: 'probe_gauge', job: 'probe', instance: 'p2' });
  const lookback = new SeriesBuilder({ __name__: 'probe_lookback', ...base });
  const a = new SeriesBuilder({ __name__: 'probe_a', ...base });
  const b = new SeriesBuilder({ __name__: 'probe_b', ...base });
  for (let t = startMs; t <= endMs; t += PROBE_STEP_MS) {
    aligned.add(t, alignedValue(startMs, t));
    text.add(t, 1);
    p1.add(t, p1Value(startMs, t));
    p2.add(t, p2Value(startMs, t));
    if (t >= startMs + 10 * 60_000 && t <= times.lookbackLast) lookback.add(t, 7);
    if (t <= times.aEnd) a.add(t, 1);
    if (t === times.aEnd + PROBE_STEP_MS) a.stale(t);
    if (t >= times.bStart) b.add(t, 2);
  }
  const late = new SeriesBuilder({ __name__: 'probe_late_total', ...base });
  const lateSamples = lateCounterSamples(times);
  for (const s of lateSamples) late.add(s.t, s.v);
  late.stale(lateSamples[lateSamples.length - 1].t + PROBE_STEP_MS);
  return [aligned, text, p1, p2, lookback, a, b, late].map((s) => s.build());
}
