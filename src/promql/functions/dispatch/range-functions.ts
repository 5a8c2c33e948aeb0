// Functions over a range vector (rate, *_over_time, …): each series is loaded once over the union of
// all steps' windows; a window slides over it step by step (two pointers over ascending samples)
// and the function's kernel is called with one reused RangeWindow — no per-step allocation.

import type { Call } from '../../ast.ts';
import { annotationText } from '../../engine/annotations.ts';
import type { EvalContext } from '../../engine/context.ts';
import { assertUniqueLabels, dropMetricName } from '../../engine/labelsets.ts';
import { rangeSourceFor, unwrapRangeArg, windowEnd } from '../../engine/range-source.ts';
import { type InstantSeries, newSeries, SeriesAllocator, type Value } from '../../engine/values.ts';
import { PromqlEvalError } from '../../errors.ts';
import { RANGE_KERNELS, type RangeKernel, type RangeWindow } from '../kernels/range.ts';
import { absentLabels } from './absent.ts';
import { scalarArg } from './args.ts';

/** Functions that act like an offset and keep the metric name; all others drop it. */
const KEEPS_NAME: ReadonlySet<string> = new Set(['last_over_time', 'first_over_time']);
const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

export function isRangeFunction(name: string): boolean {
  return name === 'absent_over_time' || RANGE_KERNELS.has(name);
}

export async function rangeFunction(call: Call, ctx: EvalContext, matrixArg: number): Promise<Value> {
  const name = call.func;
  const kernel = name === 'absent_over_time' ? undefined : RANGE_KERNELS.get(name);
  if (name !== 'absent_over_time' && kernel === undefined)
    throw new PromqlEvalError(`function ${name} is not supported by telemux`);
  const { grid, env } = ctx;
  const steps = grid.count;

  // Scalar parameters (φ of quantile_over_time, the horizon of predict_linear, the factors of
  // double_exponential_smoothing) in argument order, evaluated before the range argument.
  const params: Float64Array[] = [];
  for (let a = 0; a < call.args.length; a++)
    if (a !== matrixArg) params.push(await scalarArg(ctx, call.args[a], `${name} parameter`));
  const p0 = params[0];
  const p1 = params[1];

  const src = await rangeSourceFor(call.args[matrixArg], ctx);
  const rangeArg = call.args[matrixArg];
  const dropsName = !KEEPS_NAME.has(name);
  const delayed = env.delayedNameRemoval;
  const window: RangeWindow = {
    ts: new Float64Array(0),
    vs: new Float64Array(0),
    from: 0,
    to: 0,
    rangeStart: 0,
    rangeEnd: 0,
    stepTime: 0,
  };
  const found = name === 'absent_over_time' ? new Uint8Array(steps) : undefined;
  const out: InstantSeries[] = [];
  const columns = new SeriesAllocator(steps);
  // The source's label sets are unique; dropping the name can only make two equal when names differ.
  let firstName: string | undefined;
  let mixedNames = false;

  for (let si = 0; si < src.size; si++) {
    if (si % 64 === 0) await env.limits.checkpoint();
    const cols = src.load(si);
    if (cols.length === 0) continue;
    const { ts, vs } = cols;
    window.ts = ts;
    window.vs = vs;
    const labels = src.labels(si);
    const metricName = labels.metricName;
    if (firstName === undefined) firstName = metricName;
    else if (metricName !== firstName) mixedNames = true;
    const series = columns.next(dropsName && !delayed ? dropMetricName(labels) : labels, dropsName);
    let lo = 0;
    let hi = 0;
    let points = 0;
    let widest = 0;
    for (let i = 0; i < steps; i++) {
      const end = windowEnd(src, grid, i);
      const start = end - src.rangeMs;
      while (hi < cols.length && ts[hi] <= end) hi++;
      while (lo < hi && ts[lo] <= start) lo++;
      if (hi === lo) continue;
      if (hi - lo > widest) widest = hi - lo;
      if (found !== undefined) {
        found[i] = 1;
        continue;
      }
      if (name === 'double_exponential_smoothing') checkSmoothingFactors(p0[i], p1[i]);
      // Annotations are deduplicated, so warning at every step costs nothing.
      if (name === 'quantile_over_time' && !(p0[i] >= 0 && p0[i] <= 1))
        env.annotations.warn(annotationText.invalidQuantile(p0[i]), call.args[0].pos);
      window.from = lo;
      window.to = hi;
      window.rangeStart = start;
      window.rangeEnd = end;
      window.stepTime = grid.start + i * grid.step;
      const v = (kernel as RangeKernel)(window, p0 === undefined ? 0 : p0[i], p1 === undefined ? 0 : p1[i]);
      if (v === undefined) continue;
      series.present[i] = 1;
      series.values[i] = v;
      points++;
    }
    // What Prometheus counts while it slides one series' window: the widest window.
    env.limits.hold(widest);
    env.limits.release(widest);
    if (points === 0) continue;
    env.limits.hold(points);
    out.push(series);
    if ((name === 'rate' || name === 'increase') && !isCounterName(metricName))
      env.annotations.info(annotationText.possibleNonCounter(metricName), rangeArg.pos);
  }

  if (found !== undefined) {
    const sel = unwrapRangeArg(rangeArg);
    const absentSeries = newSeries(
      absentLabels(sel.type === 'MatrixSelector' ? sel : undefined),
      steps,
      true,
    );
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (found[i] === 1) continue;
      absentSeries.present[i] = 1;
      absentSeries.values[i] = 1;
      any = true;
    }
    return { type: 'vector', series: any ? [absentSeries] : [] };
  }
  if (!delayed && dropsName && mixedNames) assertUniqueLabels(out);
  return { type: 'vector', series: out };
}

function isCounterName(name: string): boolean {
  return name === '' || COUNTER_SUFFIXES.some((s) => name.endsWith(s));
}

/** Go's `%f`: six decimals. */
function formatPercentF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}

function checkSmoothingFactors(sf: number, tf: number): void {
  if (!(sf > 0 && sf < 1))
    throw new PromqlEvalError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatPercentF(sf)}`);
  if (!(tf > 0 && tf < 1))
    throw new PromqlEvalError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatPercentF(tf)}`);
}
