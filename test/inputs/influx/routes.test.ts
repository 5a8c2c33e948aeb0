import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { influxConfigSchema } from '../../../src/inputs/influx/config.ts';
import { influxLabelName, influxMetricName } from '../../../src/inputs/influx/mapping.ts';
import { type InfluxOptions, influxRoutes } from '../../../src/inputs/influx/routes.ts';
import { Registry } from '../../../src/registry/registry.ts';
import { createInputMetrics, type InputMetrics } from '../../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import { WorkerPool } from '../../../src/workers/pool.ts';
import { httpRequest } from '../../helpers/http-request.ts';

const NOW = 1_700_000_000_000;
/** routes-workers.test.ts runs every test here again with bodies parsed in worker threads. */
const WORKERS = Number(process.env.INFLUX_TEST_DECODE_WORKERS ?? 0);
/**
 * routes-socket.test.ts runs every test here again with the requests sent over a socket, where the
 * write endpoints are answered by the server's fast lane (http/fast-lane.ts) instead of Fastify.
 */
const OVER_SOCKET = process.env.INFLUX_TEST_OVER_SOCKET === '1';
const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-influx-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
const apps: FastifyInstance[] = [];
const pools: WorkerPool[] = [];

async function makeApp(
  extra: Partial<InfluxOptions> = {},
  bodyLimitBytes = 1 << 25,
): Promise<{ app: FastifyInstance; metrics: InputMetrics }> {
  const metrics = createInputMetrics(new Registry());
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes });
  const decodePool = WORKERS > 0 ? new WorkerPool({ size: WORKERS }) : undefined;
  await app.register(influxRoutes, {
    storage: db,
    inputMetrics: metrics,
    now: () => NOW,
    decodePool,
    // With a pool, every body goes to it (the workers' path is what such a run tests).
    inlineMaxBytes: 0,
    ...extra,
  });
  apps.push(app);
  if (decodePool !== undefined) pools.push(decodePool);
  if (!OVER_SOCKET) return { app, metrics };
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app: overSocket(app), metrics };
}

/** `app`, listening, with inject() sending each request over a socket (and listen() a no-op). */
function overSocket(app: FastifyInstance): FastifyInstance {
  const { port } = app.server.address() as AddressInfo;
  const inject = async (opts: InjectOptions) => {
    const payload = opts.payload === undefined ? undefined : Buffer.from(opts.payload as string | Buffer);
    const headers = opts.headers as Record<string, string> | undefined;
    const res = await httpRequest(port, opts.method as string, opts.url as string, payload, headers);
    return { statusCode: res.status, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
  };
  return new Proxy(app, {
    get: (target, prop) => {
      if (prop === 'inject') return inject;
      if (prop === 'listen') return async () => '';
      return Reflect.get(target, prop, target);
    },
  });
}

after(async () => {
  for (const app of apps) await app.close();
  for (const pool of pools) await pool.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Stored samples of the series matching name (and optional label equalities), label sets as strings. */
function stored(name: string, labels: Record<string, string> = {}): Record<string, [number, number][]> {
  const matchers = [
    Matcher.equal('__name__', name),
    ...Object.entries(labels).map(([k, v]) => Matcher.equal(k, v)),
  ];
  const out: Record<string, [number, number][]> = {};
  for (const s of db.querier(-1e13, 1e13).select(matchers)) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.t, it.v]);
    out[s.labels.toString()] = samples;
  }
  return out;
}

const dropped = (m: InputMetrics, reason: string) => m.dropped.labels('influx', reason).value;
const received = (m: InputMetrics) => m.received.labels('influx').value;

test('v1 /write: tags → labels, db label, every field type, precision', async () => {
  const { app, metrics } = await makeApp();
  const body = [
    'weather,city=Paris,station=1 temp=21.5,hum=40i,count=7u,ok=true,note="sunny" 1700000000',
    'weather,city=Oslo temp=-3 1700000060',
    '',
  ].join('\n');
  const res = await app.inject({ method: 'POST', url: '/write?db=meteo&precision=s', payload: body });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(stored('weather_temp'), {
    'weather_temp{city="Oslo", db="meteo"}': [[1700000060000, -3]],
    'weather_temp{city="Paris", db="meteo", station="1"}': [[1700000000000, 21.5]],
  });
  assert.deepEqual(Object.values(stored('weather_hum')), [[[1700000000000, 40]]]);
  assert.deepEqual(Object.values(stored('weather_count')), [[[1700000000000, 7]]]);
  assert.deepEqual(Object.values(stored('weather_ok')), [[[1700000000000, 1]]]);
  assert.deepEqual(stored('weather_note'), {});
  assert.equal(received(metrics), 5);
  assert.equal(dropped(metrics, 'string_field'), 1);

  // v1 precisions m and h; a line's own `db` tag wins over the query's.
  const res2 = await app.inject({
    method: 'POST',
    url: '/write?db=other&precision=h',
    payload: 'prec,db=mine v=1 472222',
  });
  assert.equal(res2.statusCode, 204);
  assert.deepEqual(stored('prec_v'), { 'prec_v{db="mine"}': [[472222 * 3600000, 1]] });
});

test('v2 /api/v2/write: bucket label, ns default, missing timestamp = now, no content type', async () => {
  const { app } = await makeApp();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v2/write?org=acme&bucket=b1',
    payload: 'v2m,host=h1 value=1 1700000000123456789\nv2m,host=h2 value=2',
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(stored('v2m_value'), {
    'v2m_value{db="b1", host="h1"}': [[1700000000123, 1]],
    'v2m_value{db="b1", host="h2"}': [[NOW, 2]],
  });
  for (const [precision, ts, want] of [
    ['us', '1700000000123456', 1700000000123],
    ['ms', '1700000000124', 1700000000124],
    ['s', '1700000001', 1700000001000],
  ] as const) {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v2/write?bucket=p&precision=${precision}`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      payload: `v2p,p=${precision} v=1 ${ts}`,
    });
    assert.equal(r.statusCode, 204, r.body);
    assert.deepEqual(Object.values(stored('v2p_v', { p: precision })), [[[want, 1]]]);
  }
  // v2 does not take v1's short names.
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=p&precision=h',
    payload: 'x v=1',
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'invalid');
  assert.match(bad.json().message, /invalid precision "h"/);
  const bad1 = await app.inject({ method: 'POST', url: '/write?precision=d', payload: 'x v=1' });
  assert.equal(bad1.statusCode, 400);
  assert.match(bad1.json().error, /invalid precision "d"/);
});

test('name sanitising and escaping', async () => {
  const { app } = await makeApp();
  const res = await app.inject({
    method: 'POST',
    url: '/write',
    payload: 'disk\\ io.rate,dev-name=sd\\ a,__x=1,9lives=y read-bytes=1',
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(stored('disk_io_rate_read_bytes'), {
    'disk_io_rate_read_bytes{_9lives="y", dev_name="sd a", tag__x="1"}': [[NOW, 1]],
  });
  assert.equal(influxMetricName('1m', 'load'), '_1m_load');
  assert.equal(influxLabelName('__name__'), 'tag__name__');
  // Two tags that sanitise to the same label: the line is rejected, named.
  const clash = await app.inject({ method: 'POST', url: '/write', payload: 'c,a-b=1,a.b=2 v=1' });
  assert.equal(clash.statusCode, 400);
  assert.match(clash.json().error, /line 1: tags "a_b" and "a.b" map to the same label "a_b"/);
});

test('partial failure: valid lines stored, 400 naming the first bad line (v1 and v2 shapes)', async () => {
  const { app, metrics } = await makeApp();
  const body = 'pf,n=1 v=1\npf,n=2 v=oops\npf,n=3 v=3\npf,n=4 v="unterminated\npf,n=5 v=5i';
  const v2 = await app.inject({ method: 'POST', url: '/api/v2/write?bucket=pf', payload: body });
  assert.equal(v2.statusCode, 400);
  const j = v2.json();
  assert.equal(j.code, 'invalid');
  assert.match(j.message, /line 2: field "v": invalid number "oops"/);
  assert.match(j.message, /and 1 more bad lines/);
  assert.deepEqual(Object.keys(stored('pf_v')).length, 3, 'lines 1, 3 and 5 stored');
  assert.equal(dropped(metrics, 'bad_line'), 2);
  assert.equal(received(metrics), 3);

  const v1 = await app.inject({ method: 'POST', url: '/write?db=pf1', payload: 'pf1 v=1\npf1 v="x' });
  assert.equal(v1.statusCode, 400);
  assert.match(v1.json().error, /line 2: field "v": unterminated string/);
  assert.ok(v1.headers['x-influxdb-error']);
  assert.deepEqual(Object.values(stored('pf1_v')), [[[NOW, 1]]]);
});

test('gzip bodies; bad gzip; unsupported encodings', async () => {
  const { app } = await makeApp({ maxDecompressedBytes: 1 << 20 });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=gz&precision=ms',
    headers: { 'content-encoding': 'gzip' },
    payload: gzipSync('gz,k=a v=1 1000\ngz,k=b v=2 2000\n'),
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(Object.keys(stored('gz_v')).length, 2);

  const notGzip = await app.inject({
    method: 'POST',
    url: '/write',
    headers: { 'content-encoding': 'gzip' },
    payload: 'gz v=1',
  });
  assert.equal(notGzip.statusCode, 400);
  assert.match(notGzip.json().error, /gzip/);

  const bomb = await app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=gz',
    headers: { 'content-encoding': 'gzip' },
    payload: gzipSync(Buffer.alloc(2 << 20, 'a')),
  });
  assert.equal(bomb.statusCode, 413);
  assert.match(bomb.json().message, /larger than 1048576 bytes/);

  const br = await app.inject({
    method: 'POST',
    url: '/write',
    headers: { 'content-encoding': 'br' },
    payload: 'gz v=1',
  });
  assert.equal(br.statusCode, 415);
});

test('auth: off by default; token, u/p, basic; 401 otherwise', async () => {
  const schema = influxConfigSchema.parse({ username: 'alice', password: 's3cret', token: 'tok' });
  const { app } = await makeApp({ auth: schema, maxLineBytes: schema.max_line_bytes });
  const post = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers, payload: 'au v=1' });
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  for (const [url, headers, status] of [
    ['/api/v2/write?bucket=a', {}, 401],
    ['/api/v2/write?bucket=a', { authorization: 'Token nope' }, 401],
    ['/api/v2/write?bucket=a', { authorization: 'Token tok' }, 204],
    ['/api/v2/write?bucket=a', { authorization: 'Bearer tok' }, 204],
    ['/api/v2/write?bucket=a', { authorization: 'Token alice:s3cret' }, 204],
    ['/api/v2/write?bucket=a', { authorization: basic('alice', 's3cret') }, 401],
    ['/write?db=a', {}, 401],
    ['/write?db=a&u=alice&p=s3cret', {}, 204],
    ['/write?db=a&u=alice&p=wrong', {}, 401],
    ['/write?db=a&u=bob&p=s3cret', {}, 401],
    ['/write?db=a&u=any&p=tok', {}, 204],
    ['/write?db=a', { authorization: basic('alice', 's3cret') }, 204],
    ['/write?db=a', { authorization: basic('alice', 'nope') }, 401],
    ['/write?db=a', { authorization: 'Token tok' }, 204],
  ] as const) {
    const res = await post(url, headers);
    assert.equal(res.statusCode, status, `${url} ${JSON.stringify(headers)}: ${res.body}`);
    if (status === 401) {
      const j = res.json();
      if (url.startsWith('/api/v2'))
        assert.deepEqual(j, { code: 'unauthorized', message: 'unauthorized access' });
      else assert.deepEqual(j, { error: 'unauthorized access' });
    }
  }
  // With no credentials configured, anything goes.
  const open = await makeApp({ auth: influxConfigSchema.parse({}) });
  const res = await open.app.inject({ method: 'POST', url: '/write?u=x&p=y', payload: 'au v=2' });
  assert.equal(res.statusCode, 204);
});

test('a 10 MB line: 400 naming it, the lines before it are kept, the server goes on', async () => {
  const { app, metrics } = await makeApp({ maxLineBytes: 256 * 1024 });
  const huge = `big,k=v s="${'x'.repeat(10 * 1024 * 1024)}"`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=big',
    payload: `big,k=early v=1\n${huge}\nbig,k=late v=3\n`,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().message, /line 2: line is longer than 262144 bytes/);
  assert.deepEqual(Object.keys(stored('big_v')).sort(), [
    'big_v{db="big", k="early"}',
    'big_v{db="big", k="late"}',
  ]);
  assert.equal(dropped(metrics, 'bad_line'), 1);
  // Larger than the HTTP body limit: 413 from the listener, in InfluxDB's JSON shape.
  const small = await makeApp({}, 1024 * 1024);
  const tooBig = await small.app.inject({ method: 'POST', url: '/api/v2/write?bucket=big', payload: huge });
  assert.equal(tooBig.statusCode, 413);
  assert.equal(tooBig.json().code, 'request too large');
  const ok = await small.app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=big',
    payload: 'big,k=after v=4',
  });
  assert.equal(ok.statusCode, 204);
});

test('binary garbage and unterminated quotes: 400 with a line number, nothing else breaks', async () => {
  const { app } = await makeApp();
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  const res = await app.inject({ method: 'POST', url: '/write', payload: garbage });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.json().error, /line \d+: /);
  const q = await app.inject({
    method: 'POST',
    url: '/api/v2/write?bucket=q',
    payload: 'q s="no end,v=1\nq v=2',
  });
  assert.equal(q.statusCode, 400);
  assert.match(q.json().message, /line 1: field "s": unterminated string/);
  assert.deepEqual(Object.values(stored('q_v')), [[[NOW, 2]]]);
  // An empty body is a successful no-op, as in InfluxDB.
  const empty = await app.inject({ method: 'POST', url: '/api/v2/write?bucket=q' });
  assert.equal(empty.statusCode, 204);
});

test('rejected samples (duplicate timestamp, different value): 400, the others kept', async () => {
  const { app, metrics } = await makeApp();
  const first = await app.inject({ method: 'POST', url: '/write?precision=ms', payload: 'dup v=1 5000' });
  assert.equal(first.statusCode, 204);
  const res = await app.inject({
    method: 'POST',
    url: '/write?precision=ms',
    payload: 'dup v=2 5000\ndup2 v=1 5000',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().error, /duplicate sample for timestamp/);
  assert.equal(dropped(metrics, 'duplicate_timestamp'), 1);
  assert.deepEqual(Object.values(stored('dup2_v')), [[[5000, 1]]]);
  // A repeated field key in one line: the last value wins.
  const rep = await app.inject({ method: 'POST', url: '/write?precision=ms', payload: 'rep v=1,v=2 5000' });
  assert.equal(rep.statusCode, 204);
  assert.deepEqual(Object.values(stored('rep_v')), [[[5000, 2]]]);
});

test('GET /ping and /health', async () => {
  const { app } = await makeApp();
  const ping = await app.inject({ method: 'GET', url: '/ping' });
  assert.equal(ping.statusCode, 204);
  assert.ok(ping.headers['x-influxdb-version']);
  const head = await app.inject({ method: 'HEAD', url: '/ping' });
  assert.equal(head.statusCode, 204);
  const verbose = await app.inject({ method: 'GET', url: '/ping?verbose=true' });
  assert.equal(verbose.statusCode, 200);
  assert.ok(verbose.json().version);
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
  assert.equal(health.json().status, 'pass');
});

test('the official @influxdata/influxdb-client writes every field type over a real socket', async () => {
  const { app, metrics } = await makeApp({ auth: { token: 'my-token' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  const client = new InfluxDB({ url: `http://127.0.0.1:${address.port}`, token: 'my-token' });
  const writeApi = client.getWriteApi('my-org', 'client-bucket', 'ms', {
    maxRetries: 0,
    gzipThreshold: 100, // the second batch is large enough to be gzipped
    defaultTags: { source: 'client' },
  });
  const t0 = 1_700_000_100_000;
  writeApi.writePoint(
    new Point('sensor')
      .tag('room', 'lab 1')
      .floatField('temperature', 21.25)
      .intField('errors', -3)
      .uintField('uptime', 123456)
      .booleanField('door_open', true)
      .stringField('status', 'all "good", really')
      .timestamp(new Date(t0)),
  );
  await writeApi.flush();
  for (let i = 1; i <= 20; i++)
    writeApi.writePoint(
      new Point('sensor')
        .tag('room', 'lab 1')
        .floatField('temperature', 21 + i)
        .timestamp(new Date(t0 + i * 1000)),
    );
  await writeApi.close();

  const room = { room: 'lab 1', source: 'client', db: 'client-bucket' };
  const temps = Object.values(stored('sensor_temperature', room));
  assert.equal(temps.length, 1);
  assert.equal(temps[0].length, 21);
  assert.deepEqual(temps[0][0], [t0, 21.25]);
  assert.deepEqual(temps[0][20], [t0 + 20_000, 41]);
  assert.deepEqual(Object.values(stored('sensor_errors', room)), [[[t0, -3]]]);
  assert.deepEqual(Object.values(stored('sensor_uptime', room)), [[[t0, 123456]]]);
  assert.deepEqual(Object.values(stored('sensor_door_open', room)), [[[t0, 1]]]);
  assert.deepEqual(stored('sensor_status'), {});
  assert.equal(dropped(metrics, 'string_field'), 1);
  assert.equal(received(metrics), 24);

  // A wrong token is a 401 the client reports as an error.
  const bad = new InfluxDB({ url: `http://127.0.0.1:${address.port}`, token: 'wrong' }).getWriteApi(
    'o',
    'b',
    'ms',
    {
      maxRetries: 0,
    },
  );
  bad.writePoint(new Point('sensor').floatField('x', 1));
  await assert.rejects(bad.close(), (err: Error & { statusCode?: number }) => err.statusCode === 401);
});
