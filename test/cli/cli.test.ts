// The `telemux` command as a user runs it: the built bin, real processes, real sockets.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, startTelemux } from '../helpers/telemux-process.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'telemux-cli-'));

async function telemux(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('--version prints the package version, --help the usage', async () => {
  const v = await telemux('--version');
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^telemux \d+\.\d+\.\d+\n$/);
  const h = await telemux('--help');
  assert.equal(h.code, 0);
  assert.match(h.stdout, /telemux serve/);
  assert.match(h.stdout, /check exposition/);
});

test('an unknown command exits 2 with the usage', async () => {
  const r = await telemux('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('check config accepts a valid YAML and a valid JSON file', async () => {
  const yaml = join(dir, 'ok.yaml');
  writeFileSync(yaml, 'http:\n  listen: 127.0.0.1:9999\nhermes:\n  listen: ""\n');
  assert.equal((await telemux('check', 'config', yaml)).code, 0);
  const json = join(dir, 'ok.json');
  writeFileSync(json, JSON.stringify({ log: { level: 'debug' }, limits: { max_series: 10 } }));
  const r = await telemux('check', 'config', json);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /SUCCESS/);
});

test('check config names the key and the file position of every problem', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'http:\n  listen: nowhere\n  lisen: 127.0.0.1:1\nhermes:\n  max_datagram_bytes: "big"\n',
  );
  const r = await telemux('check', 'config', bad);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /http\.listen: .*not a listen address.* \(at .*bad\.yaml:2:11\)/);
  assert.match(r.stderr, /http\.lisen: unknown key \(at .*bad\.yaml:3:3\)/);
  assert.match(r.stderr, /hermes\.max_datagram_bytes: .*expected number.*bad\.yaml:5:23/);
});

test('check config reports YAML syntax errors with line and column', async () => {
  const bad = join(dir, 'syntax.yaml');
  writeFileSync(bad, 'http:\n  listen: [127.0.0.1\n');
  const r = await telemux('check', 'config', bad);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /syntax\.yaml:\d+:\d+: /);
});

test('a bad override on the command line is reported with the flag', async () => {
  const r = await telemux('serve', '--http.listen=127.0.0.1:0', '--limits.max_series=-5', '--no.such=1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no\.such: unknown key \(from --no\.such\)/);
});

test('serve logs each bound address, answers health and readiness, and stops cleanly on SIGTERM', async () => {
  const t = await startTelemux(['--hermes.metrics_listen=127.0.0.1:0']);
  for (const name of ['http', 'hermes', 'hermes_metrics']) {
    assert.match(t.addresses[name], /^127\.0\.0\.1:\d+$/, `address of ${name}`);
    assert.notEqual(t.addresses[name].endsWith(':0'), true);
  }
  const healthy = await fetch(`http://${t.addresses.http}/-/healthy`);
  assert.equal(healthy.status, 200);
  const ready = await fetch(`http://${t.addresses.http}/-/ready`);
  assert.equal(ready.status, 200);
  const drop = await fetch(`http://${t.addresses.hermes_metrics}/metrics`);
  assert.equal(drop.status, 200);
  assert.equal(await t.stop('SIGTERM'), 0);
  assert.ok(t.logs.some((l) => l.msg === 'telemux stopped'));
});

test('SIGINT also stops telemux with exit code 0', async () => {
  const t = await startTelemux([]);
  assert.equal(await t.stop('SIGINT'), 0);
});

test('the original Hermes environment variables are honoured', async () => {
  const defs = join(dir, 'defs.json');
  writeFileSync(
    defs,
    JSON.stringify({
      service_name: 'x',
      counters: [{ metric_name: 'env_counter', metric_description: 'd', labels: [] }],
    }),
  );
  const t = await startTelemux([], { HERMES_CONFIG_PATH: defs, LISTEN_PORT: '0', LOG_LEVEL: 'DEBUG' });
  try {
    assert.ok(
      t.logs.some((l) => l.level === 20),
      'LOG_LEVEL=DEBUG gives debug lines',
    );
    const body = await (await fetch(`http://${t.addresses.http}/metrics`)).text();
    assert.match(body, /# TYPE env_counter counter/);
  } finally {
    await t.stop();
  }
});

test('a listener that cannot bind makes serve exit 1 with the reason', async () => {
  const t = await startTelemux([]);
  try {
    const r = await telemux(
      'serve',
      `--http.listen=${t.addresses.http}`,
      '--hermes.listen=',
      '--statsd.listen_udp=',
      '--statsd.listen_tcp=',
      `--storage.path=${join(dir, 'store')}`,
      '--log.format=json',
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /EADDRINUSE/);
  } finally {
    await t.stop();
  }
});

test('check config also validates the Hermes definitions file it names', async () => {
  const defs = join(dir, 'bad-defs.json');
  writeFileSync(
    defs,
    JSON.stringify({ gauges: [{ metric_name: '1bad', metric_description: 'd', labels: [] }] }),
  );
  const cfg = join(dir, 'with-defs.yaml');
  writeFileSync(cfg, `hermes:\n  definitions: ${defs}\n`);
  const r = await telemux('check', 'config', cfg);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /hermes\.definitions \(.*bad-defs\.json\): gauges\[0\]\.metric_name: "1bad" is not a valid metric name/,
  );
  const missing = join(dir, 'missing-defs.yaml');
  writeFileSync(missing, `hermes:\n  definitions: ${join(dir, 'nope.json')}\n`);
  const m = await telemux('check', 'config', missing);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /cannot read the file/);
});
