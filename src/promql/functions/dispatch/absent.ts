// absent(v) and absent_over_time(m): a single series where the argument has nothing, labelled with
// the equality matchers of the argument's selector (Prometheus' createLabelsForAbsentFunction: a
// label matched by equality exactly once is kept, anything else about it drops it).

import { Labels, METRIC_NAME_LABEL } from '../../../model/labels.ts';
import type { Call, Expr } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { newSeries, type Value } from '../../engine/values.ts';
import { vectorArg } from './args.ts';

export function absentLabels(arg: Expr | undefined): Labels {
  let e = arg;
  while (e !== undefined && e.type === 'ParenExpr') e = e.expr;
  const matchers =
    e?.type === 'VectorSelector' ? e.matchers : e?.type === 'MatrixSelector' ? e.vector.matchers : undefined;
  if (matchers === undefined) return Labels.EMPTY;
  const values = new Map<string, string>();
  const setOnce = new Set<string>();
  for (const m of matchers) {
    if (m.name === METRIC_NAME_LABEL) continue;
    if (m.type === '=' && !setOnce.has(m.name)) {
      values.set(m.name, m.value);
      setOnce.add(m.name);
    } else values.delete(m.name);
  }
  return Labels.from(Array.from(values, ([name, value]) => ({ name, value })));
}

/** absent(v): 1 at every step where v has no series. */
export async function absent(call: Call, ctx: EvalContext): Promise<Value> {
  const input = await vectorArg(ctx, call.args[0], 'absent argument');
  const steps = ctx.grid.count;
  const out = newSeries(absentLabels(call.args[0]), steps);
  let any = false;
  for (let i = 0; i < steps; i++) {
    let found = false;
    for (const s of input)
      if (s.present[i] === 1) {
        found = true;
        break;
      }
    if (found) continue;
    out.present[i] = 1;
    out.values[i] = 1;
    any = true;
  }
  return { type: 'vector', series: any ? [out] : [] };
}
