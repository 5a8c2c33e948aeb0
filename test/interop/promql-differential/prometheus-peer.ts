// The reference: Debian's Prometheus 2.42 as a remote_write receiver that scrapes nothing, on a free
// loopback port with a temporary data directory, stopped by PID. scripts/install-peers.sh installs it.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/prometheus.ts';

export interface PrometheusPeer {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

export async function startReceivingPrometheus(): Promise<PrometheusPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-promql-diff-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited: ${stderr}`);
    }
    const ready = await fetch(`${url}/-/ready`).catch(() => undefined);
    if (ready?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = (await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as {
    data: { version: string };
  };
  return { url, version: info.data.version, stop };
}
