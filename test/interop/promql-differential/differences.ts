// Where Prometheus 2.42 and 3.x answer differently and telemux follows 3.x. Each case states both
// answers, worked out by hand from the probe series (probes.ts): telemux must give the 3.x answer, and
// Prometheus 2.42 must still give its own — so a case can neither pass by accident nor outlive the
// difference it documents. docs/promql.md ("Differences from Prometheus 2.42") lists the same cases.

import { type Answer, type Evaluation, labelKey, type ResultSeries } from './api.ts';
import { alignedValue, lateCounterSamples, PROBE_STEP_MS, p1Value, p2Value, probeTimes } from './probes.ts';

export interface DifferenceCase {
  readonly id: string;
  /** One line: what differs. */
  readonly title: string;
  /** Why: the Prometheus change behind it. */
  readonly reason: string;
  /** The query as telemux (3.x) takes it. */
  readonly expr: string;
  /** The same question in 2.42's spelling, when that differs. */
  readonly prometheusExpr?: string;
  readonly evaluation: Evaluation;
  /** The 3.x answer (a list, should a case ever have several valid ones). */
  readonly expected: readonly Answer[];
  /** What 2.42 answers instead. */
  readonly expected242: Answer;
}

const PROBE = { job: 'probe', instance: 'probe:1' };

function vector(t: number, items: readonly [Record<string, string>, number][]): Answer {
  return { ok: true, resultType: 'vector', series: items.map(([labels, v]) => point(labels, [t], [v])) };
}

function scalar(t: number, v: number): Answer {
  return { ok: true, resultType: 'scalar', series: [point({}, [t], [v])] };
}

function matrix(items: readonly [Record<string, string>, number[], number[]][]): Answer {
  return { ok: true, resultType: 'matrix', series: items.map(([labels, ts, vs]) => point(labels, ts, vs)) };
}

function failure(errorType: string): Answer {
  return { ok: false, status: 0, errorType, error: '(any message)' };
}

function point(labels: Record<string, string>, ts: number[], vs: number[]): ResultSeries {
  return { labels, key: labelKey(labels), ts, vs };
}

/** Holt's double exponential smoothing, as Prometheus defines holt_winters / double_exponential_smoothing. */
export function doubleExponentialSmoothing(values: readonly number[], sf: number, tf: number): number {
  let previous = 0;
  let smoothed = values[0];
  let trend = values[1] - values[0];
  for (let i = 1; i < values.length; i++) {
    if (i > 1) trend = tf * (smoothed - previous) + (1 - tf) * trend;
    const next = sf * values[i] + (1 - sf) * (smoothed + trend);
    previous = smoothed;
    smoothed = next;
  }
  return smoothed;
}

export function differenceCases(startMs: number, endMs: number): DifferenceCase[] {
  const times = probeTimes(startMs, endMs);
  const T = times.aligned;
  const k = alignedValue(startMs, T);
  const instant = (ms: number): Evaluation => ({ kind: 'instant', timeMs: ms });
  const p1 = { job: 'probe', instance: 'p1' };
  const p2 = { job: 'probe', instance: 'p2' };

  // probe_gauge{instance="p2"} over (T+250ms-2m, T+250ms]: the eight samples from T-105s to T.
  const smoothingInput = Array.from({ length: 8 }, (_, i) => p2Value(startMs, T - (7 - i) * PROBE_STEP_MS));
  const smoothed = doubleExponentialSmoothing(smoothingInput, 0.5, 0.5);

  // probe_late_total at lateCounterEval, window (t-1m, t]: 5, 10, 15 at t-40s, t-25s, t-10s.
  const late = lateCounterSamples(times).filter(
    (s) => s.t > times.lateCounterEval - 60_000 && s.t <= times.lateCounterEval,
  );
  const lateIncrease = late[late.length - 1].v - late[0].v;
  const sampled = (late[late.length - 1].t - late[0].t) / 1000;
  const toEnd = (times.lateCounterEval - late[late.length - 1].t) / 1000;
  const average = sampled / (late.length - 1);
  const toZero = sampled * (late[0].v / lateIncrease);
  // 3.x: the start is 20 s away (more than 1.1 × 15 s), so extrapolate half an interval, capped by
  // the zero point. 2.42 capped by the zero point first (15 s), which then counted as "close".
  const increase3 = (lateIncrease * (sampled + Math.min(average / 2, toZero) + toEnd)) / sampled;
  const increase242 = (lateIncrease * (sampled + toZero + toEnd)) / sampled;

  // sum_over_time(probe_aligned[1m]) at T+250ms-2m, -1m and T+250ms: the four samples at and 15, 30,
  // 45 s before each whole minute, k-3 + k-2 + k-1 + k.
  const stepTs = [T + 250 - 120_000, T + 250 - 60_000, T + 250];
  const stepSums = stepTs.map((t) => 4 * alignedValue(startMs, t - 250) - 6);

  // The unary minus case: a range query over probe_a (until aEnd, then a staleness marker) and
  // probe_b (from bStart to the end), which share their labels but never their time.
  const rangeStart = startMs + 250;
  const rangeEnd = endMs + 6 * 60_000 + 250;
  const negTs: number[] = [];
  const negVs: number[] = [];
  for (let t = rangeStart; t <= rangeEnd; t += 60_000) {
    if (t < times.aEnd + PROBE_STEP_MS) {
      negTs.push(t);
      negVs.push(-1);
    } else if (t >= times.bStart && t < endMs + 5 * 60_000) {
      negTs.push(t);
      negVs.push(-2);
    }
  }

  return [
    {
      id: 'left-open-range',
      title: 'Range selectors are left-open: a sample exactly at the window start is not in it.',
      reason:
        'Prometheus 3.0 made range selectors left-open, (t-range, t]; 2.42 used the closed [t-range, t] (prometheus/prometheus#13904).',
      expr: 'count_over_time(probe_aligned[1m])',
      evaluation: instant(T),
      expected: [vector(T, [[PROBE, 4]])],
      expected242: vector(T, [[PROBE, 5]]),
    },
    {
      id: 'left-open-range-sum',
      title: 'The same for the values an _over_time function sees.',
      reason: 'As above (prometheus/prometheus#13904).',
      expr: 'sum_over_time(probe_aligned[1m])',
      evaluation: instant(T),
      expected: [vector(T, [[PROBE, 4 * k - 6]])],
      expected242: vector(T, [[PROBE, 5 * k - 10]]),
    },
    {
      id: 'left-open-lookback',
      title: 'The lookback delta is left-open: a sample exactly 5 minutes old is no longer seen.',
      reason:
        'Prometheus 3.0 applies the same left-open rule to the lookback of instant selectors (prometheus/prometheus#13904).',
      expr: 'probe_lookback',
      evaluation: instant(times.lookbackLast + 5 * 60_000),
      expected: [vector(times.lookbackLast + 5 * 60_000, [])],
      expected242: vector(times.lookbackLast + 5 * 60_000, [[{ __name__: 'probe_lookback', ...PROBE }, 7]]),
    },
    {
      id: 'left-open-subquery',
      title: 'Subqueries are left-open: no step exactly at the start of the subquery range.',
      reason:
        'Prometheus 3.0.1 made subquery ranges left-open like range selectors (prometheus/prometheus#15431).',
      expr: 'count_over_time(probe_aligned[1m:15s])',
      evaluation: instant(T),
      expected: [vector(T, [[PROBE, 4]])],
      expected242: vector(T, [[PROBE, 5]]),
    },
    {
      id: 'regex-dot-newline',
      title: 'In regular expressions `.` matches a newline.',
      reason:
        'Prometheus 3.0 compiles label matchers with the s flag (prometheus/prometheus#14505); in 2.42 `.` stops at "\\n".',
      expr: 'probe_text{note=~"first.second"}',
      evaluation: instant(T + 250),
      expected: [vector(T + 250, [[{ __name__: 'probe_text', ...PROBE, note: 'first\nsecond' }, 1]])],
      expected242: vector(T + 250, []),
    },
    {
      id: 'holt-winters-removed',
      title: '`holt_winters` does not exist any more.',
      reason:
        'Prometheus 3.0 renamed it double_exponential_smoothing, behind the experimental-functions flag (prometheus/prometheus#14930).',
      expr: 'holt_winters(probe_gauge{instance="p2"}[2m], 0.5, 0.5)',
      evaluation: instant(T + 250),
      expected: [failure('bad_data')],
      expected242: vector(T + 250, [[p2, smoothed]]),
    },
    {
      id: 'double-exponential-smoothing',
      title: "`double_exponential_smoothing` is 2.42's `holt_winters` under its 3.x name.",
      reason:
        'The rename of prometheus/prometheus#14930. In 3.x it needs --enable-feature=promql-experimental-functions; telemux has it on.',
      expr: 'double_exponential_smoothing(probe_gauge{instance="p2"}[2m], 0.5, 0.5)',
      prometheusExpr: 'holt_winters(probe_gauge{instance="p2"}[2m], 0.5, 0.5)',
      evaluation: instant(T + 250),
      expected: [vector(T + 250, [[p2, smoothed]])],
      expected242: vector(T + 250, [[p2, smoothed]]),
    },
    {
      id: 'rate-extrapolation',
      title:
        'rate()/increase() extrapolate a series that starts inside the window by at most half an interval.',
      reason:
        'Prometheus 2.51 applies the zero-point limit after the "too far from the start" test (prometheus/prometheus#13725); 2.42 applied it before, and could extrapolate further.',
      expr: 'increase(probe_late_total[1m])',
      evaluation: instant(times.lateCounterEval),
      expected: [vector(times.lateCounterEval, [[PROBE, increase3]])],
      expected242: vector(times.lateCounterEval, [[PROBE, increase242]]),
    },
    {
      id: 'quoted-metric-name',
      title: 'A metric name may be written as a quoted string inside the braces.',
      reason:
        'Prometheus 3.0 supports UTF-8 names with the `{"name", …}` syntax (prometheus/prometheus#14705).',
      expr: '{"probe_gauge", instance="p1"}',
      evaluation: instant(T + 250),
      expected: [vector(T + 250, [[{ __name__: 'probe_gauge', ...p1 }, p1Value(startMs, T)]])],
      expected242: failure('bad_data'),
    },
    {
      id: 'utf8-label-replace',
      title: '`label_replace` may create a label whose name is not a classic identifier.',
      reason: 'Prometheus 3.x accepts UTF-8 label names in label_replace (prometheus/prometheus#15974).',
      expr: 'label_replace(probe_gauge{instance="p1"}, "host.name", "$1", "instance", "(.*)")',
      evaluation: instant(T + 250),
      expected: [
        vector(T + 250, [[{ __name__: 'probe_gauge', ...p1, 'host.name': 'p1' }, p1Value(startMs, T)]]),
      ],
      expected242: failure('execution'),
    },
    {
      id: 'number-as-duration',
      title: 'A plain number is a duration in seconds, and a duration is a number.',
      reason: 'Stable in Prometheus 3.0 (prometheus/prometheus#9138, #15111); 2.42 rejects both.',
      expr: 'count_over_time(probe_aligned[60]) + 2m',
      evaluation: instant(T),
      expected: [vector(T, [[PROBE, 4 + 120]])],
      expected242: failure('bad_data'),
    },
    {
      id: 'number-underscores',
      title: 'Number literals may contain underscores.',
      reason: 'Accepted since Prometheus 2.54 (prometheus/prometheus#12821).',
      expr: '1_000 + 1',
      evaluation: instant(T + 250),
      expected: [scalar(T + 250, 1001)],
      expected242: failure('bad_data'),
    },
    {
      id: 'duration-expression',
      title: 'A range may be an arithmetic expression of durations.',
      reason:
        'Duration expressions are on by default since Prometheus 3.15 (prometheus/prometheus#19033); 2.42 cannot parse them, so it is asked the same question as [1m] (off the sample grid, where left-open and closed windows agree).',
      expr: 'count_over_time(probe_aligned[30s * 2])',
      prometheusExpr: 'count_over_time(probe_aligned[1m])',
      evaluation: instant(T + 250),
      expected: [vector(T + 250, [[PROBE, 4]])],
      expected242: vector(T + 250, [[PROBE, 4]]),
    },
    {
      id: 'duration-expression-step',
      title: "`step()` in a range is the range query's step.",
      reason:
        'Duration expressions, as above (prometheus/prometheus#19033): at a 1 m step, [step()] is [1m], which is what 2.42 is asked.',
      expr: 'sum_over_time(probe_aligned[step()])',
      prometheusExpr: 'sum_over_time(probe_aligned[1m])',
      evaluation: { kind: 'range', startMs: T + 250 - 120_000, endMs: T + 250, stepMs: 60_000 },
      expected: [matrix([[PROBE, stepTs, stepSums]])],
      expected242: matrix([[PROBE, stepTs, stepSums]]),
    },
    {
      id: 'first-over-time',
      title: '`first_over_time` exists (and keeps the metric name, like last_over_time).',
      reason: 'Added in Prometheus 3.7, stable since 3.15 (prometheus/prometheus#16963, #19093).',
      expr: 'first_over_time(probe_aligned[1m])',
      evaluation: instant(T),
      expected: [vector(T, [[{ __name__: 'probe_aligned', ...PROBE }, k - 3]])],
      expected242: failure('bad_data'),
    },
    {
      id: 'unary-minus-no-collision',
      title: 'Negating series that share labels after losing their names is fine while they never overlap.',
      reason:
        'Prometheus 3.9 checks for duplicate label sets per step (prometheus/prometheus#17708); 2.42 refused a range query whose series ever collided.',
      expr: '-{__name__=~"probe_a|probe_b"}',
      evaluation: { kind: 'range', startMs: rangeStart, endMs: rangeEnd, stepMs: 60_000 },
      expected: [matrix([[PROBE, negTs, negVs]])],
      expected242: failure('execution'),
    },
  ];
}
