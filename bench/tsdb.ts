// The embedded store against its peers. Prints figures and ratios:
// (a) bytes per sample on disk for the standard day (1,000 node_exporter-like series, 24 h at
//     15 s), written into telemux and, in the same run, remote-written into Prometheus 2.42 and
//     VictoriaMetrics 1.79 (Debian packages, started on loopback ports and stopped after);
// (b) append rate on one core (samples/s), head only and through the WAL;
// (c) memory per active series beyond its compressed samples;
// (d) time to reopen a head of 1M samples (WAL replay).
// Goals: ≤ 1.0 byte/sample, ≥ 1.5 M samples/s, ≤ 1 KiB per active series.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Labels } from '../src/model/labels.ts';
import { TimeSeriesDb } from '../src/tsdb/db/db.ts';
import { Head } from '../src/tsdb/head/head.ts';
import { type NodeDataset, nodeDataset } from './node-dataset.ts';
import { measurePeers } from './tsdb-peers.ts';

const BYTES_GOAL = 1.0;
const APPEND_GOAL = 1_500_000;
const MEMORY_GOAL = 1024;
const FOREVER = 100 * 365 * 86_400_000;

function tmp(): string {
  return fs.mkdtempSync(path.join(tmpdir(), 'telemux-bench-'));
}

function duBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? duBytes(p) : fs.statSync(p).size;
  }
  return n;
}

/** Writes the day in time order (every series per scrape), 1,000 samples per commit, as a receiver would. */
async function writeDay(db: TimeSeriesDb, data: NodeDataset): Promise<number> {
  const n = data.ts[0].length;
  const handles = data.labels.map((l) => db.head.getOrCreate(l)!);
  let samples = 0;
  for (let i = 0; i < n; i++) {
    const app = db.appender();
    for (let s = 0; s < handles.length; s++) {
      app.append(handles[s], data.ts[s][i], data.values[s][i]);
      samples++;
    }
    await app.commit();
    if (i % 240 === 0) await db.maintain();
  }
  await db.maintain();
  return samples;
}

async function bytesPerSample(data: NodeDataset): Promise<{ bytes: number; samples: number }> {
  const dir = tmp();
  try {
    const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER, walFsync: 'never' });
    const samples = await writeDay(db, data);
    // Like Prometheus' snapshot: every block plus the head written as one more block; WAL excluded.
    const name = await db.snapshot();
    const bytes = duBytes(path.join(dir, 'snapshots', name));
    await db.close();
    return { bytes, samples };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function appendRate(data: NodeDataset, withWal: boolean): Promise<number> {
  const dir = tmp();
  try {
    const db = withWal
      ? TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER, walFsync: 'never' })
      : undefined;
    const head = db?.head ?? new Head();
    const handles = data.labels.map((l) => head.getOrCreate(l)!);
    const n = data.ts[0].length;
    const started = performance.now();
    let samples = 0;
    for (let i = 0; i < n; i++) {
      const app = head.appender();
      for (let s = 0; s < handles.length; s++) app.append(handles[s], data.ts[s][i], data.values[s][i]);
      samples += handles.length;
      await app.commit();
    }
    const rate = samples / ((performance.now() - started) / 1000);
    await db?.close();
    return rate;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Heap per series beyond its chunk bytes, measured in a fresh process (bench/tsdb-memory.ts). */
function memoryPerSeries(): { perSeries: number; compressedPerSeries: number } {
  const script = fileURLToPath(new URL('./tsdb-memory.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function reopenTime(): Promise<{ ms: number; samples: number }> {
  const dir = tmp();
  try {
    const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER, walFsync: 'never' });
    const handles = Array.from(
      { length: 1000 },
      (_, s) => db.head.getOrCreate(Labels.from({ __name__: 'm', s: String(s) }))!,
    );
    for (let i = 0; i < 1000; i++) {
      const app = db.appender();
      for (const h of handles) app.append(h, 1_700_000_000_000 + i * 15_000, i * 0.5);
      await app.commit();
    }
    await db.close();
    const started = performance.now();
    const again = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: FOREVER });
    const ms = performance.now() - started;
    const samples = again.head.samplesAppended;
    await again.close();
    return { ms, samples };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d });

export async function run(): Promise<void> {
  const data = nodeDataset('standard');
  const ours = await bytesPerSample(data);
  const bps = ours.bytes / ours.samples;
  console.log(
    `(a) standard day, ${fmt(ours.samples, 0)} samples: telemux ${fmt(bps, 3)} bytes/sample on disk (${fmt(ours.bytes, 0)} bytes) — goal ≤ ${BYTES_GOAL}: ${bps <= BYTES_GOAL ? 'met' : 'MISSED'}`,
  );
  try {
    const peers = await measurePeers(data);
    for (const [name, p] of Object.entries(peers)) {
      console.log(
        `    ${name}: ${fmt(p.bytesPerSample, 3)} bytes/sample (${fmt(p.bytes, 0)} bytes) — telemux/${name} = ${fmt(bps / p.bytesPerSample, 2)}`,
      );
    }
  } catch (err) {
    console.log(`    peers could not be measured: ${(err as Error).message}`);
  }
  const headRate = await appendRate(data, false);
  const walRate = await appendRate(data, true);
  console.log(
    `(b) append rate, one core: head ${fmt(headRate / 1e6)} M samples/s; head + WAL ${fmt(walRate / 1e6)} M samples/s — goal ≥ ${APPEND_GOAL / 1e6} M: ${walRate >= APPEND_GOAL ? 'met' : 'MISSED'}`,
  );
  const mem = memoryPerSeries();
  console.log(
    `(c) memory per active series beyond its compressed samples: ${fmt(mem.perSeries, 0)} bytes (compressed samples: ${fmt(mem.compressedPerSeries, 0)} bytes/series) — goal ≤ ${MEMORY_GOAL}: ${mem.perSeries <= MEMORY_GOAL ? 'met' : 'MISSED'}`,
  );
  const reopen = await reopenTime();
  console.log(
    `(d) reopening a head of ${fmt(reopen.samples, 0)} samples (WAL replay): ${fmt(reopen.ms, 0)} ms`,
  );
}
