// GET /metrics through the route plugin: format by Accept, gzip by Accept-Encoding, every collector.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { createApp } from '../../src/api/app.ts';
import { expositionRoutes } from '../../src/api/exposition.ts';
import { Registry } from '../../src/registry/registry.ts';

async function appWith(...registries: Registry[]) {
  const seen: string[] = [];
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1024 });
  await app.register(expositionRoutes, { collectors: () => registries, onRender: (p) => seen.push(p) });
  return { app, seen };
}

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

test('text 0.0.4 by default, OpenMetrics for Prometheus, every collector rendered', async () => {
  const a = new Registry();
  const b = new Registry();
  a.counter({ name: 'a_total', help: 'A.' }).labels().inc(2);
  b.gauge({ name: 'b', help: 'B.', labelNames: ['x'] })
    .labels('y"z')
    .set(1.5);
  const { app, seen } = await appWith(a, b);

  const plain = await app.inject({ url: '/metrics' });
  assert.equal(plain.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(plain.body, /^a_total 2$/m);
  assert.match(plain.body, /^b\{x="y\\"z"\} 1\.5$/m);

  const om = await app.inject({ url: '/metrics', headers: { accept: PROMETHEUS_ACCEPT } });
  assert.match(
    String(om.headers['content-type']),
    /^application\/openmetrics-text; version=1\.0\.0; charset=utf-8/,
  );
  assert.match(om.body, /^# TYPE a counter$/m);
  assert.match(om.body, /^a_total 2$/m);
  assert.ok(om.body.endsWith('# EOF\n'));
  assert.deepEqual(seen, ['text-0.0.4', 'openmetrics-1.0.0']);
});

test('gzip when the client accepts it, identity when it refuses it', async () => {
  const r = new Registry();
  r.gauge({ name: 'g', help: 'G.' }).labels().set(7);
  const { app } = await appWith(r);
  const gz = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip, deflate' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(gz.rawPayload).toString(), /^g 7$/m);
  const id = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  assert.equal(id.headers['content-encoding'], undefined);
  assert.match(id.body, /^g 7$/m);
});
