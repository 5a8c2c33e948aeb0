// Runs the real `telemux serve` command as a child process (the built CLI in dist/, exactly what a
// user runs), on port 0 everywhere, and reads the bound addresses from its JSON log.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface TelemuxProcess {
  readonly child: ChildProcess;
  /** Listener name → `host:port`, as logged at start. */
  readonly addresses: Record<string, string>;
  readonly logs: Record<string, unknown>[];
  /** Sends SIGTERM and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startTelemux(
  args: string[],
  env: Record<string, string> = {},
): Promise<TelemuxProcess> {
  // Each process gets a store of its own unless the test names one (e.g. to restart on it).
  const ownStore = args.some((a) => a.startsWith('--storage.path='))
    ? undefined
    : mkdtempSync(join(tmpdir(), 'telemux-store-'));
  const storeArgs = ownStore === undefined ? [] : [`--storage.path=${ownStore}`];
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--http.listen=127.0.0.1:0',
      '--hermes.listen=127.0.0.1:0',
      '--statsd.listen_udp=127.0.0.1:0',
      '--statsd.listen_tcp=127.0.0.1:0',
      '--log.format=json',
      ...storeArgs,
      ...args,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] },
  );
  const logs: Record<string, unknown>[] = [];
  const addresses: Record<string, string> = {};
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (ownStore !== undefined) rmSync(ownStore, { recursive: true, force: true });
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`telemux did not become ready: ${JSON.stringify(logs)}`)),
      15000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`telemux exited with ${code} before it was ready: ${JSON.stringify(logs)}`));
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line);
      } catch {
        return;
      }
      logs.push(rec);
      if (rec.msg === 'listening') addresses[String(rec.listener)] = String(rec.address);
      if (rec.msg === 'telemux ready') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    child,
    addresses,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
