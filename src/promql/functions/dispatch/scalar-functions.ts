// Functions of the evaluation time and conversions between scalars and vectors: time(), pi(),
// vector(), scalar(), and the query-shape functions step(), range(), start(), end().

import { Labels } from '../../../model/labels.ts';
import type { Call } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { newSeries, type Value } from '../../engine/values.ts';
import { goMax, goMin } from '../kernels/math.ts';
import { scalarArg, vectorArg } from './args.ts';

function constant(ctx: EvalContext, v: number): Value {
  return { type: 'scalar', values: new Float64Array(ctx.grid.count).fill(v) };
}

export const SCALAR_FUNCTIONS: ReadonlySet<string> = new Set([
  'time',
  'pi',
  'vector',
  'scalar',
  'step',
  'range',
  'start',
  'end',
  'min_of',
  'max_of',
]);

export async function scalarFunction(call: Call, ctx: EvalContext): Promise<Value> {
  const { grid, env } = ctx;
  const steps = grid.count;
  switch (call.func) {
    case 'time': {
      const values = new Float64Array(steps);
      for (let i = 0; i < steps; i++) values[i] = (grid.start + i * grid.step) / 1000;
      return { type: 'scalar', values };
    }
    case 'pi':
      return constant(ctx, Math.PI);
    case 'step':
      return constant(ctx, env.queryStep / 1000);
    case 'range':
      return constant(ctx, (env.queryEnd - env.queryStart) / 1000);
    case 'start':
      return constant(ctx, env.queryStart / 1000);
    case 'end':
      return constant(ctx, env.queryEnd / 1000);
    case 'min_of':
    case 'max_of': {
      const a = await scalarArg(ctx, call.args[0], call.func);
      const b = await scalarArg(ctx, call.args[1], call.func);
      const f = call.func === 'min_of' ? goMin : goMax;
      return { type: 'scalar', values: a.map((x, i) => f(x, b[i])) };
    }
    case 'vector': {
      const values = await scalarArg(ctx, call.args[0], 'vector argument');
      const s = newSeries(Labels.EMPTY, steps);
      s.values.set(values);
      s.present.fill(1);
      return { type: 'vector', series: [s] };
    }
    case 'scalar': {
      // The value of the only series present at a step; NaN when there are none or several.
      const input = await vectorArg(ctx, call.args[0], 'scalar argument');
      const values = new Float64Array(steps).fill(Number.NaN);
      const seen = new Uint8Array(steps);
      for (const s of input)
        for (let i = 0; i < steps; i++) {
          if (s.present[i] === 0) continue;
          values[i] = seen[i] === 0 ? s.values[i] : Number.NaN;
          seen[i] = Math.min(2, seen[i] + 1);
        }
      return { type: 'scalar', values };
    }
    default:
      throw new Error(`internal: ${call.func} is not a scalar function`);
  }
}
