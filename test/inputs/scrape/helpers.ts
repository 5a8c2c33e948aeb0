// Test helpers for scraping: a tiny HTTP target whose answer a test changes between scrapes, and
// reading samples back out of a store with their exact bit patterns.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  parseScrapeConfig,
  type ScrapeConfig,
  type ScrapeConfigInput,
} from '../../../src/inputs/scrape/config.ts';
import { float64Bits } from '../../../src/model/staleness.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';

export interface TargetReply {
  status: number;
  body: string;
  contentType: string;
  delayMs: number;
  gzip: boolean;
}

export interface TestTarget {
  readonly address: string;
  readonly reply: TargetReply;
  /** Headers and URL of every request received. */
  readonly requests: { url: string; headers: http.IncomingHttpHeaders }[];
  /** When set, answers instead of `reply` (e.g. to negotiate on Accept). */
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  close(): Promise<void>;
}

export async function startTarget(initial: Partial<TargetReply> = {}): Promise<TestTarget> {
  const reply: TargetReply = {
    status: 200,
    body: '',
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    delayMs: 0,
    gzip: false,
    ...initial,
  };
  const requests: TestTarget['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const target: Partial<TestTarget> & { handler?: TestTarget['handler'] } = {};
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (target.handler !== undefined) {
      target.handler(req, res);
      return;
    }
    const send = () => {
      timers.delete(timer);
      if (res.destroyed) return;
      const headers: Record<string, string> = { 'content-type': reply.contentType };
      let body: Buffer = Buffer.from(reply.body);
      if (reply.gzip) {
        body = zlib.gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(reply.status, headers).end(body);
    };
    const timer = setTimeout(send, reply.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(target, {
    address: `127.0.0.1:${port}`,
    reply,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as TestTarget;
}

export function tempDb(): { db: TimeSeriesDb; dir: string; cleanup: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemux-scrape-'));
  const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
  return {
    db,
    dir,
    cleanup: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every series matching `matchers` (name=value pairs): label string → [t, value bits][]. */
export function read(db: TimeSeriesDb, match: Record<string, string>): Map<string, [number, bigint][]> {
  const matchers = Object.entries(match).map(([k, v]) => Matcher.equal(k, v));
  const out = new Map<string, [number, bigint][]>();
  for (const s of db.querier(0, Number.MAX_SAFE_INTEGER).select(matchers)) {
    const rows: [number, bigint][] = [];
    const it = s.iterator();
    while (it.next()) rows.push([it.t, float64Bits(it.v)]);
    out.set(s.labels.toString(), rows);
  }
  return out;
}

/** The only series matching, which must exist. */
export function only(db: TimeSeriesDb, match: Record<string, string>): [number, bigint][] {
  const all = read(db, match);
  if (all.size !== 1)
    throw new Error(`expected one series for ${JSON.stringify(match)}, got ${[...all.keys()]}`);
  return [...all.values()][0];
}

export const bits = float64Bits;

export function job(input: Partial<ScrapeConfigInput> & { targets: string[] }): ScrapeConfig {
  const { targets, ...rest } = input;
  return parseScrapeConfig({ job_name: 'test', static_configs: [{ targets }], ...rest });
}

/** A clock for sample timestamps: 1000, 2000, 3000, … */
export function steppingClock(stepMs = 1000): () => number {
  let t = 0;
  return () => (t += stepMs);
}
