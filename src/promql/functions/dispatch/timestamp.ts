// timestamp(v): the time of each sample in seconds. Of a selector that is the stored sample's own
// time (with `@`, the sample selected at that time, at every step); of anything computed, it is the
// evaluation step's time.

import type { Call } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import type { Value } from '../../engine/values.ts';
import { evalVectorSelector } from '../../engine/vector-selector.ts';
import { unwrapParens, vectorArg } from './args.ts';
import { mapSamples } from './elementwise.ts';

export async function timestampFunction(call: Call, ctx: EvalContext): Promise<Value> {
  const arg = unwrapParens(call.args[0]);
  if (arg.type === 'VectorSelector') {
    const times = await evalVectorSelector(arg, ctx, 'timestamp');
    return mapSamples(times.series, ctx, (t) => t);
  }
  const input = await vectorArg(ctx, arg, 'timestamp argument');
  const { start, step } = ctx.grid;
  return mapSamples(input, ctx, (_, i) => (start + i * step) / 1000);
}
