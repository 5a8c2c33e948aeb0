// Arithmetic and comparison between two instant vectors with one-to-one, many-to-one (group_left)
// or one-to-many (group_right) matching. Each series' matching signature is computed once; each
// step pairs the series present at that step, with Prometheus' checks and error messages for
// duplicate series on the "one" side and for ambiguous matches.

import { type Label, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import type { BinaryExpr, VectorMatching } from '../ast.ts';
import { PromqlEvalError } from '../errors.ts';
import { arithmetic, changesMetricSchema, compare, isComparison } from './binary.ts';
import type { EvalContext } from './context.ts';
import { formatLabelsGo } from './go-format.ts';
import { DUPLICATE_LABELSET, dropMetricName, mergeSameLabels } from './labelsets.ts';
import { type InstantSeries, newSeries, type VectorValue } from './values.ts';

/** The labels a series is matched on: `on (…)` keeps those, `ignoring (…)` drops them and the name. */
export function matchLabels(labels: Labels, matching: VectorMatching): Labels {
  const names = new Set(matching.matchingLabels);
  const kept: Label[] = [];
  if (matching.on) {
    for (const p of labels.pairs) if (names.has(p.name)) kept.push(p);
  } else {
    for (const p of labels.pairs) if (p.name !== METRIC_NAME_LABEL && !names.has(p.name)) kept.push(p);
  }
  return kept.length === labels.size ? labels : Labels.fromSorted(kept);
}

/** Signature ordinals of both sides in one numbering: equal ordinals ⇔ the series match. */
export function signatures(
  lhs: readonly InstantSeries[],
  rhs: readonly InstantSeries[],
  matching: VectorMatching,
): { left: Int32Array; right: Int32Array; count: number } {
  const byKey = new Map<string, number>();
  const ordinals = (side: readonly InstantSeries[]) => {
    const out = new Int32Array(side.length);
    for (let i = 0; i < side.length; i++) {
      const key = matchLabels(side[i].labels, matching).key;
      let o = byKey.get(key);
      if (o === undefined) {
        o = byKey.size;
        byKey.set(key, o);
      }
      out[i] = o;
    }
    return out;
  };
  const left = ordinals(lhs);
  const right = ordinals(rhs);
  return { left, right, count: byKey.size };
}

function presentCounts(series: readonly InstantSeries[], steps: number): Int32Array {
  const counts = new Int32Array(steps);
  for (const s of series) for (let i = 0; i < steps; i++) counts[i] += s.present[i];
  return counts;
}

export function vectorMatchOperation(
  e: BinaryExpr,
  lhs: VectorValue,
  rhs: VectorValue,
  ctx: EvalContext,
): VectorValue {
  const matching = e.matching!;
  const steps = ctx.grid.count;
  const swapped = matching.card === 'one-to-many';
  if (matching.card === 'many-to-many')
    throw new Error('internal: many-to-many matching for a non-set operator');
  const sigs = signatures(lhs.series, rhs.series, matching);
  // The "many" side drives the output; the "one" side is looked up by signature.
  const many = swapped ? rhs.series : lhs.series;
  const one = swapped ? lhs.series : rhs.series;
  const sigMany = swapped ? sigs.right : sigs.left;
  const sigOne = swapped ? sigs.left : sigs.right;
  const manyCounts = presentCounts(many, steps);
  const oneCounts = presentCounts(one, steps);

  const cmp = isComparison(e.op);
  const delayed = ctx.env.delayedNameRemoval;
  const oneAt = new Int32Array(sigs.count);
  const oneStamp = new Int32Array(sigs.count); // step+1 when oneAt is valid for that step
  const matchedStamp = new Int32Array(sigs.count); // one-to-one: signature already used this step
  const out: InstantSeries[] = [];
  const outByKey = new Map<string, number>();
  const outForPair = new Map<number, number>();
  let checkStamp = new Int32Array(16);
  let checkSig = new Int32Array(16);

  const outputFor = (m: number, j: number): number => {
    const pair = m * one.length + j;
    const known = outForPair.get(pair);
    if (known !== undefined) return known;
    let labels = resultLabels(many[m].labels, one[j].labels, e, matching);
    if (e.returnBool && !delayed) labels = dropMetricName(labels);
    const key = labels.key;
    let idx = outByKey.get(key);
    if (idx === undefined) {
      idx = out.length;
      outByKey.set(key, idx);
      out.push(newSeries(labels, steps, e.returnBool));
      if (idx >= checkStamp.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        checkStamp = grow(checkStamp);
        checkSig = grow(checkSig);
      }
    }
    outForPair.set(pair, idx);
    return idx;
  };

  for (let i = 0; i < steps; i++) {
    if (manyCounts[i] === 0 || oneCounts[i] === 0) continue; // nothing can match at this step
    const stamp = i + 1;
    for (let j = 0; j < one.length; j++) {
      if (one[j].present[i] === 0) continue;
      const sig = sigOne[j];
      if (oneStamp[sig] === stamp) {
        const side = swapped ? 'left' : 'right';
        const group = formatLabelsGo(matchLabels(one[j].labels, matching));
        // The two culprits in label order, so the message does not depend on series order.
        const pair = [one[j].labels, one[oneAt[sig]].labels].sort(Labels.compare).map(formatLabelsGo);
        throw new PromqlEvalError(
          `found duplicate series for the match group ${group} on the ${side} hand-side of the operation: ` +
            `[${pair.join(', ')}]` +
            ';many-to-many matching not allowed: matching labels must be unique on one side',
        );
      }
      oneStamp[sig] = stamp;
      oneAt[sig] = j;
    }
    for (let m = 0; m < many.length; m++) {
      if (many[m].present[i] === 0) continue;
      const sig = sigMany[m];
      if (oneStamp[sig] !== stamp) continue;
      const j = oneAt[sig];
      const l = swapped ? one[j].values[i] : many[m].values[i];
      const r = swapped ? many[m].values[i] : one[j].values[i];
      let value: number;
      let keep = true;
      if (cmp) {
        keep = compare(e.op, l, r);
        value = e.returnBool ? (keep ? 1 : 0) : l;
      } else {
        value = arithmetic(e.op, l, r);
      }
      const idx = outputFor(m, j);
      if (matching.card === 'one-to-one') {
        if (matchedStamp[sig] === stamp)
          throw new PromqlEvalError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        matchedStamp[sig] = stamp;
      } else {
        if (checkStamp[idx] === stamp && checkSig[idx] === sig)
          throw new PromqlEvalError(
            'multiple matches for labels: grouping labels must ensure unique matches',
          );
        checkStamp[idx] = stamp;
        checkSig[idx] = sig;
      }
      if (!keep && !e.returnBool) continue;
      const s = out[idx];
      if (s.present[i] === 1) throw new PromqlEvalError(DUPLICATE_LABELSET);
      s.present[i] = 1;
      s.values[i] = value;
    }
  }
  const result: InstantSeries[] = [];
  for (const s of out) {
    let any = false;
    for (let i = 0; i < steps && !any; i++) any = s.present[i] === 1;
    if (any) result.push(s);
  }
  return { type: 'vector', series: mergeSameLabels(result) };
}

/**
 * The result's labels (Prometheus' resultMetric): the "many" side's labels, without the name for
 * arithmetic; one-to-one keeps only the `on` labels (or drops the `ignoring` ones); group_x copies
 * its listed labels from the "one" side (removing those the one side lacks).
 */
function resultLabels(many: Labels, one: Labels, e: BinaryExpr, matching: VectorMatching): Labels {
  let pairs: Label[] = [...many.pairs];
  if (changesMetricSchema(e.op)) pairs = [...dropMetricName(many).pairs];
  if (matching.card === 'one-to-one') {
    const names = new Set(matching.matchingLabels);
    pairs = pairs.filter((p) => (matching.on ? names.has(p.name) : !names.has(p.name)));
  }
  if (matching.include.length > 0) {
    const include = new Set(matching.include);
    pairs = pairs.filter((p) => !include.has(p.name));
    for (const name of include) {
      const v = one.get(name);
      if (v !== '') pairs.push({ name, value: v });
    }
    pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return Labels.fromSorted(pairs);
}
