// The whole query API in-process: HTTP → routes → local QueryEngine → PromQL engine → a real store
// in a temporary directory, with values known in advance.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { prometheusQueryApi } from '../../../src/api/prometheus/query-api.ts';
import { Labels } from '../../../src/model/labels.ts';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { FUNCTIONS } from '../../../src/promql/functions/signatures.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { LocalQueryEngine } from '../../../src/query/local-engine.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-query-api-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
// T0 is a whole second; samples every 15 s for 10 minutes.
const T0 = 1_700_000_000_000;
const app0 = db.appender();
const series = (labels: Record<string, string>, value: (i: number) => number) => {
  const h = app0.series(Labels.from(labels));
  assert.ok(h);
  for (let i = 0; i <= 40; i++) app0.append(h, T0 + i * 15_000, value(i));
};
series({ __name__: 'up', job: 'api', instance: 'a:1' }, () => 1);
series({ __name__: 'up', job: 'db', instance: 'b:1' }, (i) => (i < 20 ? 1 : 0));
series({ __name__: 'requests_total', job: 'api' }, (i) => i * 30);
const lonely = app0.series(Labels.from({ __name__: 'once', job: 'x' }));
assert.ok(lonely);
app0.append(lonely, T0, 42);
app0.setMetadata('requests_total', { type: 'counter', help: 'Requests served.', unit: '' });
app0.setMetadata('up', { type: 'gauge', help: 'Target up.', unit: '' });
await app0.commit();

const store = { querier: (a: number, b: number) => db.querier(a, b), metadata: () => db.head.metadata };
async function appWith(engine: PromqlEngine) {
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
  await app.register(prometheusQueryApi, {
    engine: new LocalQueryEngine({ store, engine }),
    now: () => T0 + 600_000,
    status: { version: 'test', startTimeMs: 0, storageRetention: '15d', flags: {} },
    syntax: { parse: parseExpr, format: formatExpr, signature: (name) => FUNCTIONS.get(name) },
  });
  after(() => app.close());
  return app;
}
const app = await appWith(new PromqlEngine());
after(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sec = (ms: number) => ms / 1000;

async function get(url: string) {
  const res = await app.inject(url);
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

test('instant query: a vector at the given time, in Prometheus JSON', async () => {
  const t = T0 + 300_000;
  const r = await get(`/api/v1/query?query=up&time=${sec(t)}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        { metric: { __name__: 'up', instance: 'a:1', job: 'api' }, value: [sec(t), '1'] },
        { metric: { __name__: 'up', instance: 'b:1', job: 'db' }, value: [sec(t), '0'] },
      ],
    },
  });
  const rfc = await get(`/api/v1/query?query=sum(up)&time=${new Date(t).toISOString()}`);
  assert.deepEqual(rfc.body.data, { resultType: 'vector', result: [{ metric: {}, value: [sec(t), '1'] }] });
});

test('instant query: rate, scalars, strings and the special values', async () => {
  const t = T0 + 300_000;
  // irate: the last two samples, 30 apart over 15 s. (rate extrapolates 45 s of samples to the 60 s
  // window, and Go's float arithmetic, like ours, lands a hair under 2.)
  const irate = await get(`/api/v1/query?query=irate(requests_total[1m])&time=${sec(t)}`);
  assert.deepEqual(irate.body.data, {
    resultType: 'vector',
    result: [{ metric: { job: 'api' }, value: [sec(t), '2'] }],
  });
  const rate = await get(`/api/v1/query?query=rate(requests_total[1m])&time=${sec(t)}`);
  const [, v] = (rate.body.data as { result: { value: [number, string] }[] }).result[0].value;
  assert.ok(Math.abs(Number(v) - 2) < 1e-12, v);
  assert.deepEqual((await get(`/api/v1/query?query=1%2B1&time=${sec(t)}`)).body.data, {
    resultType: 'scalar',
    result: [sec(t), '2'],
  });
  assert.deepEqual((await get(`/api/v1/query?query="a"&time=${sec(t)}`)).body.data, {
    resultType: 'string',
    result: [sec(t), 'a'],
  });
  const specials = await get(
    `/api/v1/query?time=${sec(t)}&query=${encodeURIComponent('vector(0/0) or label_replace(vector(1/0),"s","p","","") or label_replace(vector(-1/0),"s","n","","")')}`,
  );
  const result = (
    specials.body.data as { result: { metric: Record<string, string>; value: [number, string] }[] }
  ).result;
  assert.deepEqual(Object.fromEntries(result.map((x) => [x.metric.s ?? '', x.value[1]])), {
    '': 'NaN',
    p: '+Inf',
    n: '-Inf',
  });
});

test('range query: a matrix, every step', async () => {
  const start = T0 + 60_000;
  const end = T0 + 120_000;
  const r = await get(
    `/api/v1/query_range?query=requests_total&start=${sec(start)}&end=${sec(end)}&step=30s`,
  );
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, {
    resultType: 'matrix',
    result: [
      {
        metric: { __name__: 'requests_total', job: 'api' },
        values: [
          [sec(start), '120'],
          [sec(start + 30_000), '180'],
          [sec(end), '240'],
        ],
      },
    ],
  });
});

test('limit cuts the answer with a warning; lookback_delta narrows what an instant selector sees', async () => {
  const t = T0 + 300_000;
  const cut = await get(`/api/v1/query?query=up&time=${sec(t)}&limit=1`);
  assert.equal((cut.body.data as { result: unknown[] }).result.length, 1);
  assert.deepEqual(cut.body.warnings, ['results truncated due to limit']);
  // `once` has one sample, at T0: 4 minutes later the default 5 m lookback still sees it, 1 m does not.
  const at = T0 + 240_000;
  assert.deepEqual(
    ((await get(`/api/v1/query?query=once&time=${sec(at)}`)).body.data as { result: unknown[] }).result
      .length,
    1,
  );
  assert.deepEqual((await get(`/api/v1/query?query=once&time=${sec(at)}&lookback_delta=1m`)).body.data, {
    resultType: 'vector',
    result: [],
  });
});

test('bad queries: 400 naming the parameter; evaluation failures 422', async () => {
  const bad = await get('/api/v1/query?query=up{');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errorType, 'bad_data');
  assert.match(String(bad.body.error), /^invalid parameter "query": /);
  const empty = await get('/api/v1/query');
  assert.equal(empty.status, 400);
  const manyToMany = await get(`/api/v1/query?query=up%20%2B%20on()%20up&time=${sec(T0 + 60_000)}`);
  assert.equal(manyToMany.status, 422, JSON.stringify(manyToMany.body));
  assert.equal(manyToMany.body.errorType, 'execution');
});

test('too many samples for the limit is a 422; a zero timeout a 503', async () => {
  const small = await appWith(new PromqlEngine({ maxSamples: 10 }));
  const r = await small.inject(
    `/api/v1/query_range?query=up&start=${sec(T0)}&end=${sec(T0 + 600_000)}&step=15`,
  );
  assert.equal(r.statusCode, 422, r.body);
  assert.equal((r.json() as { errorType: string }).errorType, 'execution');
  const t = await get(`/api/v1/query?query=up&timeout=0`);
  assert.equal(t.status, 503);
  assert.equal(t.body.errorType, 'timeout');
});

test('series, labels, label values and metadata from the store', async () => {
  const s = await get(
    `/api/v1/series?match[]=up&start=${new Date(T0).toISOString()}&end=${sec(T0 + 600_000)}`,
  );
  assert.deepEqual(s.body, {
    status: 'success',
    data: [
      { __name__: 'up', instance: 'a:1', job: 'api' },
      { __name__: 'up', instance: 'b:1', job: 'db' },
    ],
  });
  assert.deepEqual((await get('/api/v1/series?match[]=up&start=1&end=2')).body, {
    status: 'success',
    data: [],
  });
  assert.deepEqual((await get('/api/v1/labels?match[]=requests_total')).body.data, ['__name__', 'job']);
  assert.deepEqual((await get('/api/v1/label/job/values')).body.data, ['api', 'db', 'x']);
  assert.deepEqual((await get('/api/v1/label/job/values?match[]=up')).body.data, ['api', 'db']);
  assert.deepEqual((await get('/api/v1/label/__name__/values?limit=2')).body, {
    status: 'success',
    data: ['once', 'requests_total'],
    warnings: ['results truncated due to limit'],
  });
  assert.deepEqual((await get('/api/v1/metadata')).body.data, {
    requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }],
    up: [{ type: 'gauge', help: 'Target up.', unit: '' }],
  });
  const bad = await get('/api/v1/series?match[]=up{');
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.error), /^invalid parameter "match\[\]": /);
});

test('format_query, parse_query and query_exemplars with the PromQL parser', async () => {
  const f = await get(
    `/api/v1/format_query?query=${encodeURIComponent('sum(rate(requests_total{job="api"}[5m]))by(job)')}`,
  );
  assert.deepEqual(f.body, { status: 'success', data: 'sum by (job) (rate(requests_total{job="api"}[5m]))' });
  const bad = await get('/api/v1/format_query?query=up%7B');
  assert.deepEqual(bad.body, {
    status: 'error',
    errorType: 'bad_data',
    error: 'invalid parameter "query": 1:4: parse error: unexpected end of input inside braces',
  });
  const p = await get(`/api/v1/parse_query?query=${encodeURIComponent('rate(up[5m])')}`);
  assert.deepEqual(p.body.data, {
    type: 'call',
    func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
    args: [
      {
        type: 'matrixSelector',
        name: 'up',
        range: 300_000,
        offset: 0,
        matchers: [{ name: '__name__', value: 'up', type: '=' }],
        timestamp: null,
        startOrEnd: null,
      },
    ],
  });
  assert.deepEqual((await get('/api/v1/query_exemplars?query=up')).body, { status: 'success', data: [] });
});

test('match[] is read by the PromQL parser: its messages, and only plain selectors', async () => {
  assert.deepEqual((await get(`/api/v1/series?match[]=${encodeURIComponent('{"up"}')}`)).body.data, [
    { __name__: 'up', instance: 'a:1', job: 'api' },
    { __name__: 'up', instance: 'b:1', job: 'db' },
  ]);
  assert.deepEqual((await get('/api/v1/series?match[]=up%7B')).body, {
    status: 'error',
    errorType: 'bad_data',
    error: 'invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces',
  });
  const range = await get(`/api/v1/series?match[]=${encodeURIComponent('up[5m]')}`);
  assert.equal(range.status, 400);
  assert.match(String(range.body.error), /is not a series selector/);
  const empty = await get(`/api/v1/labels?match[]=${encodeURIComponent('{job=~".*"}')}`);
  assert.equal(empty.status, 400);
  assert.match(String(empty.body.error), /at least one non-empty matcher/);
});
