// Builds RangeWindows the way the engine does: a series' samples, a window (end − range, end].

import type { RangeWindow } from '../../../src/promql/functions/kernels/range.ts';
import { RANGE_KERNELS } from '../../../src/promql/functions/kernels/range.ts';

/**
 * Expands promqltest's series notation for floats: `1 2 NaN`, `0+10x3` (0 10 20 30), `8000-10x2`,
 * `_` (no sample), `Inf`/`-Inf`.
 */
export function expandSeries(spec: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of spec.trim().split(/\s+/)) {
    const m = /^(.+?)([+-])(.+)x(\d+)$/.exec(token);
    if (m !== null && !/^[+-]?Inf$/i.test(token)) {
      const start = parseNumber(m[1]);
      const step = parseNumber(m[3]) * (m[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(m[4]); i++) out.push(start + i * step);
    } else out.push(token === '_' ? undefined : parseNumber(token));
  }
  return out;
}

function parseNumber(s: string): number {
  if (/^\+?Inf$/i.test(s)) return Number.POSITIVE_INFINITY;
  if (/^-Inf$/i.test(s)) return Number.NEGATIVE_INFINITY;
  if (/^NaN$/i.test(s)) return Number.NaN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`not a number: ${s}`);
  return v;
}

export interface Series {
  ts: Float64Array;
  vs: Float64Array;
}

/** A series loaded like promqltest's `load <interval>`: sample i at i·interval ms. */
export function load(intervalMs: number, spec: string): Series {
  const values = expandSeries(spec);
  const ts: number[] = [];
  const vs: number[] = [];
  values.forEach((v, i) => {
    if (v === undefined) return;
    ts.push(i * intervalMs);
    vs.push(v);
  });
  return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
}

/** The window of `series` for `fn(series[range] offset)` evaluated at `evalMs`. */
export function windowAt(series: Series, evalMs: number, rangeMs: number, offsetMs = 0): RangeWindow {
  const end = evalMs - offsetMs;
  const start = end - rangeMs;
  let from = 0;
  while (from < series.ts.length && series.ts[from] <= start) from++;
  let to = from;
  while (to < series.ts.length && series.ts[to] <= end) to++;
  return { ts: series.ts, vs: series.vs, from, to, rangeStart: start, rangeEnd: end, stepTime: evalMs };
}

/** A window over exactly these samples, ending at the last one. */
export function windowOf(values: readonly number[], intervalMs = 1000): RangeWindow {
  const ts = Float64Array.from(values, (_, i) => i * intervalMs);
  const end = values.length === 0 ? 0 : (values.length - 1) * intervalMs;
  return {
    ts,
    vs: Float64Array.from(values),
    from: 0,
    to: values.length,
    rangeStart: -intervalMs / 2,
    rangeEnd: end,
    stepTime: end,
  };
}

/** Runs a kernel by name like the engine: undefined when the window is empty or no output. */
export function run(name: string, w: RangeWindow, p0 = 0, p1 = 0): number | undefined {
  const kernel = RANGE_KERNELS.get(name);
  if (kernel === undefined) throw new Error(`no kernel ${name}`);
  if (w.to <= w.from) return undefined;
  return kernel(w, p0, p1);
}

/** promqltest's comparison: NaN equals NaN, otherwise relative 1e-6 (exact for 0 and infinities). */
export function close(actual: number | undefined, expected: number | undefined, epsilon = 1e-6): boolean {
  if (actual === undefined || expected === undefined) return actual === expected;
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (actual === expected) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= epsilon * Math.max(Math.abs(expected), Math.abs(actual));
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
