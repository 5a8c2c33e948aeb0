// The PromQL benchmark's data: 10,000 series scraped every 15 s for 6 hours (14.4 M samples) from 100
// instances of 5 jobs, shaped like what dashboards query:
// - http_requests_total{job, instance, handler (4), method (2), code (3)}: 2,400 counters;
// - http_request_duration_seconds_bucket{job, instance, handler, le (12)} with _sum and _count: 5,600;
// - node_cpu_seconds_total{job, instance, cpu (4), mode (5)}: 2,000 float counters.
// Deterministic (seeded); it ends at `endMs`. It is produced as remote_write bodies one time slice at a
// time, so the 14.4 M samples are never all in memory.

import { encodeWriteRequest, type SeriesInput } from '../src/format/remote-write/index.ts';
import { Labels } from '../src/model/labels.ts';
import { rng } from './node-dataset.ts';

export const SERIES = 10_000;
export const SCRAPE_INTERVAL_MS = 15_000;
export const DURATION_MS = 6 * 3_600_000;
export const SCRAPES = DURATION_MS / SCRAPE_INTERVAL_MS;
/** Scrapes per remote_write request: 10,000 series × 8 = 80,000 samples. */
const SCRAPES_PER_BODY = 8;

const JOBS = ['api', 'web', 'auth', 'search', 'billing'];
const INSTANCES_PER_JOB = 20;
const HANDLERS = ['/', '/login', '/search', '/api/items'];
const METHODS = ['GET', 'POST'];
const CODES = ['200', '404', '500'];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MODES = ['user', 'system', 'iowait', 'irq', 'idle'];

type Kind =
  | { readonly type: 'requests'; readonly mean: number }
  | { readonly type: 'bucket'; readonly group: number; readonly bucket: number }
  | { readonly type: 'sum' | 'count'; readonly group: number }
  | { readonly type: 'cpu'; readonly mean: number };

interface SeriesPlan {
  readonly labels: Labels;
  readonly phaseMs: number;
  readonly kind: Kind;
}

export interface PromqlBenchDataset {
  readonly startMs: number;
  readonly endMs: number;
  readonly series: number;
  readonly samples: number;
  /** Metric names, for counting what each store holds. */
  readonly names: readonly string[];
  /** The remote_write bodies in time order, made on demand. */
  bodies(): Generator<Uint8Array>;
}

export function promqlBenchDataset(endMs: number): PromqlBenchDataset {
  const rand = rng(7);
  const plans: SeriesPlan[] = [];
  // One latency histogram per (instance, handler): its buckets, _sum and _count share a group.
  let groups = 0;
  for (const job of JOBS) {
    for (let i = 0; i < INSTANCES_PER_JOB; i++) {
      const base = { job, instance: `${job}-${i}:8080` };
      // Off whole seconds: queries evaluate on them, and a sample on a window's edge is where
      // Prometheus 2.42 (closed windows) and 3.x (left-open) differ.
      let phaseMs = 1 + Math.floor(rand() * (SCRAPE_INTERVAL_MS - 2));
      if (phaseMs % 1000 === 0) phaseMs++;
      for (const handler of HANDLERS) {
        for (const method of METHODS)
          for (const code of CODES) {
            const mean = (code === '200' ? 20 : code === '404' ? 1 : 0.2) * (method === 'GET' ? 1 : 0.3);
            plans.push({
              labels: Labels.from({ __name__: 'http_requests_total', ...base, handler, method, code }),
              phaseMs,
              kind: { type: 'requests', mean: mean * (0.5 + rand()) },
            });
          }
        const group = groups++;
        [...BUCKETS.map(String), '+Inf'].forEach((le, bucket) => {
          plans.push({
            labels: Labels.from({ __name__: 'http_request_duration_seconds_bucket', ...base, handler, le }),
            phaseMs,
            kind: { type: 'bucket', group, bucket },
          });
        });
        for (const type of ['sum', 'count'] as const)
          plans.push({
            labels: Labels.from({ __name__: `http_request_duration_seconds_${type}`, ...base, handler }),
            phaseMs,
            kind: { type, group },
          });
      }
      for (let cpu = 0; cpu < 4; cpu++)
        for (const mode of MODES)
          plans.push({
            labels: Labels.from({ __name__: 'node_cpu_seconds_total', ...base, cpu: String(cpu), mode }),
            phaseMs,
            kind: { type: 'cpu', mean: mode === 'idle' ? 10 : mode === 'user' ? 3 : 0.5 },
          });
    }
  }
  if (plans.length !== SERIES) throw new Error(`${plans.length} series planned`);
  const startMs = endMs - DURATION_MS;
  return {
    startMs,
    endMs,
    series: SERIES,
    samples: SERIES * SCRAPES,
    names: [...new Set(plans.map((p) => p.labels.metricName))],
    bodies: () => bodies(plans, groups, startMs),
  };
}

function* bodies(plans: readonly SeriesPlan[], groups: number, startMs: number): Generator<Uint8Array> {
  const rand = rng(11);
  const totals = new Float64Array(plans.length);
  // Per histogram group: the observations of the current scrape, by bucket (cumulative), and their sum.
  const bucketCounts = new Float64Array(groups * (BUCKETS.length + 1));
  const sums = new Float64Array(groups);
  for (let from = 0; from < SCRAPES; from += SCRAPES_PER_BODY) {
    const n = Math.min(SCRAPES_PER_BODY, SCRAPES - from);
    const series: SeriesInput[] = plans.map((p) => ({
      labels: p.labels,
      timestamps: new Float64Array(n),
      values: new Float64Array(n),
    }));
    for (let j = 0; j < n; j++) {
      const k = from + j;
      // Counters start from 0 at the first scrape (a fresh process): rate() over a window that begins
      // before the data then extrapolates the same way in 2.42 and 3.x (they differ for other starts).
      const fresh = k === 0;
      // Observations of this scrape, per group, before any series of the group is written.
      for (let g = 0; g < groups && !fresh; g++) {
        const observations = Math.floor(rand() * 40);
        for (let o = 0; o < observations; o++) {
          const latency = 0.05 * Math.exp((rand() + rand() + rand() - 1.5) * 2.5);
          sums[g] += latency;
          for (let b = 0; b <= BUCKETS.length; b++)
            if (b === BUCKETS.length || latency <= BUCKETS[b]) bucketCounts[g * (BUCKETS.length + 1) + b]++;
        }
      }
      plans.forEach((p, s) => {
        const kind = p.kind;
        let v: number;
        switch (kind.type) {
          case 'requests':
            if (!fresh) totals[s] += Math.floor(rand() * 2 * kind.mean);
            v = totals[s];
            break;
          case 'cpu':
            if (!fresh) totals[s] += Math.round(rand() * 2 * kind.mean * 100) / 100;
            v = totals[s];
            break;
          case 'bucket':
            v = bucketCounts[kind.group * (BUCKETS.length + 1) + kind.bucket];
            break;
          case 'count':
            v = bucketCounts[kind.group * (BUCKETS.length + 1) + BUCKETS.length];
            break;
          case 'sum':
            v = sums[kind.group];
            break;
        }
        series[s].timestamps[j] = startMs + p.phaseMs + k * SCRAPE_INTERVAL_MS;
        series[s].values[j] = v;
      });
    }
    yield encodeWriteRequest({ series });
  }
}
