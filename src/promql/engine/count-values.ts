// count_values("label", v): per step, how many series of each group have each value, the value
// written into `label` the way Go's strconv.FormatFloat(v, 'f', -1) spells it. An input series maps
// a value string to an output series once; later steps with the same value reuse the mapping.

import type { AggregateExpr } from '../ast.ts';
import { PromqlEvalError } from '../errors.ts';
import type { EvalContext } from './context.ts';
import { formatGoF, goQuote } from './go-format.ts';
import { groupingLabels } from './grouping.ts';
import { expectVector, type InstantSeries, newSeries, type VectorValue } from './values.ts';

export async function countValues(e: AggregateExpr, ctx: EvalContext): Promise<VectorValue> {
  const param = await ctx.evaluate(e.param!);
  if (param.type !== 'string') throw new Error('internal: count_values needs a string parameter');
  const label = param.value;
  if (label === '' || !label.isWellFormed())
    throw new PromqlEvalError(`invalid label name ${goQuote(label)}`);
  const input = expectVector(await ctx.evaluate(e.expr), 'count_values argument').series;

  const steps = ctx.grid.count;
  // With `by`, the value label is one of the grouping labels; with `without` it stays unless listed.
  const names = new Set(e.grouping);
  if (!e.without) names.add(label);
  const out: InstantSeries[] = [];
  const outByKey = new Map<string, number>();
  for (const s of input) {
    const outFor = new Map<string, InstantSeries>();
    for (let i = 0; i < steps; i++) {
      if (s.present[i] === 0) continue;
      const text = formatGoF(s.values[i]);
      let target = outFor.get(text);
      if (target === undefined) {
        const labels = groupingLabels(s.labels.with(label, text), names, e.without);
        const key = labels.key;
        let idx = outByKey.get(key);
        if (idx === undefined) {
          idx = out.length;
          outByKey.set(key, idx);
          out.push(newSeries(labels, steps));
        }
        target = out[idx];
        outFor.set(text, target);
      }
      target.present[i] = 1;
      target.values[i]++;
    }
  }
  return { type: 'vector', series: out };
}
