// Functions applied to each sample of an instant vector on its own: the math functions, round,
// the clamp family and the date functions. They all drop the metric name.

import { Labels } from '../../../model/labels.ts';
import type { Call } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { dropMetricName, mergeSameLabels } from '../../engine/labelsets.ts';
import { type InstantSeries, newSeries, type Value } from '../../engine/values.ts';
import { DATE_FUNCTIONS } from '../kernels/date.ts';
import { clamp, ELEMENTWISE, round } from '../kernels/math.ts';
import { scalarArg, vectorArg } from './args.ts';

/**
 * Maps every present sample through `f(value, step)`; `undefined` leaves the step empty. The result
 * drops the metric name (now, or at the end with delayed name removal).
 */
export function mapSamples(
  input: readonly InstantSeries[],
  ctx: EvalContext,
  f: (v: number, step: number) => number | undefined,
): Value {
  const steps = ctx.grid.count;
  const delayed = ctx.env.delayedNameRemoval;
  const out: InstantSeries[] = [];
  for (const s of input) {
    const r = newSeries(delayed ? s.labels : dropMetricName(s.labels), steps, true);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] === 0) continue;
      const v = f(s.values[i], i);
      if (v === undefined) continue;
      r.present[i] = 1;
      r.values[i] = v;
      any = true;
    }
    if (any) out.push(r);
  }
  return { type: 'vector', series: mergeSameLabels(out) };
}

export function isElementwise(name: string): boolean {
  return ELEMENTWISE.has(name) || DATE_FUNCTIONS.has(name) || CLAMPS.has(name) || name === 'round';
}

const CLAMPS: ReadonlySet<string> = new Set(['clamp', 'clamp_min', 'clamp_max']);

export async function elementwise(call: Call, ctx: EvalContext): Promise<Value> {
  const name = call.func;
  const math = ELEMENTWISE.get(name);
  if (math !== undefined) return mapSamples(await vectorArg(ctx, call.args[0], name), ctx, math);

  const date = DATE_FUNCTIONS.get(name);
  if (date !== undefined) {
    if (call.args.length === 0) {
      // No argument: the date of each step itself, as vector(time()).
      const steps = ctx.grid.count;
      const s = newSeries(Labels.EMPTY, steps);
      for (let i = 0; i < steps; i++) {
        s.present[i] = 1;
        s.values[i] = date(Math.trunc((ctx.grid.start + i * ctx.grid.step) / 1000));
      }
      return { type: 'vector', series: [s] };
    }
    return mapSamples(await vectorArg(ctx, call.args[0], name), ctx, (v) => date(Math.trunc(v)));
  }

  const input = await vectorArg(ctx, call.args[0], name);
  switch (name) {
    case 'round': {
      const to = call.args.length > 1 ? await scalarArg(ctx, call.args[1], 'round parameter') : undefined;
      return mapSamples(input, ctx, (v, i) => round(v, to === undefined ? 1 : to[i]));
    }
    case 'clamp': {
      const lo = await scalarArg(ctx, call.args[1], 'clamp minimum');
      const hi = await scalarArg(ctx, call.args[2], 'clamp maximum');
      // An empty interval yields nothing at that step.
      return mapSamples(input, ctx, (v, i) => (hi[i] < lo[i] ? undefined : clamp(v, lo[i], hi[i])));
    }
    case 'clamp_min': {
      const lo = await scalarArg(ctx, call.args[1], 'clamp_min minimum');
      return mapSamples(input, ctx, (v, i) => clamp(v, lo[i], Number.POSITIVE_INFINITY));
    }
    case 'clamp_max': {
      const hi = await scalarArg(ctx, call.args[1], 'clamp_max maximum');
      return mapSamples(input, ctx, (v, i) => clamp(v, Number.NEGATIVE_INFINITY, hi[i]));
    }
    default:
      throw new Error(`internal: ${name} is not an elementwise function`);
  }
}
