// The storage peers for bench/tsdb.ts: the same node_exporter-like day remote-written into Debian's
// Prometheus 2.42 and VictoriaMetrics 1.79, each started on a loopback port with a temporary data
// directory, then its on-disk size measured. scripts/install-peers.sh installs both.
//
// What is counted:
// - Prometheus: a TSDB snapshot (POST /api/v1/admin/tsdb/snapshot, head included): every file of every
//   block in it (chunks, index, meta.json, tombstones). The WAL is not in a snapshot and not counted: it
//   is a transient log that compaction truncates, and telemux' own figure also excludes its WAL.
// - VictoriaMetrics: every file under -storageDataPath (data, indexdb, cache, metadata, flock), after
//   GET /internal/force_flush and once the size has stopped changing (background merges settle).
//   It has no separate WAL; `files` breaks the total down by top-level directory.

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodeWriteRequest, type SeriesInput } from '../src/format/remote-write/index.ts';
import { freePort, sleep, startPeer, until } from '../test/helpers/peer-process.ts';
import { startReceivingPrometheus } from '../test/helpers/prometheus.ts';
import type { NodeDataset } from './node-dataset.ts';

export interface PeerFigures {
  /** Bytes on disk (see the header for what is counted). */
  readonly bytes: number;
  readonly bytesPerSample: number;
  /** Wall time the peer took to accept the whole day over remote_write (bodies encoded beforehand). */
  readonly seconds: number;
  /** Samples the peer reports holding (checked equal to the samples sent). */
  readonly samples: number;
  /** `bytes` by top-level directory or kind of file. */
  readonly files: Readonly<Record<string, number>>;
}

export interface PeersFigures {
  readonly prometheus: PeerFigures;
  readonly victoriametrics: PeerFigures;
}

const VICTORIA_BIN = '/usr/bin/victoria-metrics';
/** Scrape slices per request: 1,000 series × 4 slices = 4,000 samples, a few Prometheus batches. */
const SLICES_PER_REQUEST = 4;

export async function measurePeers(dataset: NodeDataset): Promise<PeersFigures> {
  const { bodies, samples, lastTimestamp } = encodeDay(dataset);
  const names = [...new Set(dataset.labels.map((l) => l.metricName))];
  const prometheus = await measurePrometheus(bodies, samples, lastTimestamp, names);
  const victoriametrics = await measureVictoria(bodies, samples);
  return { prometheus, victoriametrics };
}

/**
 * The whole day as remote_write bodies, in time order (every series per scrape slice), shifted so the
 * last sample is now: both peers keep recent data without extra flags and sort it into current blocks.
 */
function encodeDay(data: NodeDataset): { bodies: Uint8Array[]; samples: number; lastTimestamp: number } {
  const n = data.ts[0].length;
  let last = -Infinity;
  for (const t of data.ts) last = Math.max(last, t[n - 1]);
  const shift = Date.now() - last;
  const bodies: Uint8Array[] = [];
  let samples = 0;
  for (let i = 0; i < n; i += SLICES_PER_REQUEST) {
    const j = Math.min(n, i + SLICES_PER_REQUEST);
    const series: SeriesInput[] = data.labels.map((labels, s) => {
      const timestamps = data.ts[s].slice(i, j);
      for (let k = 0; k < timestamps.length; k++) timestamps[k] += shift;
      samples += timestamps.length;
      // subarray: the values go to the wire as their bytes, unchanged.
      return { labels, timestamps, values: data.values[s].subarray(i, j) };
    });
    bodies.push(encodeWriteRequest({ series }));
  }
  return { bodies, samples, lastTimestamp: last + shift };
}

async function measurePrometheus(
  bodies: Uint8Array[],
  samples: number,
  last: number,
  names: readonly string[],
): Promise<PeerFigures> {
  // No scrape jobs: the TSDB holds the benchmark's series only.
  const prom = await startReceivingPrometheus([
    '--web.enable-admin-api',
    '--storage.tsdb.retention.time=100y',
  ]);
  try {
    const url = prom.url;
    const seconds = await writeAll(`${url}/api/v1/write`, bodies);
    // Every sample must be queryable: count them all at the end of the day, one metric name at a
    // time (count_over_time drops the name, so series of different metrics would collide).
    let held = 0;
    for (const name of names)
      held += await promCount(url, `sum(count_over_time(${name}{job="node"}[3d]))`, last);
    if (held !== samples) throw new Error(`prometheus holds ${held} samples, ${samples} were sent`);
    const res = await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    const body = (await res.json()) as { status: string; data?: { name: string } };
    if (body.status !== 'success' || body.data === undefined)
      throw new Error(`prometheus snapshot failed: ${JSON.stringify(body)}`);
    const files = sizesByTop(path.join(prom.dir, 'data', 'snapshots', body.data.name), (rel) =>
      // Group by file kind across blocks: chunks, index, meta.json, tombstones.
      rel.includes(`chunks${path.sep}`) ? 'chunks' : path.basename(rel),
    );
    return figures(files, samples, seconds, held);
  } finally {
    await prom.stop();
  }
}

async function measureVictoria(bodies: Uint8Array[], samples: number): Promise<PeerFigures> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-peer-vm-'));
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const data = path.join(dir, 'data');
    const peer = await startPeer(
      VICTORIA_BIN,
      [`-storageDataPath=${data}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y'],
      `${url}/health`,
    );
    try {
      const seconds = await writeAll(`${url}/api/v1/write`, bodies);
      const flush = await fetch(`${url}/internal/force_flush`);
      if (!flush.ok) throw new Error(`victoria-metrics force_flush: HTTP ${flush.status}`);
      // Rows in its storage parts (in-memory, small and big), from its own metrics.
      const held = await until(async () => {
        const rows = await vmRows(url);
        return rows === samples ? rows : undefined;
      }, 60_000).catch(async () => vmRows(url));
      if (held !== samples) throw new Error(`victoria-metrics holds ${held} samples, ${samples} were sent`);
      // Wait for background merges: measure once the size is the same three seconds apart.
      let files = sizesByTop(data, (rel) => rel.split(path.sep)[0]);
      for (let i = 0; i < 20; i++) {
        await sleep(3000);
        const again = sizesByTop(data, (rel) => rel.split(path.sep)[0]);
        const same = total(again) === total(files);
        files = again;
        if (same) break;
      }
      return figures(files, samples, seconds, held);
    } finally {
      await peer.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends the bodies one after another (per-series time order must hold), as Prometheus would. */
async function writeAll(url: string, bodies: Uint8Array[]): Promise<number> {
  const started = performance.now();
  for (const body of bodies) {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Encoding': 'snappy',
        'Content-Type': 'application/x-protobuf',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
        'User-Agent': 'telemux-bench',
      },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${text}`);
  }
  return (performance.now() - started) / 1000;
}

async function promCount(url: string, expr: string, atMs: number): Promise<number> {
  const q = new URLSearchParams({ query: expr, time: String((atMs + 1000) / 1000) });
  const res = await fetch(`${url}/api/v1/query?${q}`);
  const body = (await res.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`prometheus query failed: ${JSON.stringify(body)}`);
  return body.data.result.length === 0 ? 0 : Number(body.data.result[0].value[1]);
}

async function vmRows(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let rows = 0;
  for (const m of text.matchAll(/^vm_rows\{type="storage\/[a-z]+"\} (\d+)$/gm)) rows += Number(m[1]);
  return rows;
}

function figures(files: Record<string, number>, samples: number, seconds: number, held: number): PeerFigures {
  const bytes = total(files);
  return { bytes, bytesPerSample: bytes / samples, seconds, samples: held, files };
}

function total(files: Record<string, number>): number {
  return Object.values(files).reduce((a, b) => a + b, 0);
}

/** Sizes of every regular file under `root`, summed by `group(relative path)`. */
function sizesByTop(root: string, group: (rel: string) => string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const key = group(path.relative(root, p));
        out[key] = (out[key] ?? 0) + fs.statSync(p).size;
      }
    }
  };
  walk(root);
  return out;
}
