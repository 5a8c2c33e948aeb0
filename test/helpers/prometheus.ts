// A real Prometheus (Debian's package) for interop tests: started on a free loopback port with a
// temporary data directory and config, stopped by PID. scripts/install-peers.sh installs it.

import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, type Peer, startPeer } from './peer-process.ts';

/** Where Debian's package puts it (scripts/install-peers.sh). */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export const run = promisify(execFile);

export { freePort };

export interface PrometheusServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** The temporary directory holding its config and data (removed by stop()). */
  readonly dir: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * Debian's Prometheus with `configYaml` and a temporary data directory on a free loopback port;
 * `extraArgs` are more flags (e.g. `--web.enable-remote-write-receiver`).
 */
export async function startPrometheus(
  configYaml: string,
  extraArgs: readonly string[] = [],
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let peer: Peer;
  try {
    peer = await startPeer(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...extraArgs,
      ],
      `${url}/-/ready`,
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    child: peer.child,
    dir,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
      return body.data.result;
    },
    async stop() {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Prometheus that scrapes nothing and takes remote_write (the reference store of a comparison). */
export function startReceivingPrometheus(extraArgs: readonly string[] = []): Promise<PrometheusServer> {
  return startPrometheus('global: {}\n', ['--web.enable-remote-write-receiver', ...extraArgs]);
}

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A Prometheus that scrapes itself every second and remote-writes what it scrapes to `writeUrl`
 * (metadata too). Its own port is only known once it runs, so the target is handed over through
 * file_sd after start. Stopping it also removes its files.
 */
export async function startSelfScrapingPrometheus(writeUrl: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-prom-sd-'));
  const targets = join(dir, 'targets.json');
  writeFileSync(targets, '[]');
  const prom = await startPrometheus(`
global: { scrape_interval: 1s }
scrape_configs:
  - job_name: self
    file_sd_configs: [{ files: ['${targets}'], refresh_interval: 1s }]
remote_write:
  - url: ${writeUrl}
    queue_config: { batch_send_deadline: 1s }
    metadata_config: { send: true, send_interval: 1s }
`);
  writeFileSync(targets, JSON.stringify([{ targets: [new URL(prom.url).host] }]));
  return {
    ...prom,
    async stop() {
      await prom.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
