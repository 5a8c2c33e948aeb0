// label_replace and label_join: they change series' labels, never values, so the new label set is
// computed once per series. Series that end up with the same labels merge into one unless they
// have values at the same step (then the query fails), as Prometheus' mergeSeriesWithSameLabelset.

import { METRIC_NAME_LABEL } from '../../../model/labels.ts';
import type { Call } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { mergeSameLabels } from '../../engine/labelsets.ts';
import type { InstantSeries, Value } from '../../engine/values.ts';
import { PromqlEvalError } from '../../errors.ts';
import {
  compileLabelRegex,
  isValidLabelNameForFunction,
  labelJoin,
  labelReplace,
} from '../kernels/labels.ts';
import { stringArg, vectorArg } from './args.ts';

export async function labelReplaceFunction(call: Call, ctx: EvalContext): Promise<Value> {
  const dst = await stringArg(ctx, call.args[1], 'label_replace destination');
  const replacement = await stringArg(ctx, call.args[2], 'label_replace replacement');
  const src = await stringArg(ctx, call.args[3], 'label_replace source');
  const regexText = await stringArg(ctx, call.args[4], 'label_replace regex');
  let regex: ReturnType<typeof compileLabelRegex>;
  try {
    regex = compileLabelRegex(regexText);
  } catch (err) {
    throw new PromqlEvalError((err as Error).message);
  }
  if (!isValidLabelNameForFunction(dst))
    throw new PromqlEvalError(`invalid destination label name in label_replace(): ${dst}`);
  const input = await vectorArg(ctx, call.args[0], 'label_replace argument');
  const out = input.map((s): InstantSeries => {
    const labels = labelReplace(s.labels, dst, replacement, src, regex);
    // The regex matched (new labels): writing __name__ cancels a pending name removal.
    const dropName = labels !== s.labels && dst === METRIC_NAME_LABEL ? false : s.dropName;
    return { ...s, labels, dropName };
  });
  return { type: 'vector', series: mergeSameLabels(out) };
}

export async function labelJoinFunction(call: Call, ctx: EvalContext): Promise<Value> {
  const dst = await stringArg(ctx, call.args[1], 'label_join destination');
  const sep = await stringArg(ctx, call.args[2], 'label_join separator');
  const srcs: string[] = [];
  for (let a = 3; a < call.args.length; a++) {
    const src = await stringArg(ctx, call.args[a], 'label_join source');
    if (!isValidLabelNameForFunction(src))
      throw new PromqlEvalError(`invalid source label name in label_join(): ${src}`);
    srcs.push(src);
  }
  if (!isValidLabelNameForFunction(dst))
    throw new PromqlEvalError(`invalid destination label name in label_join(): ${dst}`);
  const input = await vectorArg(ctx, call.args[0], 'label_join argument');
  const out = input.map(
    (s): InstantSeries => ({
      ...s,
      labels: labelJoin(s.labels, dst, sep, srcs),
      dropName: dst === METRIC_NAME_LABEL ? false : s.dropName,
    }),
  );
  return { type: 'vector', series: mergeSameLabels(out) };
}
