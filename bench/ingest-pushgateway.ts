// Push groups for bench/ingest.ts: 10,000 groups pushed (PUT /metrics/job/bench/instance/<i>, a
// batch job's four metrics each) with 16 concurrent clients into telemux and into Debian's
// prometheus-pushgateway 1.5.1, then /metrics scraped with all groups held. Both run as processes
// of their own on loopback ports. The Pushgateway checks every push against all groups it holds, so
// its pushes slow down as groups accumulate; it gets a time budget, and what it reached is printed.
// Scrape times are compared at the same number of groups: when the Pushgateway held fewer, a second
// telemux gets just as many.

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, startPeer } from '../test/helpers/peer-process.ts';
import { startTelemux } from './telemux-process.ts';

const GROUPS = 10_000;
const CONCURRENCY = 16;
const SCRAPES = 7;
/** Scrapes before the timed ones (caches, JIT, the client's connection). */
const UNTIMED_SCRAPES = 2;
const PUSHGATEWAY_BIN = '/usr/bin/prometheus-pushgateway';

export interface PushFigures {
  /** Groups pushed (all of them, unless the time budget ran out). */
  readonly groups: number;
  readonly pushesPerSecond: number;
  /** Median time of a full /metrics scrape, in ms. */
  readonly scrapeMs: number;
  readonly scrapeBytes: number;
}

function body(i: number): string {
  return [
    '# TYPE batch_job_last_success_timestamp_seconds gauge',
    `batch_job_last_success_timestamp_seconds ${1_700_000_000 + i}`,
    '# TYPE batch_job_duration_seconds gauge',
    `batch_job_duration_seconds ${(i % 97) / 7}`,
    '# TYPE batch_job_records_processed_total counter',
    `batch_job_records_processed_total ${i * 3}`,
    '# TYPE batch_job_errors_total counter',
    `batch_job_errors_total ${i % 3}`,
    '',
  ].join('\n');
}

async function measure(base: string, budgetMs: number, groups = GROUPS): Promise<PushFigures> {
  const bodies = Array.from({ length: groups }, (_, i) => body(i));
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= groups || performance.now() - started > budgetMs) return;
        const res = await fetch(`${base}/metrics/job/bench/instance/host-${i}`, {
          method: 'PUT',
          body: bodies[i],
        });
        if (res.status !== 200 && res.status !== 202)
          throw new Error(`push ${i}: HTTP ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        done++;
      }
    }),
  );
  const pushesPerSecond = done / ((performance.now() - started) / 1000);
  const times: number[] = [];
  let bytes = 0;
  for (let k = 0; k < UNTIMED_SCRAPES + SCRAPES; k++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/metrics`, { headers: { Accept: 'text/plain;version=0.0.4' } });
    bytes = (await res.arrayBuffer()).byteLength;
    if (k >= UNTIMED_SCRAPES) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { groups: done, pushesPerSecond, scrapeMs: times[Math.floor(SCRAPES / 2)], scrapeBytes: bytes };
}

async function withTelemux<T>(fn: (base: string) => Promise<T>): Promise<T> {
  const target = await startTelemux();
  try {
    return await fn(target.url);
  } finally {
    await target.stop();
  }
}

async function withPushgateway<T>(fn: (base: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A fresh persistence file: Debian's build defaults to /var/lib/prometheus/pushgateway.data, so
  // without one every run would start with the groups all earlier runs pushed.
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-bench-pg-'));
  const peer = await startPeer(
    PUSHGATEWAY_BIN,
    [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${path.join(dir, 'pushgateway.data')}`],
    `${base}/-/ready`,
  );
  try {
    return await fn(base);
  } finally {
    await peer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measurePushes(): Promise<{
  telemux: PushFigures;
  pushgateway: PushFigures;
  /** telemux holding as many groups as the Pushgateway reached (its scrape is compared). */
  telemuxAtPeerGroups: PushFigures;
}> {
  const telemux = await withTelemux((base) => measure(base, 300_000));
  const pushgateway = await withPushgateway((base) => measure(base, 150_000));
  const telemuxAtPeerGroups =
    pushgateway.groups === telemux.groups
      ? telemux
      : await withTelemux((base) => measure(base, 300_000, pushgateway.groups));
  return { telemux, pushgateway, telemuxAtPeerGroups };
}
