// An instant vector selector over every step of the grid: the value at step t is the newest sample
// in (ref - lookback, ref] where ref = t - offset (or the `@` time - offset), unless that sample is a
// staleness marker. Each series is read once over the union of all steps' windows and walked with
// one moving pointer.

import type { VectorSelector } from '../ast.ts';
import { type EvalContext, resolveAt } from './context.ts';
import { timeAt } from './grid.ts';
import { SampleBuffer } from './samples.ts';
import { type InstantSeries, newSeries, type VectorValue } from './values.ts';

/** What a selected sample contributes: its value, or (for `timestamp()`) its time in seconds. */
export type SampleField = 'value' | 'timestamp';

const BATCH = 64;

export async function evalVectorSelector(
  vs: VectorSelector,
  ctx: EvalContext,
  field: SampleField = 'value',
): Promise<VectorValue> {
  const { grid, env } = ctx;
  const at = resolveAt(vs.at, env);
  const steps = grid.count;
  const firstRef = (at ?? grid.start) - vs.offsetMs;
  const lastRef = (at ?? timeAt(grid, steps - 1)) - vs.offsetMs;
  const lookback = env.lookbackMs;
  // Samples exactly `lookback` before a step are out of its window, hence the +1.
  const minT = firstRef - lookback + 1;
  const maxT = lastRef;

  const selected = env.store.querier(minT, maxT).select(vs.matchers);
  const buf = new SampleBuffer();
  const out: InstantSeries[] = [];
  for (let si = 0; si < selected.length; si++) {
    if (si % BATCH === 0) await env.limits.checkpoint();
    env.limits.countLoaded(buf.read(selected[si], minT, maxT, true));
    const n = buf.length;
    if (n === 0) continue;
    const { ts, vs: vals, stale } = buf;
    const series = newSeries(selected[si].labels, steps);
    let points = 0;
    let j = 0; // first sample after the current ref
    for (let i = 0; i < steps; i++) {
      const ref = at === undefined ? grid.start + i * grid.step - vs.offsetMs : firstRef;
      while (j < n && ts[j] <= ref) j++;
      const k = j - 1;
      if (k < 0 || ts[k] <= ref - lookback || stale[k] === 1) continue;
      series.present[i] = 1;
      series.values[i] = field === 'value' ? vals[k] : ts[k] / 1000;
      points++;
    }
    if (points === 0) continue;
    env.limits.hold(points);
    out.push(series);
  }
  return { type: 'vector', series: out };
}
