// PromQL latency, telemux beside Prometheus 2.42 on the same data in the same run, printed as ratios.
// 10,000 series × 6 h at 15 s (14.4 M samples, bench/promql-dataset.ts) are remote-written into a
// Debian Prometheus 2.42 and into `telemux serve` (its own process, from the build), in time order. Then a
// fixed set of dashboard queries — rate, sum by, topk, histogram_quantile, a subquery — runs as an
// instant query at the end and as a range query over the 6 h at a 30 s step (what Grafana asks for a
// 6 h panel), each REPEATS times per side, alternating which side goes first. The figure is the median
// wall time of the HTTP request (query, evaluation, JSON, transfer); the goal is telemux ≤ 1.0× Prometheus.
// Before timing, each answer of telemux is compared with Prometheus' (relative 1e-6), so a fast wrong
// answer cannot pass unnoticed.

import { sleep, until } from '../test/helpers/peer-process.ts';
import { startReceivingPrometheus } from '../test/helpers/prometheus.ts';
import { type Answer, type Evaluation, query } from '../test/interop/promql-differential/api.ts';
import { compareAnswers } from '../test/interop/promql-differential/compare.ts';
import { type PromqlBenchDataset, promqlBenchDataset } from './promql-dataset.ts';
import { startTelemux, type Target } from './telemux-process.ts';

const REPEATS = 9;
/** Untimed runs of each query per side first: JIT and caches warm, as for a refreshing dashboard. */
const WARMUPS = 3;
const RANGE_STEP_MS = 30_000;
/** telemux cuts blocks from its head every 15 s (storage.maintenance_interval): let two runs pass. */
const SETTLE_MS = 35_000;

const QUERIES: readonly { readonly name: string; readonly expr: string }[] = [
  { name: 'rate', expr: 'rate(http_requests_total{job="api", code="500"}[5m])' },
  { name: 'sum by', expr: 'sum by (job, code) (rate(http_requests_total[5m]))' },
  { name: 'topk', expr: 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))' },
  {
    name: 'histogram_quantile',
    expr: 'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))',
  },
  { name: 'subquery', expr: 'max_over_time(sum by (job) (rate(http_requests_total[1m]))[1h:1m])' },
];

interface Row {
  readonly name: string;
  readonly kind: 'instant' | 'range';
  readonly prometheusMs: number;
  readonly telemuxMs: number;
  readonly ratio: number;
  readonly equal: string;
}

function startPrometheus(): Promise<Target> {
  return startReceivingPrometheus(['--storage.tsdb.retention.time=100y', '--log.level=warn']);
}

/** Every body to both stores, in time order (each store in its own order; bodies go out together). */
async function ingest(data: PromqlBenchDataset, urls: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const body of data.bodies()) {
    await Promise.all(
      urls.map(async (url) => {
        const res = await fetch(`${url}/api/v1/write`, {
          method: 'POST',
          body,
          headers: {
            'Content-Encoding': 'snappy',
            'Content-Type': 'application/x-protobuf',
            'X-Prometheus-Remote-Write-Version': '0.1.0',
          },
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${text}`);
      }),
    );
  }
  return (performance.now() - started) / 1000;
}

/** Samples a store holds, one metric name at a time (count_over_time drops the name). */
async function held(url: string, data: PromqlBenchDataset): Promise<number> {
  let samples = 0;
  for (const name of data.names) {
    const a = await query(url, `sum(count_over_time({__name__="${name}"}[7h]))`, {
      kind: 'instant',
      timeMs: data.endMs + 1_000,
    });
    if (!a.ok) throw new Error(`${url}: ${a.errorType} ${a.error}`);
    if (a.resultType === 'vector' && a.series.length === 1) samples += a.series[0].vs[0];
  }
  return samples;
}

/** Prometheus compacts its head into blocks once it spans 3 h; wait until it has. */
async function prometheusSettled(url: string): Promise<void> {
  await until(async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    const span = gauge('prometheus_tsdb_head_max_time') - gauge('prometheus_tsdb_head_min_time');
    return span <= 3 * 3_600_000;
  }, 300_000);
}

async function timed(url: string, expr: string, e: Evaluation): Promise<{ ms: number; answer: Answer }> {
  const started = performance.now();
  const answer = await query(url, expr, e);
  return { ms: performance.now() - started, answer };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function run(): Promise<void> {
  // Recent data: a fresh Prometheus head takes samples in time order from anywhere, but keep it real.
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const data = promqlBenchDataset(endMs);
  // telemux would record its own metrics at "now" into the store every 15 s: its head would then
  // reach the present at once and cut blocks ahead of the 6 h being written in time order, refusing
  // their later samples as too old. The Prometheus peer scrapes nothing either.
  const [prometheus, telemux] = await Promise.all([
    startPrometheus(),
    startTelemux(['--storage.record_interval=24h']),
  ]);
  try {
    const ingestSeconds = await ingest(data, [prometheus.url, telemux.url]);
    console.log(
      `promql: ${data.series} series × 6 h at 15 s = ${(data.samples / 1e6).toFixed(1)} M samples into both in ${ingestSeconds.toFixed(0)} s`,
    );
    const [p, t] = await Promise.all([held(prometheus.url, data), held(telemux.url, data)]);
    if (p !== data.samples || t !== data.samples)
      throw new Error(`samples held: prometheus ${p}, telemux ${t}, sent ${data.samples}`);
    await prometheusSettled(prometheus.url);
    await sleep(SETTLE_MS);

    // Times 15 s off the minute: the subquery's 1 m steps then never sit on its window's start, where
    // 2.42 (closed) and 3.x (left-open) would count a different number of steps.
    const evaluations: { kind: 'instant' | 'range'; e: Evaluation }[] = [
      { kind: 'instant', e: { kind: 'instant', timeMs: data.endMs - 15_000 } },
      {
        kind: 'range',
        e: {
          kind: 'range',
          startMs: data.startMs + 15_000,
          endMs: data.endMs - 15_000,
          stepMs: RANGE_STEP_MS,
        },
      },
    ];
    const rows: Row[] = [];
    for (const q of QUERIES) {
      for (const { kind, e } of evaluations) {
        // First runs of each (not timed) warm both sides; the first checks telemux's answer.
        const [want, got] = [await timed(prometheus.url, q.expr, e), await timed(telemux.url, q.expr, e)];
        const diff = compareAnswers(want.answer, got.answer, false);
        for (let w = 1; w < WARMUPS; w++) {
          await timed(prometheus.url, q.expr, e);
          await timed(telemux.url, q.expr, e);
        }
        const prometheusMs: number[] = [];
        const telemuxMs: number[] = [];
        for (let r = 0; r < REPEATS; r++) {
          const order = r % 2 === 0 ? ['p', 't'] : ['t', 'p'];
          for (const side of order) {
            if (side === 'p') prometheusMs.push((await timed(prometheus.url, q.expr, e)).ms);
            else telemuxMs.push((await timed(telemux.url, q.expr, e)).ms);
          }
        }
        const pm = median(prometheusMs);
        const tm = median(telemuxMs);
        rows.push({
          name: q.name,
          kind,
          prometheusMs: pm,
          telemuxMs: tm,
          ratio: tm / pm,
          equal: diff === undefined ? 'yes' : `NO: ${diff.slice(0, 120)}`,
        });
      }
    }
    console.log(
      'query               kind      prometheus ms   telemux ms   telemux÷prometheus   same answer',
    );
    for (const r of rows)
      console.log(
        `${r.name.padEnd(20)}${r.kind.padEnd(10)}${r.prometheusMs.toFixed(1).padStart(13)}${r.telemuxMs.toFixed(1).padStart(13)}${`${r.ratio.toFixed(2)}×`.padStart(21)}   ${r.equal}`,
      );
    const overall = Math.exp(rows.reduce((s, r) => s + Math.log(r.ratio), 0) / rows.length);
    console.log(
      `promql: overall telemux÷prometheus ${overall.toFixed(2)}× (geometric mean of ${rows.length} medians of ${REPEATS} runs; goal ≤ 1.0×: ${overall <= 1 ? 'met' : 'not met'})`,
    );
  } finally {
    await Promise.all([prometheus.stop(), telemux.stop()]);
  }
}
