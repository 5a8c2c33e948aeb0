// A real Prometheus (Debian's package) for interop tests: started on a free loopback port with a
// temporary data directory and config, stopped by PID. scripts/install-peers.sh installs it.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrometheusServer {
  readonly url: string;
  readonly child: ChildProcess;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(configYaml: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`prometheus not ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
      return body.data.result;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
