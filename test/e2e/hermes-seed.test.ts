// Acceptance: the exact datagrams of the Hermes README, sent to a running `telemux serve` by a
// python3 script (standard library only) and by telemux/client, show up on /metrics as Hermes
// (client_golang) would expose them.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HermesClient } from '../../src/client/index.ts';
import { eventually } from '../helpers/prometheus.ts';
import { startTelemux, type TelemuxProcess } from '../helpers/telemux-process.ts';

const run = promisify(execFile);
const definitions = fileURLToPath(new URL('../fixtures/hermes-seed.json', import.meta.url));
const pythonSender = fileURLToPath(new URL('../inputs/hermes/send_seed_packets.py', import.meta.url));

const DEFAULT_BOUNDS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'];
const L1 = 'label_1="testing label 1"';
const L12 = 'label_1="testing label 1",label_2="testing label 2"';

let telemux: TelemuxProcess;

before(async () => {
  telemux = await startTelemux([
    `--hermes.definitions=${definitions}`,
    '--hermes.metrics_listen=127.0.0.1:0',
  ]);
});
after(async () => {
  await telemux?.stop();
});

async function metrics(listener = 'http'): Promise<string> {
  return (await fetch(`http://${telemux.addresses[listener]}/metrics`)).text();
}

async function metricsContaining(...lines: string[]): Promise<string> {
  return eventually(async () => {
    const body = await metrics();
    return lines.every((l) => body.split('\n').includes(l)) ? body : undefined;
  }, 5000);
}

function histogramLines(name: string, labels: string, observations: number[]): string[] {
  const lines = DEFAULT_BOUNDS.map(
    (le) => `${name}_bucket{${labels},le="${le}"} ${observations.filter((o) => o <= Number(le)).length}`,
  );
  lines.push(`${name}_bucket{${labels},le="+Inf"} ${observations.length}`);
  lines.push(`${name}_sum{${labels}} ${observations.reduce((a, b) => a + b, 0)}`);
  lines.push(`${name}_count{${labels}} ${observations.length}`);
  return lines;
}

test('the README packets sent by a python3 script (standard library only)', async () => {
  const { host, port } = hostPort(telemux.addresses.hermes);
  const { stdout } = await run('python3', [pythonSender, host, String(port)]);
  assert.equal(stdout.trim(), '6');
  const body = await metricsContaining(
    `sample_counter{${L1}} 1`,
    `sample_gauge{${L12}} 65.4`,
    ...histogramLines('sample_histogram', L1, [65.4]),
    `sample_summary_sum{${L1}} 65.4`,
    `sample_summary_count{${L1}} 1`,
  );
  assert.match(body, /^# HELP sample_counter counters are awesome too$/m);
  assert.match(body, /^# TYPE sample_counter counter$/m);
  assert.match(body, /^# TYPE sample_histogram histogram$/m);
  assert.match(body, /^# TYPE sample_summary summary$/m);
  assert.doesNotMatch(body, /sample_summary\{.*quantile=/, 'no quantiles: only _sum and _count, as Hermes');
  // The drop-in listener serves the same Hermes families, and nothing else.
  const dropIn = await metrics('hermes_metrics');
  assert.ok(dropIn.includes(`sample_gauge{${L12}} 65.4`));
  assert.ok(!dropIn.includes('telemux_'));
});

test('the same packets through telemux/client, with the gauge checked after each operation', async () => {
  const { host, port } = hostPort(telemux.addresses.hermes);
  const client = new HermesClient({ host, port });
  const labels = { label_1: 'client', label_2: 'x' };
  const gauge = 'sample_gauge{label_1="client",label_2="x"}';
  try {
    client.incrementCounter('sample_counter', { label_1: 'client' });
    client.incrementCounter('sample_counter', { label_1: 'client' });
    await metricsContaining('sample_counter{label_1="client"} 2');

    client.incrementGauge('sample_gauge', labels);
    client.incrementGauge('sample_gauge', labels);
    await metricsContaining(`${gauge} 2`);
    client.decrementGauge('sample_gauge', labels);
    await metricsContaining(`${gauge} 1`);
    client.setGauge('sample_gauge', 65.4, labels);
    await metricsContaining(`${gauge} 65.4`);

    client.observeHistogram('sample_histogram', 0.003, { label_1: 'client' });
    client.observeHistogram('sample_histogram', 0.7, { label_1: 'client' });
    client.observeHistogram('sample_histogram', 12, { label_1: 'client' });
    await metricsContaining(...histogramLines('sample_histogram', 'label_1="client"', [0.003, 0.7, 12]));

    client.observeSummary('sample_summary', 5, { label_1: 'client' });
    client.observeSummary('sample_summary', 20.84, { label_1: 'client' });
    await metricsContaining(
      'sample_summary_sum{label_1="client"} 25.84',
      'sample_summary_count{label_1="client"} 2',
    );
    await client.flush();
    assert.equal(client.errors, 0);
  } finally {
    client.close();
  }
});

test('a packet missing a label is dropped and counted, and telemux keeps serving', async () => {
  const { host, port } = hostPort(telemux.addresses.hermes);
  const client = new HermesClient({ host, port });
  client.incrementGauge('sample_gauge', { label_1: 'only one' }); // Hermes panics on this one
  client.incrementCounter('sample_counter', { label_1: 'after' });
  await client.flush();
  client.close();
  await metricsContaining(
    'telemux_input_dropped_total{input="hermes",reason="missing_label"} 1',
    'sample_counter{label_1="after"} 1',
  );
});

function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

test('telemux/client resolves as the package export a user imports', async () => {
  const { host, port } = hostPort(telemux.addresses.hermes);
  const script = `import { HermesClient, incrementCounter, configure } from 'telemux/client';
    configure(${JSON.stringify(host)}, ${port});
    incrementCounter('sample_counter', { label_1: 'export' });
    const c = new HermesClient({ host: ${JSON.stringify(host)}, port: ${port} });
    c.incrementCounter('sample_counter', { label_1: 'export' });
    await c.flush(); c.close();
    console.log(typeof HermesClient);`;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  assert.equal(stdout.trim(), 'function');
  await metricsContaining('sample_counter{label_1="export"} 2');
});
