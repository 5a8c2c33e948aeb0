// `and`, `or`, `unless`: per step, which series of either side are kept, decided by whether a
// series with the same matching signature is present on the other side at that step. Values and
// labels pass through unchanged.

import type { BinaryExpr } from '../ast.ts';
import type { EvalContext } from './context.ts';
import { mergeSameLabels } from './labelsets.ts';
import type { InstantSeries, VectorValue } from './values.ts';
import { signatures } from './vector-matching.ts';

export function setOperation(
  e: BinaryExpr,
  lhs: VectorValue,
  rhs: VectorValue,
  ctx: EvalContext,
): VectorValue {
  const steps = ctx.grid.count;
  const sigs = signatures(lhs.series, rhs.series, e.matching!);
  // stamp[sig] === step+1: a series with that signature is present on the marked side at this step.
  const stamp = new Int32Array(sigs.count);
  const mark = (side: readonly InstantSeries[], sigOf: Int32Array, i: number) => {
    for (let k = 0; k < side.length; k++) if (side[k].present[i] === 1) stamp[sigOf[k]] = i + 1;
  };
  /** `side` filtered to the steps where the other side has (keepIfMatched) or lacks its signature. */
  const filter = (
    side: readonly InstantSeries[],
    sigOf: Int32Array,
    other: readonly InstantSeries[],
    otherSig: Int32Array,
    keepIfMatched: boolean,
  ) => {
    const masks = side.map(() => new Uint8Array(steps));
    for (let i = 0; i < steps; i++) {
      mark(other, otherSig, i);
      for (let k = 0; k < side.length; k++) {
        if (side[k].present[i] === 0) continue;
        if ((stamp[sigOf[k]] === i + 1) === keepIfMatched) masks[k][i] = 1;
      }
    }
    const out: InstantSeries[] = [];
    for (let k = 0; k < side.length; k++) {
      if (!masks[k].includes(1)) continue;
      out.push({ ...side[k], present: masks[k] });
    }
    return out;
  };

  switch (e.op) {
    case 'and':
      return { type: 'vector', series: filter(lhs.series, sigs.left, rhs.series, sigs.right, true) };
    case 'unless':
      return { type: 'vector', series: filter(lhs.series, sigs.left, rhs.series, sigs.right, false) };
    case 'or': {
      const extra = filter(rhs.series, sigs.right, lhs.series, sigs.left, false);
      // Series of both sides can share a label set at different steps; they become one series.
      return { type: 'vector', series: mergeSameLabels([...lhs.series, ...extra]) };
    }
    default:
      throw new Error(`internal: ${e.op} is not a set operator`);
  }
}
