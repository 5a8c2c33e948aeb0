import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { pino } from 'pino';
import { Counter, Gauge, Pushgateway, Registry } from 'prom-client';
import { compress } from 'snappyjs';
import { createApp } from '../../../src/api/app.ts';
import { renderExposition } from '../../../src/format/exposition/render.ts';
import {
  encodeDelimitedMetricFamilies,
  PushGroupStore,
  type PushgatewayRouteOptions,
  pushgatewayRoutes,
} from '../../../src/inputs/pushgateway/index.ts';
import { Labels } from '../../../src/model/labels.ts';

const PROTO_CT =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

async function setup(opts: Partial<PushgatewayRouteOptions> = {}, store = new PushGroupStore()) {
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1024 * 1024 });
  await app.register(pushgatewayRoutes, { store, ...opts });
  app.get('/metrics', async (req, reply) => {
    const r = renderExposition(store.collect(), req.headers.accept, undefined);
    return reply.type(r.contentType).send(r.body);
  });
  const metrics = async () => (await app.inject('/metrics')).body;
  return { app, store, metrics };
}

test('prom-client Pushgateway: push, pushAdd, delete, with a grouping value containing /', async () => {
  const { app, metrics } = await setup();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const registry = new Registry();
    const done = new Counter({ name: 'batch_done_total', help: 'Done.', registers: [registry] });
    const last = new Gauge({ name: 'batch_last_seconds', help: 'Last.', registers: [registry] });
    done.inc(3);
    last.set(42);
    const gw = new Pushgateway(url, {}, registry);
    const groupings = { path: '/var/lib/x', instance: 'host-1' };
    const r1 = await gw.push({ jobName: 'batch', groupings });
    assert.equal(r1.resp && (r1.resp as { statusCode?: number }).statusCode, 200);
    let out = await metrics();
    assert.match(out, /^batch_done_total\{instance="host-1",job="batch",path="\/var\/lib\/x"\} 3$/m);
    assert.match(out, /^batch_last_seconds\{instance="host-1",job="batch",path="\/var\/lib\/x"\} 42$/m);

    const other = new Registry();
    new Gauge({ name: 'batch_extra', help: 'Extra.', registers: [other] }).set(7);
    await new Pushgateway(url, {}, other).pushAdd({ jobName: 'batch', groupings });
    out = await metrics();
    assert.match(out, /^batch_done_total\{/m, 'pushAdd keeps the other families');
    assert.match(out, /^batch_extra\{instance="host-1",job="batch",path="\/var\/lib\/x"\} 7$/m);

    await new Pushgateway(url, {}, other).push({ jobName: 'batch', groupings });
    out = await metrics();
    assert.doesNotMatch(out, /^batch_done_total\{/m, 'push replaces the group');

    const d = await gw.delete({ jobName: 'batch', groupings });
    assert.equal((d.resp as { statusCode?: number }).statusCode, 202);
    assert.equal(await metrics(), '');
  } finally {
    await app.close();
  }
});

test('bodies: gzip, snappy, protobuf; bad ones → 400 with a message and earlier groups kept', async () => {
  const { app, metrics } = await setup();
  const put = (path: string, payload: string | Buffer | Uint8Array, headers: Record<string, string> = {}) =>
    app.inject({ method: 'PUT', url: path, payload: Buffer.from(payload), headers });
  assert.equal((await put('/metrics/job/keep', 'kept 1\n')).statusCode, 200);
  assert.equal(
    (await put('/metrics/job/gz', gzipSync('gz 1\n'), { 'content-encoding': 'gzip' })).statusCode,
    200,
  );
  const snappy = compress(new TextEncoder().encode('sn 1\n'));
  assert.equal((await put('/metrics/job/sn', snappy, { 'content-encoding': 'snappy' })).statusCode, 200);
  const proto = encodeDelimitedMetricFamilies([
    {
      name: 'pb_hist',
      type: 'histogram',
      help: 'h',
      unit: '',
      metrics: [
        {
          labels: Labels.from({ a: 'b' }),
          count: 2,
          sum: 1,
          buckets: [
            { upperBound: 0.5, cumulativeCount: 1 },
            { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 2 },
          ],
        },
      ],
    },
  ]);
  assert.equal(
    (await put('/metrics/job/pb', Buffer.from(proto), { 'content-type': PROTO_CT })).statusCode,
    200,
  );
  const out = await metrics();
  assert.match(out, /^gz\{instance="",job="gz"\} 1$/m);
  assert.match(out, /^sn\{instance="",job="sn"\} 1$/m);
  assert.match(out, /^pb_hist_bucket\{a="b",instance="",job="pb",le="0.5"\} 1$/m);

  const bad: [string, Buffer | Uint8Array | string, Record<string, string>, RegExp][] = [
    ['truncated snappy', snappy.subarray(0, snappy.length - 2), { 'content-encoding': 'snappy' }, /snappy/],
    ['bad gzip', Buffer.from('not gzip'), { 'content-encoding': 'gzip' }, /gzip/],
    ['wrong protobuf', Buffer.from([0x05, 0x0a, 0x03, 0x61]), { 'content-type': PROTO_CT }, /./],
    ['protobuf without a name', Buffer.from([0x02, 0x18, 0x01]), { 'content-type': PROTO_CT }, /no name/],
    [
      'protobuf wrong value kind',
      encodeDelimitedMetricFamilies([
        { name: 'x', type: 'gauge', help: '', unit: '', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
      ]).map((b, i, a) => (i === a.length - 10 ? 0x1a : b)),
      { 'content-type': PROTO_CT },
      /./,
    ],
    ['binary', Buffer.from([0, 1, 2, 3, 0xfe, 10]), {}, /text format parsing error/],
  ];
  for (const [what, body, headers, re] of bad) {
    const res = await put('/metrics/job/bad', body, headers);
    assert.equal(res.statusCode, 400, what);
    assert.match(res.body, re, what);
  }
  assert.equal((await put('/metrics/job/x', 'a 1\n', { 'content-encoding': 'br' })).statusCode, 415);
  assert.match(await metrics(), /^kept\{instance="",job="keep"\} 1$/m);
  await app.close();
});

test('fast-check: random bodies never crash the server; 200 or 400 with a message; earlier groups kept', async () => {
  const { app, metrics } = await setup();
  await app.inject({ method: 'PUT', url: '/metrics/job/keep', payload: 'kept 1\n' });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
        fc
          .array(
            fc.constantFrom(
              'a 1\n',
              '# TYPE a counter\n',
              'b{x="1"} 2\n',
              'a 1 5\n',
              '\n',
              'c{',
              '# HELP a x\n',
            ),
          )
          .map((p) => new TextEncoder().encode(p.join(''))),
      ),
      fc.constantFrom('text/plain', PROTO_CT),
      fc.constantFrom('PUT', 'POST'),
      async (body, ct, method) => {
        const res = await app.inject({
          method: method as 'PUT' | 'POST',
          url: '/metrics/job/fuzz',
          payload: Buffer.from(body),
          headers: { 'content-type': ct },
        });
        assert.ok(res.statusCode === 200 || res.statusCode === 400, `${res.statusCode} ${res.body}`);
        if (res.statusCode === 400) assert.ok(res.body.trim().length > 0);
      },
    ),
    { numRuns: 300 },
  );
  assert.match(await metrics(), /^kept\{instance="",job="keep"\} 1$/m);
  await app.close();
});

test('status codes and messages of the push path', async () => {
  const { app } = await setup();
  const cases: [string, string, string, number, RegExp?][] = [
    ['PUT', '/metrics/job/a', 'x 1\n', 200],
    ['PUT', '/metrics/job/a/b', 'x 1\n', 400, /odd number of components/],
    ['PUT', '/metrics/job@base64/=', 'x 1\n', 400, /job name is required/],
    ['PUT', '/metrics/job/a', 'x 1 123\n', 400, /must not have timestamps/],
    ['PUT', '/metrics/job/a', 'x 1', 400, /unexpected end of input stream/],
    ['PUT', '/metrics/job/a', 'x 1\nx 2\n', 400, /collected before/],
    ['POST', '/metrics/job/a', '', 200],
    ['DELETE', '/metrics/job/a', '', 202],
    ['DELETE', '/metrics/job/never', '', 202],
    ['GET', '/metrics/job/a', '', 405],
  ];
  for (const [method, url, payload, status, re] of cases) {
    const res = await app.inject({
      method: method as 'PUT',
      url,
      payload: method === 'GET' ? undefined : payload,
    });
    assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
    if (re) assert.match(res.body, re);
  }
  await app.close();
});

test('API: /api/v1/metrics, /api/v1/status, wipe, delete by matcher, multi-group push, TTL header', async () => {
  let now = 1_700_000_000_000;
  const store = new PushGroupStore({ now: () => now });
  const { app, metrics } = await setup({}, store);
  await app.inject({
    method: 'PUT',
    url: '/metrics/job/a/env/prod',
    payload: '# HELP x An x.\n# TYPE x gauge\nx 1\n',
  });
  const api = (await app.inject('/api/v1/metrics')).json();
  assert.equal(api.status, 'success');
  assert.deepEqual(api.data[0].labels, { env: 'prod', job: 'a' });
  assert.equal(api.data[0].last_push_successful, true);
  assert.deepEqual(api.data[0].x.metrics, [{ labels: { env: 'prod', instance: '', job: 'a' }, value: '1' }]);
  assert.equal(api.data[0].x.type, 'GAUGE');
  assert.equal(api.data[0].push_time_seconds.metrics[0].value, '1.7e+09');
  const status = await app.inject('/api/v1/status');
  assert.equal(status.json().status, 'success');
  assert.equal(status.headers['access-control-allow-origin'], '*');

  const multi = await app.inject({
    method: 'POST',
    url: '/api/v1/push',
    payload: {
      groups: [
        { labels: { job: 'm', instance: 'i1', path: '/a/b' }, text: 'y 1\n' },
        { labels: { job: 'm', instance: 'i2' }, method: 'POST', text: 'y 2\n', ttl: '1m' },
      ],
    },
  });
  assert.equal(multi.statusCode, 200, multi.body);
  assert.match(await metrics(), /^y\{instance="i1",job="m",path="\/a\/b"\} 1$/m);
  const badMulti = await app.inject({
    method: 'POST',
    url: '/api/v1/push',
    payload: [{ labels: { job: 'm2' }, text: '# TYPE y counter\ny 1\n' }],
  });
  assert.equal(badMulti.statusCode, 400);
  assert.equal(badMulti.json().errorType, 'bad_data');
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/push', payload: 'nope' })).statusCode, 400);

  const ttl = await app.inject({
    method: 'PUT',
    url: '/metrics/job/t',
    payload: 'z 1\n',
    headers: { 'x-telemux-ttl': '30s' },
  });
  assert.equal(ttl.statusCode, 200);
  assert.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/metrics/job/t',
        payload: 'z 1\n',
        headers: { 'x-telemux-ttl': 'soon' },
      })
    ).statusCode,
    400,
  );
  now += 30_000;
  assert.doesNotMatch(await metrics(), /^z\{/m);
  now += 30_000;
  assert.doesNotMatch(await metrics(), /instance="i2"/);

  const del = await app.inject({ method: 'DELETE', url: '/api/v1/groups?match[]={job="m"}' });
  assert.deepEqual(del.json(), { status: 'success', data: { deleted: 1 } });
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/v1/groups' })).statusCode, 400);
  assert.equal(
    (await app.inject({ method: 'DELETE', url: '/api/v1/groups?match[]={job=~".*"}' })).statusCode,
    400,
  );
  assert.equal((await app.inject({ method: 'PUT', url: '/api/v1/admin/wipe' })).statusCode, 202);
  assert.equal(await metrics(), '');
  await app.close();
});

test('persistence through the plugin: loaded at start, written at close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-plugin-'));
  try {
    const file = join(dir, 'pg.json');
    const first = await setup({ persistenceFile: file, persistenceIntervalMs: 60_000 });
    await first.app.inject({ method: 'PUT', url: '/metrics/job/p/x@base64/=', payload: 'q 1\n' });
    const before = await first.metrics();
    await first.app.close();
    const second = await setup({ persistenceFile: file });
    assert.equal(await second.metrics(), before);
    assert.match(before, /^q\{instance="",job="p",x=""\} 1$/m);
    await second.app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
