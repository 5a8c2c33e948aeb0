// Scrapes a real exporter: Debian's prometheus-node-exporter, started on a free loopback port.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { ScrapeResult } from '../../../src/inputs/scrape/loop.ts';
import { ScrapeManager } from '../../../src/inputs/scrape/manager.ts';
import { float64FromBits } from '../../../src/model/staleness.ts';
import { bits, job, only, read, tempDb } from './helpers.ts';

const BINARY = '/usr/bin/prometheus-node-exporter';
const available = fs.existsSync(BINARY);

let exporter: ChildProcess | undefined;
let address = '';
let store: ReturnType<typeof tempDb> | undefined;
let manager: ScrapeManager | undefined;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForListener(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`node exporter did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  if (!available) return;
  const port = await freePort();
  address = `127.0.0.1:${port}`;
  exporter = spawn(
    BINARY,
    [
      `--web.listen-address=${address}`,
      // Collectors that need systemd/dbus or hardware a container lacks only add errors.
      '--no-collector.systemd',
      '--no-collector.hwmon',
      '--no-collector.thermal_zone',
    ],
    { stdio: 'ignore' },
  );
  await waitForListener(port, 10_000);
  store = tempDb();
});

after(async () => {
  await manager?.stop();
  if (exporter?.pid !== undefined && exporter.exitCode === null) {
    const exited = new Promise((r) => exporter!.once('exit', r));
    process.kill(exporter.pid, 'SIGTERM');
    await exited;
  }
  await store?.cleanup();
});

test('scrapes prometheus-node-exporter: up, node_* series, scrape_samples_scraped', {
  skip: !available,
}, async () => {
  const db = store!.db;
  manager = new ScrapeManager({
    configs: [job({ job_name: 'node', targets: [address], scrape_interval: '30s', scrape_timeout: '10s' })],
    storage: db,
  });
  const results: ScrapeResult[] = [];
  for (let i = 0; i < 3; i++) {
    const [r] = await manager.scrapeAll();
    assert.equal(r.up, true, r.error);
    results.push(r);
    await new Promise((res) => setTimeout(res, 20)); // distinct millisecond timestamps
  }
  const ups = only(db, { __name__: 'up', job: 'node', instance: address });
  assert.equal(ups.length, 3);
  assert.ok(ups.every(([, v]) => v === bits(1)));

  const scraped = only(db, { __name__: 'scrape_samples_scraped', job: 'node' });
  assert.equal(scraped.length, 3);
  for (const [i, [, v]] of scraped.entries()) {
    const n = float64FromBits(v);
    assert.equal(n, results[i].samplesScraped);
    assert.ok(n > 100, `node exporter exposes many samples, got ${n}`);
  }
  // First scrape adds everything; the series set of a node exporter is mostly stable after that.
  assert.equal(results[0].seriesAdded, results[0].samplesScraped);

  const cpu = read(db, { __name__: 'node_cpu_seconds_total', job: 'node' });
  assert.ok(cpu.size > 0, 'node_cpu_seconds_total series');
  for (const key of cpu.keys()) assert.match(key, new RegExp(`instance="${address}", job="node", mode="`));
  const boot = only(db, { __name__: 'node_boot_time_seconds', job: 'node' });
  assert.equal(boot.length, 3);
  assert.ok(read(db, { __name__: 'node_exporter_build_info', job: 'node' }).size === 1);
  const status = manager.targets()[0];
  assert.equal(status.health, 'up');
  assert.equal(status.lastError, '');
});
