// A real Prometheus (Debian 2.42) scrapes telemux, and promtool lints telemux's /metrics in both
// formats: proof that what we expose is what the Prometheus ecosystem reads.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, type PrometheusServer, startPrometheus } from '../helpers/prometheus.ts';
import { startTelemux, type TelemuxProcess } from '../helpers/telemux-process.ts';

const definitions = fileURLToPath(new URL('../fixtures/hermes-lint-clean.json', import.meta.url));

let telemux: TelemuxProcess;
let prometheus: PrometheusServer;

async function sendHermes(packets: object[]): Promise<void> {
  const [host, port] = telemux.addresses.hermes.split(':');
  const sock = createSocket('udp4');
  for (const p of packets) {
    await new Promise<void>((resolve, reject) =>
      sock.send(JSON.stringify(p), Number(port), host, (err) => (err ? reject(err) : resolve())),
    );
  }
  sock.close();
}

function promtoolCheckMetrics(body: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
    child.stdin.end(body);
  });
}

before(async () => {
  telemux = await startTelemux([`--hermes.definitions=${definitions}`]);
  await sendHermes([
    { metric_name: 'worker_jobs_processed_total', payload: { labels: { outcome: 'ok' } } },
    { metric_name: 'worker_jobs_processed_total', payload: { labels: { outcome: 'ok' } } },
    { metric_name: 'worker_jobs_processed_total', payload: { labels: { outcome: 'failed' } } },
    {
      metric_name: 'worker_queue_depth',
      payload: { labels: { queue: 'q"1\\' }, operation: 'set', value: 42.5 },
    },
    { metric_name: 'worker_job_duration_seconds', payload: { labels: { queue: 'main' }, observation: 0.3 } },
    { metric_name: 'worker_job_duration_seconds', payload: { labels: { queue: 'main' }, observation: 7 } },
    { metric_name: 'worker_payload_bytes', payload: { labels: { queue: 'main' }, observation: 512 } },
  ]);
  await eventually(async () => {
    const text = await (await fetch(`http://${telemux.addresses.http}/metrics`)).text();
    return text.includes('worker_payload_bytes_count{queue="main"} 1');
  }, 10000);
});

after(async () => {
  await prometheus?.stop();
  await telemux?.stop();
});

test('promtool check metrics finds no problem in the text 0.0.4 exposition', async () => {
  const res = await fetch(`http://${telemux.addresses.http}/metrics`, { headers: { accept: 'text/plain' } });
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const body = await res.text();
  const { code, output } = await promtoolCheckMetrics(body);
  assert.equal(output, '', `promtool reported:\n${output}`);
  assert.equal(code, 0);
});

// promtool 2.42 reads every input as text 0.0.4. An OpenMetrics counter is `# TYPE foo counter`
// with the sample `foo_total`, which that parser files under a second, untyped family with
// "no help text" (telemux writes no `_created` lines by default, as client_golang). Those findings
// are promtool not knowing OpenMetrics; anything else (a parse error, a bad name, a lint of a real
// family) fails the test. The real OpenMetrics
// parser is exercised by Prometheus itself below (it asks for OpenMetrics first when it scrapes).
test('promtool check metrics finds no problem in the OpenMetrics exposition', async () => {
  const res = await fetch(`http://${telemux.addresses.http}/metrics`, {
    headers: { accept: 'application/openmetrics-text;version=1.0.0' },
  });
  assert.match(res.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
  const body = await res.text();
  assert.ok(body.endsWith('# EOF\n'));
  assert.doesNotMatch(body, /_created/);
  const typed = new Map([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  const { code, output } = await promtoolCheckMetrics(body);
  const findings = output.split('\n').filter((l) => l !== '');
  const real = findings.filter((l) => {
    const m = /^(\S+)_total no help text$/.exec(l);
    return !(m && typed.get(m[1]) === 'counter');
  });
  assert.deepEqual(real, [], `promtool reported, beyond OpenMetrics sample names:\n${real.join('\n')}`);
  assert.ok(code === 0 || (code === 3 && findings.length > 0), `promtool exit code ${code}`);
});

test('a real Prometheus scrapes telemux and its query API returns the pushed values', async () => {
  prometheus = await startPrometheus(
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: telemux',
      '    static_configs:',
      `      - targets: ['${telemux.addresses.http}']`,
    ].join('\n'),
  );
  const up = await eventually(async () => {
    const r = await prometheus.query('up{job="telemux"}');
    return r.length === 1 && r[0].value[1] === '1' ? r : undefined;
  });
  assert.equal(up[0].metric.instance, telemux.addresses.http);

  const ok = await prometheus.query('worker_jobs_processed_total{outcome="ok"}');
  assert.equal(ok[0].value[1], '2');
  const failed = await prometheus.query('worker_jobs_processed_total{outcome="failed"}');
  assert.equal(failed[0].value[1], '1');
  const depth = await prometheus.query('worker_queue_depth');
  assert.equal(depth[0].value[1], '42.5');
  assert.equal(depth[0].metric.queue, 'q"1\\');
  const le = await prometheus.query('worker_job_duration_seconds_bucket{le="0.5"}');
  assert.equal(le[0].value[1], '1');
  const inf = await prometheus.query('worker_job_duration_seconds_bucket{le="+Inf"}');
  assert.equal(inf[0].value[1], '2');
  const sum = await prometheus.query('worker_job_duration_seconds_sum');
  assert.equal(sum[0].value[1], '7.3');
  const q = await prometheus.query('worker_payload_bytes{quantile="0.5"}');
  assert.equal(q[0].value[1], '512');
  const self = await prometheus.query('telemux_input_received_total{input="hermes"}');
  assert.equal(self[0].value[1], '7');
  // Prometheus asked for OpenMetrics, so its own OpenMetrics parser read every scrape above.
  // (The counter counts a response after rendering it, so it shows from the second scrape on.)
  await eventually(async () => {
    const om = await prometheus.query('telemux_exposition_responses_total{protocol="openmetrics-1.0.0"} > 0');
    return om.length === 1;
  });
});
