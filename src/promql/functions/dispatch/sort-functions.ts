// sort, sort_desc, sort_by_label, sort_by_label_desc: they reorder an instant query's result and
// change nothing else. A range query's result is always ordered by labels, so there they only add
// Prometheus' warning that sorting is ineffective.

import { Labels } from '../../../model/labels.ts';
import type { Call } from '../../ast.ts';
import { annotationText } from '../../engine/annotations.ts';
import type { EvalContext } from '../../engine/context.ts';
import type { InstantSeries, Value } from '../../engine/values.ts';
import { stringArg, vectorArg } from './args.ts';
import { naturalLess } from './natural-order.ts';

export const SORT_FUNCTIONS: ReadonlySet<string> = new Set([
  'sort',
  'sort_desc',
  'sort_by_label',
  'sort_by_label_desc',
]);

export async function sortFunction(call: Call, ctx: EvalContext): Promise<Value> {
  if (ctx.env.queryStep > 0) ctx.env.annotations.warn(annotationText.sortInRangeQuery(), call.pos);
  const input = await vectorArg(ctx, call.args[0], call.func);
  const names: string[] = [];
  for (let a = 1; a < call.args.length; a++) names.push(await stringArg(ctx, call.args[a], 'sort label'));
  if (ctx.grid.count !== 1) return { type: 'vector', series: input };

  const series = [...input];
  const value = (s: InstantSeries) => s.values[0];
  switch (call.func) {
    case 'sort':
      series.sort((a, b) => byValueNaNLast(value(a), value(b), 1));
      break;
    case 'sort_desc':
      series.sort((a, b) => byValueNaNLast(value(a), value(b), -1));
      break;
    case 'sort_by_label':
      series.sort((a, b) => byLabels(a.labels, b.labels, names));
      break;
    case 'sort_by_label_desc':
      series.sort((a, b) => -byLabels(a.labels, b.labels, names));
      break;
  }
  return { type: 'vector', series };
}

/** Ascending (dir 1) or descending (dir -1) by value, NaN last either way. */
function byValueNaNLast(x: number, y: number, dir: 1 | -1): number {
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
  return x === y ? 0 : x < y ? -dir : dir;
}

/** The listed labels' values in natural order, then the whole label set. */
function byLabels(a: Labels, b: Labels, names: readonly string[]): number {
  for (const name of names) {
    const x = a.get(name);
    const y = b.get(name);
    if (x === y) continue;
    return naturalLess(x, y) ? -1 : 1;
  }
  return Labels.compare(a, b);
}
