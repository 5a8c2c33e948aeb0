// telemux itself as a benchmark target: `telemux serve` in a process of its own, from the build
// (`dist/`, what `npm start` runs; bench/run.ts builds first), HTTP only, on a loopback port with a
// temporary store, stopped by PID.

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, until } from '../test/helpers/peer-process.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Target {
  readonly url: string;
  /** The server's process id, where the benchmark knows it (for its CPU time). */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** The space-separated words of environment variable `name` (none when it is unset). */
export function envWords(name: string): string[] {
  return (process.env[name] ?? '').split(' ').filter((a) => a !== '');
}

/**
 * `extraArgs` are more `--dotted.key=value` overrides, after the defaults below; `cli`, another
 * build's `cli.js` (to compare two builds); `nodeArgs`, node's own flags before it.
 */
export async function startTelemux(
  extraArgs: readonly string[] = [],
  cli = CLI,
  nodeArgs: readonly string[] = envWords('BENCH_NODE_OPTIONS'),
): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-bench-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // e.g. BENCH_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile telemux under load.
      ...nodeArgs,
      cli,
      'serve',
      `--http.listen=127.0.0.1:${port}`,
      '--hermes.listen=',
      '--statsd.listen_udp=',
      '--statsd.listen_tcp=',
      `--storage.path=${dir}`,
      // The benchmark data lies in 2023: keep it from expiring.
      '--storage.retention_time=100y',
      '--log.level=warn',
      ...extraArgs,
    ],
    { stdio: ['ignore', process.env.BENCH_STDOUT ? 'inherit' : 'ignore', 'inherit'] },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid, stop };
}
