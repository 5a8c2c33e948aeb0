// The differential test's data: two hours of what Prometheus would scrape from 5 jobs × 20 instances
// every 15 s, plus a sensor gateway and the probe series of the documented differences (probes.ts).
// Deterministic (seeded) except for where it sits in time: it ends at `endMs`, a whole minute a few
// minutes before now, because a fresh Prometheus only keeps what lands in its head block.
//
// What it holds, on purpose:
// - counters (integer and float) that reset when a target restarts; a restart's first scrape fails
//   (up = 0, every other series of the target gets a staleness marker), later ones are missing, and the
//   counters come back from 0;
// - gauges: large (memory bytes), negative (temperatures), integer (workers), NaN (sensors, summary
//   quantiles without observations);
// - classic histograms (`_bucket{le}` with +Inf, `_sum`, `_count`) and summaries (quantiles, `_sum`,
//   `_count`);
// - gaps: lost scrapes (nothing written), and a few 8–12 minute holes, longer than the lookback delta;
// - staleness markers: restarts, workers that come and go, two targets removed half-way; two targets
//   added half-way;
// - sample times with a per-target phase and a few ms of jitter, never on a multiple of 250 ms. Every
//   query of the test is evaluated at a time ending in .250 s and uses whole-second ranges and steps, so
//   no sample ever sits exactly on a window's edge: that is where Prometheus 2.42 (closed windows) and
//   3.x (left-open windows) differ, and that difference has cases of its own (differences.ts).

import type { RemoteWriteMetadata } from '../../../src/format/remote-write/index.ts';
import { Prng } from './prng.ts';
import { probeSeries } from './probes.ts';
import { type GeneratedSeries, SeriesBuilder } from './series-builder.ts';

export const SCRAPE_INTERVAL_MS = 15_000;
export const DURATION_MS = 2 * 3_600_000;
const SCRAPES = DURATION_MS / SCRAPE_INTERVAL_MS;

export const JOBS = ['api', 'web', 'db', 'cache', 'queue'] as const;
export const INSTANCES_PER_JOB = 20;
const ZONES = ['eu-1', 'eu-2', 'us-1'];
const VERSIONS: Record<string, string> = {
  api: '1.4.2',
  web: '2.0.0',
  db: '14.9',
  cache: '7.0.11',
  queue: '3.12.1',
};
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const QUANTILES = ['0.5', '0.9', '0.99'];
const HISTOGRAM_JOBS = new Set(['api', 'web']);
const SUMMARY_JOBS = new Set(['db', 'cache', 'queue']);

export interface Dataset {
  /** First and last nominal scrape times (ms). */
  readonly startMs: number;
  readonly endMs: number;
  readonly series: readonly GeneratedSeries[];
  readonly metadata: readonly RemoteWriteMetadata[];
  /** Samples that are not staleness markers, over all series. */
  readonly realSamples: number;
  readonly staleMarkers: number;
}

type ScrapeState = 'ok' | 'down' | 'lost' | 'absent';

interface Target {
  readonly job: string;
  readonly index: number;
  readonly base: Record<string, string>;
  readonly phaseMs: number;
  readonly states: ScrapeState[];
}

export function generateDataset(endMs: number, seed = 20230131): Dataset {
  if (endMs % 60_000 !== 0) throw new Error('the dataset ends on a whole minute');
  const startMs = endMs - DURATION_MS;
  const rnd = new Prng(seed);
  const builders: SeriesBuilder[] = [];
  const series = (labels: Record<string, string>): SeriesBuilder => {
    const b = new SeriesBuilder(labels);
    builders.push(b);
    return b;
  };

  for (const job of JOBS) {
    for (let i = 0; i < INSTANCES_PER_JOB; i++) {
      scrapeTarget(planTarget(job, i, rnd), startMs, rnd, series);
    }
  }
  sensorGateway(startMs, rnd, series);

  const all = [...builders.map((b) => b.build()), ...probeSeries(startMs, endMs)];
  let realSamples = 0;
  let staleMarkers = 0;
  for (const s of all) {
    realSamples += s.realSamples;
    staleMarkers += s.timestamps.length - s.realSamples;
  }
  return { startMs, endMs, series: all, metadata: METADATA, realSamples, staleMarkers };
}

function planTarget(job: string, index: number, rnd: Prng): Target {
  const states: ScrapeState[] = new Array(SCRAPES).fill('ok');
  // Two targets of `cache` join half-way, two of `queue` leave half-way.
  if (job === 'cache' && index >= 18) states.fill('absent', 0, 150);
  if (job === 'queue' && index >= 18) states.fill('absent', 301);
  const restarts = job === 'web' && index === 0 ? 3 : rnd.chance(0.3) ? 1 : 0;
  for (let r = 0; r < restarts; r++) {
    const k = rnd.int(20, SCRAPES - 20);
    if (states[k] !== 'ok') continue;
    states[k] = 'down';
    for (let j = 1, n = rnd.int(0, 3); j <= n; j++) if (states[k + j] === 'ok') states[k + j] = 'lost';
  }
  // Lost scrapes, never right after a restart (a counter's first samples after a restart are where
  // 2.42 and 3.x extrapolate rate() differently; differences.ts covers that on its own).
  for (let k = 0; k < SCRAPES; k++) {
    const recentRestart = states.slice(Math.max(0, k - 12), k).includes('down');
    if (states[k] === 'ok' && !recentRestart && rnd.chance(0.006)) states[k] = 'lost';
  }
  // A few long holes, past the 5 minute lookback.
  if ((job === 'db' && index === 3) || (job === 'api' && index === 7)) {
    const k = rnd.int(150, 350);
    for (let j = 0, n = rnd.int(32, 48); j < n; j++) if (states[k + j] === 'ok') states[k + j] = 'lost';
  }
  let phaseMs = rnd.int(1, SCRAPE_INTERVAL_MS - 1);
  if (phaseMs % 250 === 0) phaseMs++;
  return {
    job,
    index,
    phaseMs,
    states,
    base: {
      job,
      instance: `${job}-${index}.example.net:${job === 'db' ? 5432 : 9100}`,
      zone: ZONES[index % ZONES.length],
      env: index < 16 ? 'prod' : 'staging',
    },
  };
}

/** A scrape's time: the target's phase, and a few ms of jitter that never lands on a 250 ms mark. */
function scrapeTime(startMs: number, target: Target, k: number, rnd: Prng): number {
  const jitter = rnd.chance(0.3) ? rnd.int(-40, 40) : 0;
  let t = startMs + target.phaseMs + k * SCRAPE_INTERVAL_MS + jitter;
  if (t % 250 === 0) t++;
  return t;
}

type NewSeries = (labels: Record<string, string>) => SeriesBuilder;

function scrapeTarget(target: Target, startMs: number, rnd: Prng, series: NewSeries): void {
  const { job, base } = target;
  const up = series({ __name__: 'up', ...base });
  const buildInfo = series({ __name__: 'build_info', ...base, version: VERSIONS[job] });
  const memory = series({ __name__: 'process_resident_memory_bytes', ...base });
  const temperature = series({ __name__: 'node_temperature_celsius', ...base });
  const cpu = series({ __name__: 'process_cpu_seconds_total', ...base });
  const requests = [
    { method: 'GET', code: '200', mean: job === 'api' ? 40 : job === 'web' ? 25 : 5 },
    { method: 'POST', code: '200', mean: job === 'api' ? 10 : 2 },
    { method: 'GET', code: '500', mean: 0.3 },
    { method: 'POST', code: '500', mean: 0.1 },
  ].map((r) => ({
    ...r,
    s: series({ __name__: 'http_requests_total', ...base, method: r.method, code: r.code }),
  }));
  const histogram = HISTOGRAM_JOBS.has(job)
    ? {
        buckets: [...BUCKETS.map(String), '+Inf'].map((le) =>
          series({ __name__: 'http_request_duration_seconds_bucket', ...base, le }),
        ),
        sum: series({ __name__: 'http_request_duration_seconds_sum', ...base }),
        count: series({ __name__: 'http_request_duration_seconds_count', ...base }),
        median: job === 'api' ? 0.06 : 0.15,
      }
    : undefined;
  const summary = SUMMARY_JOBS.has(job)
    ? {
        quantiles: QUANTILES.map((quantile) =>
          series({ __name__: 'rpc_duration_seconds', ...base, quantile }),
        ),
        sum: series({ __name__: 'rpc_duration_seconds_sum', ...base }),
        count: series({ __name__: 'rpc_duration_seconds_count', ...base }),
      }
    : undefined;
  const workers: SeriesBuilder[] = [];
  let nextWorker = 0;

  // Per-target state.
  let mem = rnd.int(80, 400) * 1_000_000;
  let temp = rnd.float(-15, 35);
  let cpuTotal = 0;
  const reqTotals = requests.map(() => 0);
  const bucketCounts = BUCKETS.map(() => 0);
  let histCount = 0;
  let histSum = 0;
  let rpcCount = 0;
  let rpcSum = 0;

  const everySeries = (): SeriesBuilder[] => [
    buildInfo,
    memory,
    temperature,
    cpu,
    ...requests.map((r) => r.s),
    ...(histogram ? [...histogram.buckets, histogram.sum, histogram.count] : []),
    ...(summary ? [...summary.quantiles, summary.sum, summary.count] : []),
    ...workers,
  ];
  const resetCounters = (): void => {
    cpuTotal = 0;
    reqTotals.fill(0);
    bucketCounts.fill(0);
    histCount = 0;
    histSum = 0;
    rpcCount = 0;
    rpcSum = 0;
  };

  let wasAbsent = true;
  for (let k = 0; k < SCRAPES; k++) {
    const state = target.states[k];
    if (state === 'absent') {
      if (!wasAbsent) {
        // The target left service discovery: everything it had goes stale.
        const t = scrapeTime(startMs, target, k, rnd);
        up.stale(t);
        for (const s of everySeries()) if (s.live) s.stale(t);
        wasAbsent = true;
      }
      continue;
    }
    if (wasAbsent) resetCounters();
    wasAbsent = false;
    if (state === 'lost') continue;
    const t = scrapeTime(startMs, target, k, rnd);
    if (state === 'down') {
      up.add(t, 0);
      for (const s of everySeries()) if (s.live) s.stale(t);
      workers.length = 0;
      resetCounters();
      continue;
    }
    // A successful scrape; counters show what accumulated since the last one (0 right after a restart).
    up.add(t, 1);
    buildInfo.add(t, 1);
    mem = Math.max(10_000_000, mem + Math.round(rnd.normal() * 2_000_000));
    memory.add(t, mem);
    temp += rnd.normal() * 0.4;
    temperature.add(t, Math.round(temp * 1000) / 1000);
    const fresh = cpu.live === false && cpuTotal === 0;
    if (!fresh) cpuTotal += Math.round(rnd.float(0.05, 1.5) * 100) / 100;
    cpu.add(t, cpuTotal);
    requests.forEach((r, i) => {
      if (!fresh) reqTotals[i] += rnd.poisson(r.mean);
      r.s.add(t, reqTotals[i]);
    });
    if (histogram) {
      if (!fresh) {
        for (let n = rnd.poisson(20); n > 0; n--) {
          const latency = histogram.median * Math.exp(rnd.normal() * 0.9);
          histCount++;
          histSum += latency;
          for (let b = 0; b < BUCKETS.length; b++) if (latency <= BUCKETS[b]) bucketCounts[b]++;
        }
      }
      histogram.buckets.forEach((s, b) => {
        s.add(t, b < BUCKETS.length ? bucketCounts[b] : histCount);
      });
      histogram.sum.add(t, histSum);
      histogram.count.add(t, histCount);
    }
    if (summary) {
      const observations = fresh ? 0 : rnd.poisson(3);
      const median = 0.004 * Math.exp(rnd.normal() * 0.3);
      rpcCount += observations;
      for (let n = 0; n < observations; n++) rpcSum += median * Math.exp(rnd.normal() * 0.5);
      summary.quantiles.forEach((s, q) => {
        // A summary without observations in its window reports NaN quantiles.
        s.add(t, observations === 0 ? Number.NaN : median * [1, 1.9, 3.4][q]);
      });
      summary.sum.add(t, rpcSum);
      summary.count.add(t, rpcCount);
    }
    if (job === 'queue') {
      // Workers come and go; a worker that ends gets a staleness marker at the next scrape.
      for (let w = workers.length - 1; w >= 0; w--) {
        if (rnd.chance(0.03)) {
          workers[w].stale(t);
          workers.splice(w, 1);
        }
      }
      if (workers.length < 4 && rnd.chance(0.06)) {
        workers.push(
          series({ __name__: 'worker_tasks_inflight', ...target.base, worker: `w-${nextWorker++}` }),
        );
      }
      for (const w of workers) w.add(t, rnd.poisson(3));
    }
  }
}

/** One more target: ten sensors, some samples NaN, one sensor with a 12 minute hole. */
function sensorGateway(startMs: number, rnd: Prng, series: NewSeries): void {
  const target: Target = {
    job: 'sensors',
    index: 0,
    phaseMs: 7_321,
    states: [],
    base: { job: 'sensors', instance: 'gateway.example.net:9100' },
  };
  const sensors = Array.from({ length: 10 }, (_, i) => ({
    s: series({ __name__: 'sensor_reading', ...target.base, sensor: `s${i}`, kind: i < 5 ? 'air' : 'water' }),
    v: rnd.float(5, 25),
  }));
  for (let k = 0; k < SCRAPES; k++) {
    const t = scrapeTime(startMs, target, k, rnd);
    sensors.forEach((x, i) => {
      if (i === 3 && k >= 200 && k < 248) return;
      x.v += rnd.normal() * 0.2;
      x.s.add(t, rnd.chance(0.03) ? Number.NaN : Math.round(x.v * 1000) / 1000);
    });
  }
}

const METADATA: RemoteWriteMetadata[] = [
  { metricFamilyName: 'up', type: 'gauge', help: 'Whether the target answered.', unit: '' },
  { metricFamilyName: 'build_info', type: 'gauge', help: 'Build version.', unit: '' },
  {
    metricFamilyName: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory.',
    unit: 'bytes',
  },
  { metricFamilyName: 'node_temperature_celsius', type: 'gauge', help: 'Temperature.', unit: 'celsius' },
  { metricFamilyName: 'process_cpu_seconds_total', type: 'counter', help: 'CPU time.', unit: 'seconds' },
  { metricFamilyName: 'http_requests_total', type: 'counter', help: 'Requests served.', unit: '' },
  {
    metricFamilyName: 'http_request_duration_seconds',
    type: 'histogram',
    help: 'Request latency.',
    unit: 'seconds',
  },
  { metricFamilyName: 'rpc_duration_seconds', type: 'summary', help: 'RPC latency.', unit: 'seconds' },
  { metricFamilyName: 'worker_tasks_inflight', type: 'gauge', help: 'Tasks per worker.', unit: '' },
  { metricFamilyName: 'sensor_reading', type: 'gauge', help: 'A sensor value.', unit: '' },
];
