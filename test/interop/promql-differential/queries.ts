// The queries both engines answer. Each runs as an instant query at several times and as range
// queries (evaluations.ts); every answer of telemux must equal Prometheus 2.42's (compare.ts). Together
// they cover every function of 2.42 that works on float samples, every aggregation with by/without,
// every binary operator family with its matching modifiers, offset, @, subqueries, staleness, literals
// and precedence, and errors (both sides must fail with the same errorType).
//
// What is not here: cases where 2.42 and 3.x answer differently on purpose. They live in
// differences.ts, each with its reason and a hand-computed 3.x answer. A few queries below are shaped
// around such a difference instead of into it; their comments say which.

import { seconds } from './api.ts';

export interface QueryCase {
  readonly expr: string;
  /** What the case exercises, for the coverage summary. */
  readonly family: Family;
  /** Instant answers are compared in order (the query sorts). */
  readonly ordered?: boolean;
  /** Both sides must answer with an error, at every evaluation. */
  readonly fails?: boolean;
  /** The answer is empty at every evaluation on purpose (otherwise an empty answer everywhere is a broken case). */
  readonly empty?: boolean;
}

export type Family =
  | 'selector'
  | 'rate'
  | 'over_time'
  | 'absent'
  | 'histogram'
  | 'label'
  | 'time'
  | 'math'
  | 'trig'
  | 'sort'
  | 'aggregation'
  | 'arithmetic'
  | 'comparison'
  | 'matching'
  | 'set'
  | 'offset_at'
  | 'subquery'
  | 'staleness'
  | 'literal'
  | 'error';

export function queryCases(startMs: number, endMs: number): QueryCase[] {
  // @ times: like every evaluation time, 250 ms past a second, so never on a sample's time.
  const at = (ms: number) => seconds(ms + 250);
  const mid = at(endMs - 61 * 60_000);
  const early = at(startMs + 17 * 60_000);
  const c = (family: Family, expr: string, more: Omit<QueryCase, 'expr' | 'family'> = {}): QueryCase => ({
    expr,
    family,
    ...more,
  });
  return [
    // Selectors and matchers.
    c('selector', 'up'),
    c('selector', 'http_requests_total{job="api", code="500"}'),
    c('selector', 'http_requests_total{job=~"api|web", method!="GET"}'),
    c('selector', 'node_temperature_celsius{zone!~"eu-.*"}'),
    c('selector', '{__name__=~"http_request_duration_seconds_(sum|count)", job="web"}'),
    c('selector', '{__name__="up", env="staging"}'),
    c('selector', 'build_info{version=~"1\\\\..*|2\\\\..*"}'),
    c('selector', 'http_requests_total{job="api", instance="api-3.example.net:9100"}[2m]'),
    c('selector', 'sensor_reading{kind="water"}[1m]'),
    c('selector', 'sensor_reading'),
    c('selector', 'up{instance=~".*:5432"}'),
    c('selector', 'rpc_duration_seconds{quantile="0.9", job!="db"}'),

    // Counters and gauges over a range.
    c('rate', 'rate(http_requests_total[5m])'),
    c('rate', 'rate(http_requests_total{code="500"}[1m])'),
    c('rate', 'irate(http_requests_total{job="api"}[2m])'),
    c('rate', 'irate(process_cpu_seconds_total[45s])'),
    c('rate', 'increase(process_cpu_seconds_total[10m])'),
    c('rate', 'increase(http_requests_total{job="web", method="GET", code="200"}[1h])'),
    c('rate', 'rate(http_request_duration_seconds_count[90s])'),
    c('rate', 'resets(http_requests_total[30m])'),
    c('rate', 'resets(process_cpu_seconds_total[2h])'),
    c('rate', 'changes(up[20m])'),
    c('rate', 'changes(node_temperature_celsius[5m])'),
    c('rate', 'changes(sensor_reading[10m])'),
    c('rate', 'delta(node_temperature_celsius[10m])'),
    c('rate', 'delta(sensor_reading[2m])'),
    c('rate', 'idelta(process_resident_memory_bytes[3m])'),
    c('rate', 'deriv(process_resident_memory_bytes[15m])'),
    c('rate', 'deriv(node_temperature_celsius[1m])'),
    c('rate', 'predict_linear(node_temperature_celsius[20m], 3600)'),
    c('rate', 'predict_linear(process_resident_memory_bytes[10m], -600)'),
    // rate() of a gauge that dips, pinned to the end: over a window that begins before the data
    // starts, such a "counter" meets the 2.42-vs-3.x extrapolation difference (differences.ts).
    c('rate', 'rate(sensor_reading[5m] @ end())'),

    // *_over_time.
    c('over_time', 'avg_over_time(node_temperature_celsius[10m])'),
    c('over_time', 'min_over_time(sensor_reading[15m])'),
    c('over_time', 'max_over_time(sensor_reading[15m])'),
    c('over_time', 'sum_over_time(worker_tasks_inflight[5m])'),
    c('over_time', 'count_over_time(up[7m])'),
    c('over_time', 'count_over_time(sensor_reading[12m])'),
    c('over_time', 'quantile_over_time(0.9, node_temperature_celsius[30m])'),
    c('over_time', 'quantile_over_time(0, rpc_duration_seconds[10m])'),
    c('over_time', 'quantile_over_time(1.5, up[5m])'),
    c('over_time', 'quantile_over_time(-1, up[5m])'),
    c('over_time', 'stddev_over_time(process_resident_memory_bytes[10m])'),
    c('over_time', 'stdvar_over_time(node_temperature_celsius[10m])'),
    c('over_time', 'stddev_over_time(sensor_reading[5m])'),
    c('over_time', 'last_over_time(worker_tasks_inflight[10m])'),
    c('over_time', 'last_over_time(sensor_reading{sensor="s3"}[20m])'),
    c('over_time', 'present_over_time(worker_tasks_inflight[3m])'),
    c('over_time', 'max_over_time(rpc_duration_seconds{quantile="0.99"}[30m])'),
    c('over_time', 'avg_over_time(rpc_duration_seconds{quantile="0.5"}[2m])'),

    // absent.
    c('absent', 'absent(up)'),
    c('absent', 'absent(nonexistent_metric{job="api", instance=~"x.*"})'),
    c('absent', 'absent(sum(nonexistent_metric))'),
    c('absent', 'absent(worker_tasks_inflight{worker="w-3"})'),
    c('absent', 'absent_over_time(worker_tasks_inflight{worker="w-0"}[5m])'),
    c('absent', 'absent_over_time(nonexistent_metric{job="x", zone="eu-1"}[5m])'),
    c('absent', 'absent_over_time(sensor_reading{sensor="s3"}[5m])'),

    // Classic histograms and summaries.
    c('histogram', 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))'),
    c('histogram', 'histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'),
    c(
      'histogram',
      'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[10m])))',
    ),
    c('histogram', 'histogram_quantile(0, sum by (le) (http_request_duration_seconds_bucket))'),
    c('histogram', 'histogram_quantile(1, sum by (le) (increase(http_request_duration_seconds_bucket[1h])))'),
    c('histogram', 'histogram_quantile(1.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'),
    c(
      'histogram',
      'histogram_quantile(0.75, sum without (instance, env) (rate(http_request_duration_seconds_bucket[5m])))',
    ),
    c('histogram', 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket{le!="+Inf"}[5m]))'),
    c('histogram', 'histogram_quantile(0.5, rpc_duration_seconds)', { empty: true }),
    c(
      'histogram',
      'sum by (job) (rate(http_request_duration_seconds_sum[5m])) / sum by (job) (rate(http_request_duration_seconds_count[5m]))',
    ),
    c('histogram', 'rate(rpc_duration_seconds_sum[5m]) / rate(rpc_duration_seconds_count[5m])'),
    c('histogram', 'histogram_count(http_request_duration_seconds_count)', { empty: true }),
    c('histogram', 'histogram_sum(http_request_duration_seconds_sum)', { empty: true }),

    // Label functions.
    c('label', 'label_replace(up, "host", "$1", "instance", "([^.]+)\\\\..*")'),
    c('label', 'label_replace(up, "job", "renamed", "job", "cache")'),
    c('label', 'label_replace(up, "pair", "$2/$1", "instance", "([a-z]+)-(\\\\d+).*")'),
    c('label', 'label_replace(up, "extra", "x", "nonexistent", "")'),
    c('label', 'label_replace(up, "zone", "", "zone", "eu-.*")'),
    c('label', 'label_join(up, "where", "/", "zone", "env")'),
    c('label', 'label_join(build_info, "id", ":", "job", "version", "instance")'),
    c('label', 'label_join(up, "job", "", "nonexistent")'),

    // Time and dates.
    c('time', 'time()'),
    c('time', 'timestamp(up)'),
    c('time', 'timestamp(sensor_reading offset 3m)'),
    c('time', 'time() - timestamp(up)'),
    c('time', 'vector(time())'),
    c('time', 'scalar(sum(up))'),
    c('time', 'scalar(up)'),
    c('time', 'hour(timestamp(up))'),
    c('time', 'minute()'),
    c('time', 'day_of_week()'),
    c('time', 'month(vector(1709251199))'),
    c('time', 'day_of_month(vector(1709251200))'),
    c('time', 'days_in_month(vector(1709164800))'),
    c('time', 'day_of_year(vector(1735689599))'),
    c('time', 'year(vector(-1))'),
    c('time', 'hour(vector(0)) + minute(vector(1e9)) + day_of_week(vector(1e9))'),

    // Math.
    c('math', 'abs(node_temperature_celsius)'),
    c('math', 'ceil(node_temperature_celsius)'),
    c('math', 'floor(node_temperature_celsius)'),
    c('math', 'round(node_temperature_celsius)'),
    c('math', 'round(node_temperature_celsius, 0.5)'),
    c('math', 'round(process_resident_memory_bytes, 1e6)'),
    c('math', 'exp(node_temperature_celsius / 10)'),
    c('math', 'exp(vector(1000))'),
    c('math', 'sqrt(node_temperature_celsius)'),
    c('math', 'ln(process_resident_memory_bytes)'),
    c('math', 'log2(http_requests_total{job="db"})'),
    c('math', 'log10(http_requests_total{code="500"})'),
    c('math', 'sgn(node_temperature_celsius)'),
    c('math', 'clamp(node_temperature_celsius, -5, 20)'),
    c('math', 'clamp(node_temperature_celsius, 5, -5)', { empty: true }),
    c('math', 'clamp_min(node_temperature_celsius, 0)'),
    c('math', 'clamp_max(sensor_reading, 15)'),

    // Trigonometry.
    c('trig', 'sin(node_temperature_celsius)'),
    c('trig', 'cos(node_temperature_celsius)'),
    c('trig', 'tan(node_temperature_celsius)'),
    c('trig', 'asin(node_temperature_celsius / 40)'),
    c('trig', 'acos(clamp(node_temperature_celsius / 40, -1, 1))'),
    c('trig', 'atan(node_temperature_celsius)'),
    c('trig', 'sinh(node_temperature_celsius / 10)'),
    c('trig', 'cosh(node_temperature_celsius / 10)'),
    c('trig', 'tanh(node_temperature_celsius)'),
    c('trig', 'asinh(node_temperature_celsius)'),
    c('trig', 'acosh(node_temperature_celsius)'),
    c('trig', 'atanh(node_temperature_celsius / 50)'),
    c('trig', 'deg(node_temperature_celsius) - rad(node_temperature_celsius)'),
    c('trig', 'pi()'),
    c('trig', 'node_temperature_celsius atan2 on(job, instance) (node_temperature_celsius offset 1m)'),

    // Sorting (instant answers compared in order).
    c('sort', 'sort(node_temperature_celsius)', { ordered: true }),
    c('sort', 'sort_desc(rate(http_requests_total[5m]))', { ordered: true }),
    c('sort', 'sort_desc(sum by (job) (up))', { ordered: true }),
    c('sort', 'sort(sensor_reading)', { ordered: true }),

    // Aggregations.
    c('aggregation', 'sum(http_requests_total)'),
    c('aggregation', 'sum by (job) (rate(http_requests_total[5m]))'),
    c('aggregation', 'sum without (instance, zone, env) (rate(http_requests_total[5m]))'),
    c('aggregation', 'avg by (zone) (node_temperature_celsius)'),
    c('aggregation', 'avg(http_requests_total)'),
    c('aggregation', 'avg without (method, code) (rate(http_requests_total[2m]))'),
    c('aggregation', 'group without (instance, zone) (build_info)'),
    c('aggregation', 'stdvar by (zone) (rate(process_cpu_seconds_total[5m]))'),
    c('aggregation', 'count_values without (instance, zone, env) ("up", up)'),
    c('aggregation', 'min by (job) (node_temperature_celsius)'),
    c('aggregation', 'max without (instance) (node_temperature_celsius)'),
    c('aggregation', 'count(up)'),
    c('aggregation', 'count by (env) (up == 1)'),
    c('aggregation', 'count without (method, code) (http_requests_total)'),
    c('aggregation', 'group by (job) (up)'),
    c('aggregation', 'group(http_requests_total)'),
    c('aggregation', 'stddev by (job) (node_temperature_celsius)'),
    c('aggregation', 'stdvar(process_resident_memory_bytes)'),
    c('aggregation', 'stddev without (sensor) (sensor_reading)'),
    // topk/bottomk over values without ties: which of two equal values is kept is not defined.
    c('aggregation', 'topk(3, rate(http_request_duration_seconds_sum[5m]))', { ordered: true }),
    c('aggregation', 'bottomk(5, node_temperature_celsius)', { ordered: true }),
    c('aggregation', 'topk by (job) (2, node_temperature_celsius)'),
    c('aggregation', 'bottomk without (instance, zone, env) (1, process_resident_memory_bytes)'),
    c('aggregation', 'topk(2, sensor_reading)', { ordered: true }),
    c('aggregation', 'bottomk(0, up)', { empty: true }),
    c('aggregation', 'topk(1000, up)'),
    c('aggregation', 'quantile(0.5, node_temperature_celsius)'),
    c('aggregation', 'quantile by (job) (0.95, rate(http_requests_total[5m]))'),
    c('aggregation', 'quantile(-0.5, up)'),
    c('aggregation', 'quantile without (sensor) (0.3, sensor_reading)'),
    c('aggregation', 'count_values("value", up)'),
    c('aggregation', 'count_values by (job) ("tasks", worker_tasks_inflight)'),
    c('aggregation', 'count_values("reading", round(sensor_reading{sensor="s1"}))'),
    c('aggregation', 'sum(sensor_reading)'),
    c('aggregation', 'max(sensor_reading)'),
    c('aggregation', 'min by (kind) (sensor_reading)'),
    c('aggregation', 'sum by (le) (http_request_duration_seconds_bucket)'),
    c('aggregation', 'sum by (__name__) ({__name__=~"http_request_duration_seconds_(sum|count)"})'),
    c('aggregation', 'max by (instance) (rate(process_cpu_seconds_total[5m]))'),
    c('aggregation', 'count(count by (job) (up))'),
    c('aggregation', 'sum by (job) (topk by (job) (3, rate(http_requests_total[5m])))'),

    // Arithmetic between vectors and scalars.
    c('arithmetic', 'process_resident_memory_bytes / 1024 / 1024'),
    c('arithmetic', 'node_temperature_celsius % 7'),
    c('arithmetic', 'node_temperature_celsius ^ 2'),
    c('arithmetic', '2 ^ (node_temperature_celsius / 3)'),
    c('arithmetic', '1 - up'),
    c('arithmetic', 'up * time()'),
    c('arithmetic', 'scalar(sum(up)) * up'),
    c('arithmetic', 'sum(up) + count(up)'),
    c('arithmetic', 'up + up'),
    c('arithmetic', '-up'),
    c('arithmetic', '- -node_temperature_celsius'),
    c('arithmetic', 'sensor_reading / sensor_reading'),
    c('arithmetic', 'process_cpu_seconds_total / 0'),
    c('arithmetic', '-http_requests_total{code="500"} / 0'),
    c('arithmetic', 'node_temperature_celsius % -3.5'),

    // Comparisons, with and without bool.
    c('comparison', 'node_temperature_celsius > 20'),
    c('comparison', 'node_temperature_celsius > bool 20'),
    c('comparison', '20 < node_temperature_celsius'),
    c('comparison', '0 >= bool node_temperature_celsius'),
    c('comparison', 'up != 1'),
    c('comparison', 'up == bool 0'),
    c('comparison', 'sensor_reading == sensor_reading'),
    c('comparison', 'rate(http_requests_total[5m]) > 1 < 30'),
    c(
      'comparison',
      'node_temperature_celsius > bool on(job, instance) (node_temperature_celsius offset 10m)',
    ),
    c(
      'comparison',
      'process_resident_memory_bytes <= ignoring(zone) (process_resident_memory_bytes offset 5m)',
    ),

    // Vector matching: on/ignoring, group_left/group_right with extra labels.
    c('matching', 'http_requests_total{code="500"} / ignoring(code) http_requests_total{code="200"}'),
    c(
      'matching',
      'sum by (job, instance) (rate(http_requests_total[5m])) * on(job, instance) group_left(version) build_info',
    ),
    c('matching', 'build_info * on(job, instance) group_right(version) http_requests_total{method="GET"}'),
    c(
      'matching',
      'rate(http_requests_total[5m]) / on(job, instance) group_left rate(process_cpu_seconds_total[5m])',
    ),
    c('matching', 'sum by (job) (up) * on(job) group_left(zone) max by (job, zone) (up)', { fails: true }),
    c(
      'matching',
      'http_request_duration_seconds_bucket / ignoring(le) group_left http_request_duration_seconds_count',
    ),
    c('matching', 'sum by (job) (up) / on(job) count by (job) (up)'),
    c('matching', 'node_temperature_celsius - on() group_left scalar(avg(node_temperature_celsius))'),
    c('matching', 'node_temperature_celsius - on() group_left avg(node_temperature_celsius)'),

    // Set operators.
    c('set', 'up and on(job) (sum by (job) (rate(http_requests_total[5m])) > 20)'),
    c('set', 'up or vector(0)'),
    c('set', 'worker_tasks_inflight or on(instance) up'),
    c('set', 'up unless on(job, instance) (node_temperature_celsius < 0)'),
    c('set', 'http_requests_total and http_requests_total{code="500"}'),
    c('set', '(up == 0) or (up * 2)'),
    c('set', 'sensor_reading unless ignoring(sensor) sensor_reading{sensor="s0"}'),

    // offset and @.
    c('offset_at', 'up offset 10m'),
    c('offset_at', 'node_temperature_celsius offset -5m'),
    c('offset_at', 'rate(http_requests_total[5m] offset 30m)'),
    c('offset_at', `node_temperature_celsius @ ${mid}`),
    c('offset_at', 'node_temperature_celsius @ start()'),
    c('offset_at', 'sum(node_temperature_celsius @ end())'),
    c('offset_at', `node_temperature_celsius @ ${mid} offset 5m`),
    c('offset_at', `node_temperature_celsius - node_temperature_celsius @ ${early}`),
    c('offset_at', `rate(http_requests_total{job="api"}[10m] @ ${mid})`),
    c('offset_at', 'increase(process_cpu_seconds_total[15m] @ end() offset 20m)'),
    c('offset_at', `up @ ${at(startMs - 3_600_000)}`, { empty: true }),

    // Subqueries.
    c('subquery', 'max_over_time(rate(http_requests_total{job="api"}[1m])[10m:30s])'),
    c('subquery', 'avg_over_time(sum by (job) (rate(http_requests_total[5m]))[30m:1m])'),
    c('subquery', 'min_over_time(node_temperature_celsius[10m:])'),
    // Nested: the inner subquery runs at the outer one's steps, which sit on whole minutes; a 5m30s
    // range keeps its start off its own 1 m steps (on them, 2.42 and 3.x differ: differences.ts).
    c('subquery', 'max_over_time(max_over_time(node_temperature_celsius[5m30s:1m])[20m:2m])'),
    c('subquery', 'rate(process_cpu_seconds_total[5m:15s])'),
    c('subquery', 'deriv(sum(process_resident_memory_bytes)[20m:1m])'),
    c('subquery', 'quantile_over_time(0.5, up[1h:5m])'),
    c('subquery', 'sum_over_time(up[30m:1m] offset 10m)'),
    c('subquery', `avg_over_time(node_temperature_celsius[10m:1m] @ ${mid})`),
    c('subquery', 'count_over_time((up == 0)[1h:1m])'),
    c('subquery', 'last_over_time(worker_tasks_inflight[5m:1m])'),

    // Staleness: series that ended (workers, removed targets) and holes longer than the lookback.
    c('staleness', 'worker_tasks_inflight'),
    c('staleness', 'count(worker_tasks_inflight)'),
    c('staleness', 'up{job="queue"}'),
    c('staleness', 'count by (job) (up)'),
    c('staleness', 'sensor_reading{sensor="s3"}'),
    c('staleness', 'count({job="db", instance="db-3.example.net:5432"})'),
    c('staleness', 'timestamp(worker_tasks_inflight)'),

    // Literals and precedence.
    c('literal', '1 + 2 * 3'),
    c('literal', '(1 + 2) * 3'),
    c('literal', '2 ^ 3 ^ 2'),
    c('literal', '-2 ^ 2'),
    c('literal', '1 - -1'),
    c('literal', '0x1F + 1e2 - 1.5e-3'),
    c('literal', '5 % 3 * 2 - 2 * 3 % 4'),
    c('literal', '1 + 2 > bool 3 - 1'),
    c('literal', '1 < bool 2 == bool 1'),
    c('literal', 'Inf - Inf'),
    c('literal', '-Inf'),
    c('literal', 'NaN'),
    c('literal', '1 / 0 * 0'),
    c('literal', '-7 % 3'),
    c('literal', '"a string"'),
    c('literal', 'vector(1) + vector(2) * 3'),

    // Errors: both sides fail, with the same errorType.
    c('error', 'sum(', { fails: true }),
    c('error', 'rate(up)', { fails: true }),
    c('error', 'up + on(job) up', { fails: true }),
    c('error', 'build_info * on(job) group_left http_requests_total', { fails: true }),
    c('error', '{__name__=~".*"}', { fails: true }),
    c('error', 'histogram_quantile(0.9)', { fails: true }),
    c('error', 'topk(2, 3)', { fails: true }),
    c('error', '1 and 1', { fails: true }),
    c('error', 'label_replace(http_requests_total, "code", "", "code", ".*")', { fails: true }),
    c('error', 'rate({__name__=~"rpc_duration_seconds_sum|rpc_duration_seconds_count"}[5m])', {
      fails: true,
    }),
    c('error', 'unknown_function(up)', { fails: true }),
    c('error', 'abs(up, up)', { fails: true }),
    c('error', '"a" + 1', { fails: true }),
    c('error', 'up{job="api"', { fails: true }),
    c('error', 'sum by (job) (rate(up[5m:1m])[10m])', { fails: true }),
    c('error', 'topk(NaN, up)', { fails: true }),
  ];
}
