// The upstream QueryEngine against a real Prometheus 2.42 (Debian's package) that scrapes itself
// and remote-writes what it scrapes into an in-process telemux: every call is checked against
// Prometheus' own JSON, and then the same engine pointed at telemux must tell the same story.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../src/api/app.ts';
import { prometheusQueryApi } from '../../src/api/prometheus/query-api.ts';
import { remoteWriteRoutes } from '../../src/inputs/remote-write/receiver.ts';
import { PromqlEngine } from '../../src/promql/engine/engine.ts';
import { LocalQueryEngine } from '../../src/query/local-engine.ts';
import { QueryError } from '../../src/query/query-engine.ts';
import { UpstreamQueryEngine } from '../../src/query/upstream-engine.ts';
import { Registry } from '../../src/registry/registry.ts';
import { createInputMetrics } from '../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';
import { eventually, startSelfScrapingPrometheus } from '../helpers/prometheus.ts';

// telemux in-process: remote_write in, the query API out.
const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-upstream-prom-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 16 << 20 });
await app.register(remoteWriteRoutes, {
  storage: db,
  inputMetrics: createInputMetrics(new Registry()),
  maxDecompressedBytes: 64 << 20,
});
await app.register(prometheusQueryApi, {
  engine: new LocalQueryEngine({
    store: { querier: (a, b) => db.querier(a, b), metadata: () => db.head.metadata },
    engine: new PromqlEngine(),
  }),
  status: { version: 'test', startTimeMs: Date.now(), storageRetention: '15d', flags: {} },
});
await app.listen({ host: '127.0.0.1', port: 0 });
const telemuxUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const prom = await startSelfScrapingPrometheus(`${telemuxUrl}/api/v1/write`);
const upstream = new UpstreamQueryEngine({ url: prom.url, timeoutMs: 10_000, maxResponseBytes: 64 << 20 });
const viaTelemux = new UpstreamQueryEngine({
  url: telemuxUrl,
  timeoutMs: 10_000,
  maxResponseBytes: 64 << 20,
});
after(async () => {
  upstream.close();
  viaTelemux.close();
  await prom.stop();
  await app.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ALL = { startMs: Number.MIN_SAFE_INTEGER, endMs: Number.MAX_SAFE_INTEGER };

async function raw(pathAndQuery: string): Promise<{ data: unknown }> {
  const res = await fetch(`${prom.url}${pathAndQuery}`);
  return (await res.json()) as { data: unknown };
}

// Prometheus has scraped itself a few times.
await eventually(async () => (await prom.query('count_over_time(up[1m]) >= 3')).length > 0, 60_000);

test('instant queries read as Prometheus wrote them', async () => {
  const t = Date.now();
  const out = await upstream.instant('prometheus_build_info', t);
  assert.ok(out.value.resultType === 'vector');
  const want = (await raw(`/api/v1/query?query=prometheus_build_info&time=${t / 1000}`)).data as {
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
  assert.equal(out.value.result.length, 1);
  assert.deepEqual(out.value.result[0].labels.toRecord(), want.result[0].metric);
  assert.equal(out.value.result[0].v, 1);
  assert.equal(out.value.result[0].t, t);

  const specials = await upstream.instant(
    'vector(1/0) or label_replace(vector(0/0), "x", "nan", "", "") or label_replace(vector(-1/0), "x", "neg", "", "")',
    t,
  );
  assert.ok(specials.value.resultType === 'vector');
  const byX = Object.fromEntries(specials.value.result.map((s) => [s.labels.get('x'), s.v]));
  assert.deepEqual(byX, { '': Number.POSITIVE_INFINITY, nan: Number.NaN, neg: Number.NEGATIVE_INFINITY });

  assert.deepEqual((await upstream.instant('1.5', 2000)).value, {
    resultType: 'scalar',
    result: { t: 2000, v: 1.5 },
  });
  assert.deepEqual((await upstream.instant('"hello"', 2000)).value, {
    resultType: 'string',
    result: { t: 2000, value: 'hello' },
  });
  const m = await upstream.instant('up[1m]', t);
  assert.equal(m.value.resultType, 'matrix');
});

test('range queries read as Prometheus wrote them', async () => {
  const end = Math.floor(Date.now() / 1000) * 1000;
  const start = end - 10_000;
  const out = await upstream.range('up', start, end, 2000);
  assert.ok(out.value.resultType === 'matrix');
  const want = (await raw(`/api/v1/query_range?query=up&start=${start / 1000}&end=${end / 1000}&step=2`))
    .data as {
    result: { values: [number, string][] }[];
  };
  assert.equal(out.value.result.length, 1);
  assert.deepEqual(
    [...out.value.result[0].ts],
    want.result[0].values.map(([t]) => t * 1000),
  );
  assert.deepEqual(
    [...out.value.result[0].vs],
    want.result[0].values.map(([, v]) => Number(v)),
  );
});

test("Prometheus' errors arrive with their type and message", async () => {
  await assert.rejects(upstream.instant('up{', Date.now()), (e: unknown) => {
    assert.ok(e instanceof QueryError);
    assert.equal(e.type, 'bad_data');
    assert.match(e.message, /parse error/);
    return true;
  });
  await assert.rejects(upstream.range('up', 0, 1e9, 1), (e: unknown) => {
    assert.ok(e instanceof QueryError);
    assert.equal(e.type, 'bad_data');
    assert.match(e.message, /exceeded maximum resolution of 11,000 points/);
    return true;
  });
  await assert.rejects(
    upstream.instant('{__name__=~".+"} + on() group_left {__name__=~".+"}', Date.now()),
    (e: unknown) => e instanceof QueryError && e.type === 'execution',
  );
});

test('series, label names, label values and metadata', async () => {
  const series = await upstream.series({ match: ['up', 'prometheus_build_info'], ...ALL });
  const want = (await raw('/api/v1/series?match[]=up&match[]=prometheus_build_info')).data as Record<
    string,
    string
  >[];
  assert.deepEqual(
    series.map((l) => l.toRecord()),
    want,
  );
  assert.equal(
    (await upstream.series({ match: ['{__name__=~"prometheus_.+"}'], ...ALL, limit: 3 })).length,
    3,
  );

  const names = await upstream.labelNames({ match: ['up'], ...ALL });
  assert.deepEqual(names, ['__name__', 'instance', 'job']);
  assert.deepEqual(await upstream.labelValues('job', { match: [], ...ALL }), ['self']);
  assert.deepEqual(await upstream.labelValues('__name__', { match: ['up'], ...ALL }), ['up']);

  const meta = await upstream.metadata({ metric: 'prometheus_build_info' });
  assert.deepEqual(meta.get('prometheus_build_info')?.[0]?.type, 'gauge');
  assert.equal((await upstream.metadata({ limit: 2 })).size, 2);
});

test('the same engine pointed at telemux tells the same story about the remote-written series', async () => {
  const match = ['up', 'prometheus_build_info'];
  const fromProm = (await upstream.series({ match, ...ALL })).map((l) => l.toString());
  const fromTelemux = await eventually(async () => {
    const s = (await viaTelemux.series({ match, ...ALL })).map((l) => l.toString());
    return s.length === fromProm.length && s;
  });
  assert.deepEqual(fromTelemux, fromProm);
  assert.deepEqual(await viaTelemux.labelValues('job', { match: ['up'], ...ALL }), ['self']);
  assert.deepEqual(await viaTelemux.labelNames({ match: ['up'], ...ALL }), ['__name__', 'instance', 'job']);
  const meta = await eventually(async () =>
    (await viaTelemux.metadata({ metric: 'prometheus_build_info' })).get('prometheus_build_info'),
  );
  assert.deepEqual(
    meta,
    (await upstream.metadata({ metric: 'prometheus_build_info' })).get('prometheus_build_info'),
  );
});

test('instant and range queries through telemux give what Prometheus gives', async () => {
  // A time both have: a whole second some seconds back, after several remote-written scrapes.
  const t = Math.floor(Date.now() / 1000) * 1000 - 5000;
  const expr = 'prometheus_build_info';
  const fromProm = await upstream.instant(expr, t);
  const fromTelemux = await viaTelemux.instant(expr, t);
  assert.deepEqual(fromTelemux.value, fromProm.value);
  const r1 = await upstream.range('count(up)', t - 4000, t, 1000);
  const r2 = await viaTelemux.range('count(up)', t - 4000, t, 1000);
  assert.deepEqual(r2.value, r1.value);
});
