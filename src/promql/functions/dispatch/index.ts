// Function calls: each PromQL function name to its implementation. The numeric work is in
// ../kernels; what is here is how each function consumes its arguments over the steps of a grid.

import type { Call } from '../../ast.ts';
import type { EvalContext } from '../../engine/context.ts';
import { isRangeArg } from '../../engine/range-source.ts';
import type { Value } from '../../engine/values.ts';
import { PromqlEvalError } from '../../errors.ts';
import { absent } from './absent.ts';
import { elementwise, isElementwise } from './elementwise.ts';
import {
  CLASSIC_HISTOGRAM_FUNCTIONS,
  histogramFunction,
  NATIVE_HISTOGRAM_FUNCTIONS,
} from './histogram-functions.ts';
import { labelJoinFunction, labelReplaceFunction } from './label-functions.ts';
import { rangeFunction } from './range-functions.ts';
import { SCALAR_FUNCTIONS, scalarFunction } from './scalar-functions.ts';
import { SORT_FUNCTIONS, sortFunction } from './sort-functions.ts';
import { timestampFunction } from './timestamp.ts';

export async function evalCall(call: Call, ctx: EvalContext): Promise<Value> {
  const name = call.func;
  const matrixArg = call.args.findIndex(isRangeArg);
  if (matrixArg >= 0) return rangeFunction(call, ctx, matrixArg);
  if (name === 'timestamp') return timestampFunction(call, ctx);
  if (name === 'label_replace') return labelReplaceFunction(call, ctx);
  if (name === 'label_join') return labelJoinFunction(call, ctx);
  if (name === 'absent') return absent(call, ctx);
  if (SORT_FUNCTIONS.has(name)) return sortFunction(call, ctx);
  if (SCALAR_FUNCTIONS.has(name)) return scalarFunction(call, ctx);
  if (CLASSIC_HISTOGRAM_FUNCTIONS.has(name) || NATIVE_HISTOGRAM_FUNCTIONS.has(name))
    return histogramFunction(call, ctx);
  if (isElementwise(name)) return elementwise(call, ctx);
  // info() joins info metrics' labels in (experimental in Prometheus); integral() is experimental too.
  throw new PromqlEvalError(`function ${name}() is not supported by telemux`);
}
