// A node_exporter-like day, deterministic: 1,000 series (a quarter each of integer counters, decimal
// counters, 1-decimal gauges and 2-decimal gauges), 24 h at a 15 s scrape interval with 1–5 ms of
// jitter on one scrape in ten, from 25 hosts. The "standard" day has small counter increments; the
// "busy" day's cpu-seconds counters grow by up to 15.00 per scrape (near-random low digits).
// Shared by the storage benchmarks (bench/chunks.ts, bench/tsdb.ts) and the peers (bench/tsdb-peers.ts).

import { Labels } from '../src/model/labels.ts';

export const SERIES = 1000;
export const SAMPLES = 5760; // 24 h at 15 s
export const SCRAPE_INTERVAL_MS = 15_000;
const START = 1_700_000_000_000;
const SERIES_PER_HOST = 40;

export type DayKind = 'standard' | 'busy';

/** Largest cpu-seconds increment per scrape for each kind of day. */
const MAX_CPU_INCREMENT: Record<DayKind, number> = { standard: 2, busy: 15 };

export interface NodeDataset {
  /** One label set per series (index-aligned with `ts` and `values`). */
  readonly labels: Labels[];
  /** Millisecond timestamps per series, increasing. */
  readonly ts: Float64Array[];
  readonly values: Float64Array[];
}

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function nodeDataset(kind: DayKind = 'standard'): NodeDataset {
  const maxCpuIncrement = MAX_CPU_INCREMENT[kind];
  const rand = rng(42);
  const ts: Float64Array[] = [];
  const values: Float64Array[] = [];
  const labels: Labels[] = [];
  for (let s = 0; s < SERIES; s++) {
    const t = new Float64Array(SAMPLES);
    const v = new Float64Array(SAMPLES);
    const offset = Math.floor(rand() * 15_000);
    for (let i = 0; i < SAMPLES; i++) {
      // One scrape in ten lands 1–5 ms early or late.
      const jitter = rand() < 0.1 ? Math.round((rand() * 2 - 1) * 5) : 0;
      t[i] = START + offset + i * SCRAPE_INTERVAL_MS + jitter;
    }
    const kind = s % 4;
    let m = Math.floor(rand() * 1e6);
    for (let i = 0; i < SAMPLES; i++) {
      if (kind === 0) {
        // Integer counter (bytes, packets): small, often zero, increments.
        m += rand() < 0.3 ? 0 : Math.floor(rand() * 50);
        v[i] = m;
      } else if (kind === 1) {
        // Decimal counter (cpu seconds, 2 decimals).
        m += Math.floor(rand() * (maxCpuIncrement * 100 + 1));
        v[i] = m / 100;
      } else if (kind === 2) {
        // 1-decimal gauge (temperature 58.2): slow random walk, often unchanged.
        if (i === 0) m = 500 + Math.floor(rand() * 20000);
        if (rand() < 0.5) m += Math.floor(rand() * 7) - 3;
        v[i] = m / 10;
      } else {
        // 2-decimal gauge (load average 0.37).
        if (i === 0) m = Math.floor(rand() * 400);
        m = Math.max(0, m + Math.floor(rand() * 21) - 10);
        v[i] = m / 100;
      }
    }
    ts.push(t);
    values.push(v);
    labels.push(seriesLabels(s));
  }
  return { labels, ts, values };
}

const CPU_MODES = ['idle', 'user', 'system', 'iowait', 'softirq'];
const LOADS = ['node_load1', 'node_load5', 'node_load15'];

/** Labels of series `s` (no randomness, so the values above are what they always were). */
function seriesLabels(s: number): Labels {
  const host = Math.floor(s / SERIES_PER_HOST);
  const k = Math.floor((s % SERIES_PER_HOST) / 4); // 0–9 within the host and kind
  const base = { instance: `node-${String(host).padStart(2, '0')}.example.internal:9100`, job: 'node' };
  switch (s % 4) {
    case 0:
      return Labels.from({
        ...base,
        __name__: k < 5 ? 'node_network_receive_bytes_total' : 'node_network_transmit_bytes_total',
        device: `eth${k % 5}`,
      });
    case 1:
      return Labels.from({
        ...base,
        __name__: 'node_cpu_seconds_total',
        cpu: String(Math.floor(k / 5)),
        mode: CPU_MODES[k % 5],
      });
    case 2:
      return Labels.from({
        ...base,
        __name__: 'node_hwmon_temp_celsius',
        chip: 'platform_coretemp_0',
        sensor: `temp${k + 1}`,
      });
    default:
      return k < 3
        ? Labels.from({ ...base, __name__: LOADS[k] })
        : Labels.from({
            ...base,
            __name__: 'node_disk_io_utilisation_ratio',
            device: `sd${'abcdefg'[k - 3]}`,
          });
  }
}
