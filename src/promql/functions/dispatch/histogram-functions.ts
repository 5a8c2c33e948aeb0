// histogram_quantile, histogram_quantiles and histogram_fraction over classic histograms: the
// bucket series of one histogram are the series equal but for their `le` label. Groups and bucket
// bounds are worked out once per series; each step gathers the present buckets and calls the
// kernel.
//
// telemux stores no native histograms. The native-only functions (histogram_count, …) ignore float
// samples in Prometheus, so over telemux's data they find nothing and return an empty vector, as
// Prometheus does over float series — with an info annotation saying why, rather than an error,
// which would break dashboards (and the differential test against Prometheus) that apply them to
// classic `_count`/`_sum` series.

import { type Label, Labels } from '../../../model/labels.ts';
import type { Call, Expr } from '../../ast.ts';
import { annotationText } from '../../engine/annotations.ts';
import type { EvalContext } from '../../engine/context.ts';
import { formatOpenMetricsFloat } from '../../engine/go-format.ts';
import { DUPLICATE_LABELSET, dropMetricName, mergeSameLabels } from '../../engine/labelsets.ts';
import { type InstantSeries, newSeries, type Value } from '../../engine/values.ts';
import { PromqlEvalError } from '../../errors.ts';
import { bucketFraction, bucketQuantile } from '../kernels/histogram.ts';
import { scalarArg, stringArg, vectorArg } from './args.ts';

/** Functions that only make sense on native histograms. */
export const NATIVE_HISTOGRAM_FUNCTIONS: ReadonlySet<string> = new Set([
  'histogram_count',
  'histogram_sum',
  'histogram_avg',
  'histogram_stddev',
  'histogram_stdvar',
]);

export const CLASSIC_HISTOGRAM_FUNCTIONS: ReadonlySet<string> = new Set([
  'histogram_quantile',
  'histogram_quantiles',
  'histogram_fraction',
]);

const BUCKET_LABEL = 'le';
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Go's strconv.ParseFloat for the spellings an `le` label has; undefined when it is not a number. */
export function parseBucketBound(s: string): number | undefined {
  if (DECIMAL.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity')
    return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return Number.NaN;
  return undefined;
}

interface HistogramGroup {
  /** The histogram's labels: its buckets' labels without `le`. */
  readonly labels: Labels;
  readonly members: number[];
  readonly bounds: number[];
}

/** Groups bucket series into histograms; series without a usable `le` are warned about and left out. */
function groupBuckets(input: readonly InstantSeries[], arg: Expr, ctx: EvalContext): HistogramGroup[] {
  const groups = new Map<string, HistogramGroup>();
  const delayed = ctx.env.delayedNameRemoval;
  for (let i = 0; i < input.length; i++) {
    const labels = input[i].labels;
    const le = labels.get(BUCKET_LABEL);
    const bound = parseBucketBound(le);
    if (bound === undefined) {
      const name = delayed ? labels.metricName : '';
      ctx.env.annotations.warn(annotationText.badBucketLabel(name, le), arg.pos);
      continue;
    }
    const kept: Label[] = labels.pairs.filter((p) => p.name !== BUCKET_LABEL);
    const histogram = kept.length === labels.size ? labels : Labels.fromSorted(kept);
    const key = histogram.key;
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels: histogram, members: [], bounds: [] };
      groups.set(key, g);
    }
    g.members.push(i);
    g.bounds.push(bound);
  }
  return [...groups.values()];
}

function warnQuantiles(q: Float64Array, arg: Expr, ctx: EvalContext): void {
  for (const v of q)
    if (!(v >= 0 && v <= 1)) ctx.env.annotations.warn(annotationText.invalidQuantile(v), arg.pos);
}

/** Calls `compute` per group and step with the buckets present at that step. */
function perStep(
  groups: readonly HistogramGroup[],
  input: readonly InstantSeries[],
  steps: number,
  compute: (g: HistogramGroup, step: number, bounds: Float64Array, counts: Float64Array, n: number) => void,
): void {
  let size = 1;
  for (const g of groups) size = Math.max(size, g.members.length);
  const bounds = new Float64Array(size);
  const counts = new Float64Array(size);
  for (const g of groups)
    for (let i = 0; i < steps; i++) {
      let n = 0;
      for (let k = 0; k < g.members.length; k++) {
        const s = input[g.members[k]];
        if (s.present[i] === 0) continue;
        bounds[n] = g.bounds[k];
        counts[n++] = s.values[i];
      }
      if (n > 0) compute(g, i, bounds, counts, n);
    }
}

export async function histogramFunction(call: Call, ctx: EvalContext): Promise<Value> {
  if (NATIVE_HISTOGRAM_FUNCTIONS.has(call.func)) {
    // The argument is still evaluated: its errors and annotations are the query's.
    await vectorArg(ctx, call.args[0], call.func);
    ctx.env.annotations.info(annotationText.nativeHistogramsNotStored(call.func), call.pos);
    return { type: 'vector', series: [] };
  }
  const steps = ctx.grid.count;
  const delayed = ctx.env.delayedNameRemoval;
  const outputs = new Map<string, InstantSeries>();
  // Keyed by the labels before the name is dropped: histograms that differ only in their name
  // collide afterwards, which mergeSameLabels reports as Prometheus does.
  const output = (labels: Labels): InstantSeries => {
    let s = outputs.get(labels.key);
    if (s === undefined) {
      s = newSeries(delayed ? labels : dropMetricName(labels), steps, true);
      outputs.set(labels.key, s);
    }
    return s;
  };
  const monotonicity = { fixedMonotonicity: false };

  switch (call.func) {
    case 'histogram_quantile': {
      const q = await scalarArg(ctx, call.args[0], 'histogram_quantile quantile');
      warnQuantiles(q, call.args[0], ctx);
      const vecArg = call.args[1];
      const input = await vectorArg(ctx, vecArg, 'histogram_quantile argument');
      const groups = groupBuckets(input, vecArg, ctx);
      perStep(groups, input, steps, (g, i, bounds, counts, n) => {
        monotonicity.fixedMonotonicity = false;
        const v = bucketQuantile(q[i], bounds, counts, n, monotonicity);
        if (monotonicity.fixedMonotonicity) warnMonotonicity(g, vecArg, ctx);
        set(output(g.labels), i, v);
      });
      break;
    }
    case 'histogram_quantiles': {
      const vecArg = call.args[0];
      const input = await vectorArg(ctx, vecArg, 'histogram_quantiles argument');
      const label = await stringArg(ctx, call.args[1], 'histogram_quantiles label');
      const qs: Float64Array[] = [];
      for (let a = 2; a < call.args.length; a++) {
        const q = await scalarArg(ctx, call.args[a], 'histogram_quantiles quantile');
        warnQuantiles(q, call.args[a], ctx);
        qs.push(q);
      }
      const groups = groupBuckets(input, vecArg, ctx);
      for (const q of qs)
        perStep(groups, input, steps, (g, i, bounds, counts, n) => {
          monotonicity.fixedMonotonicity = false;
          const v = bucketQuantile(q[i], bounds, counts, n, monotonicity);
          if (monotonicity.fixedMonotonicity) warnMonotonicity(g, vecArg, ctx);
          set(output(g.labels.with(label, formatOpenMetricsFloat(q[i]))), i, v);
        });
      break;
    }
    case 'histogram_fraction': {
      const lower = await scalarArg(ctx, call.args[0], 'histogram_fraction lower bound');
      const upper = await scalarArg(ctx, call.args[1], 'histogram_fraction upper bound');
      const vecArg = call.args[2];
      const input = await vectorArg(ctx, vecArg, 'histogram_fraction argument');
      const groups = groupBuckets(input, vecArg, ctx);
      perStep(groups, input, steps, (g, i, bounds, counts, n) => {
        set(output(g.labels), i, bucketFraction(lower[i], upper[i], bounds, counts, n));
      });
      break;
    }
    default:
      throw new Error(`internal: ${call.func} is not a histogram function`);
  }
  return { type: 'vector', series: mergeSameLabels([...outputs.values()]) };
}

/** Writes a step's value; a second value for the same labels at the same step is an error. */
function set(s: InstantSeries, i: number, v: number): void {
  if (s.present[i] === 1) throw new PromqlEvalError(DUPLICATE_LABELSET);
  s.present[i] = 1;
  s.values[i] = v;
}

function warnMonotonicity(g: HistogramGroup, arg: Expr, ctx: EvalContext): void {
  const name = ctx.env.delayedNameRemoval ? g.labels.metricName : '';
  ctx.env.annotations.info(annotationText.forcedMonotonicity(name), arg.pos);
}
