// Running third-party peers (Prometheus, VictoriaMetrics, the Pushgateway…) for interop tests and
// benchmarks: start a binary on a loopback port, wait until it answers, stop it by PID.

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';

export interface Peer {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a peer binary and waits until `readyUrl` answers 2xx; stops it by PID (SIGTERM, then SIGKILL). */
export async function startPeer(bin: string, args: string[], readyUrl: string): Promise<Peer> {
  if (bin.includes('/') && !fs.existsSync(bin))
    throw new Error(`${bin} is missing: run scripts/install-peers.sh`);
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`${bin} exited: ${stderr}`);
      return (await fetch(readyUrl).catch(() => undefined))?.ok;
    }, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`${bin} did not become ready: ${(err as Error).message}\n${stderr}`);
  }
  return { child, stop };
}

export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`not done in ${timeoutMs} ms`);
    await sleep(200);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

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
