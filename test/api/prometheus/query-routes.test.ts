// The query API's parameter rules, messages and error codes, with an engine that records what it
// was asked and answers what the test says: what reaches the QueryEngine, and how answers and
// failures come back.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { prometheusQueryApi } from '../../../src/api/prometheus/query-api.ts';
import { Labels } from '../../../src/model/labels.ts';
import type { MetricMetadata } from '../../../src/model/metadata.ts';
import type { QueryOutcome } from '../../../src/promql/value.ts';
import {
  type MetadataQuery,
  type QueryEngine,
  QueryError,
  type QueryOptions,
  type SeriesQuery,
} from '../../../src/query/query-engine.ts';

const NOW = 1_700_000_000_123;

interface Call {
  readonly kind: string;
  readonly args: unknown[];
}

class RecordingEngine implements QueryEngine {
  calls: Call[] = [];
  answer: () => Promise<QueryOutcome> = async () => ({
    value: { resultType: 'vector', result: [] },
    warnings: [],
    infos: [],
    samplesLoaded: 0,
  });
  series_: Labels[] = [];
  names: string[] = [];
  meta = new Map<string, MetricMetadata[]>();

  async instant(query: string, timeMs: number, options?: QueryOptions): Promise<QueryOutcome> {
    this.calls.push({ kind: 'instant', args: [query, timeMs, options] });
    return this.answer();
  }
  async range(q: string, s: number, e: number, step: number, options?: QueryOptions): Promise<QueryOutcome> {
    this.calls.push({ kind: 'range', args: [q, s, e, step, options] });
    return this.answer();
  }
  async series(q: SeriesQuery): Promise<Labels[]> {
    this.calls.push({ kind: 'series', args: [q] });
    return this.series_;
  }
  async labelNames(q: SeriesQuery): Promise<string[]> {
    this.calls.push({ kind: 'labelNames', args: [q] });
    return this.names;
  }
  async labelValues(name: string, q: SeriesQuery): Promise<string[]> {
    this.calls.push({ kind: 'labelValues', args: [name, q] });
    return this.names;
  }
  async metadata(q: MetadataQuery): Promise<Map<string, MetricMetadata[]>> {
    this.calls.push({ kind: 'metadata', args: [q] });
    return this.meta;
  }
  last(): Call {
    const c = this.calls.at(-1);
    assert.ok(c, 'the engine was called');
    return c;
  }
}

const engine = new RecordingEngine();
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
await app.register(prometheusQueryApi, {
  engine,
  now: () => NOW,
  status: {
    version: '9.9.9',
    startTimeMs: 0,
    storageRetention: '15d',
    flags: { 'query.timeout': '2m' },
  },
});
after(() => app.close());

async function get(url: string) {
  engine.calls = [];
  const res = await app.inject(url);
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
}

async function post(url: string, form: Record<string, string | string[]>) {
  engine.calls = [];
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  const res = await app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

function assertError(
  r: { status: number; body: Record<string, unknown> },
  status: number,
  type: string,
  error: string,
) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.deepEqual(r.body, { status: 'error', errorType: type, error });
}

test('instant query: time as float seconds, RFC 3339 or now; timeout, lookback_delta and limit reach the engine', async () => {
  await get('/api/v1/query?query=up&time=1435781451.781');
  assert.deepEqual(engine.last().args.slice(0, 2), ['up', 1435781451781]);

  await get('/api/v1/query?query=up&time=2015-07-01T20:10:51.781Z');
  assert.equal(engine.last().args[1], 1435781451781);
  await get('/api/v1/query?query=up&time=2015-07-01T22:10:51%2B02:00');
  assert.equal(engine.last().args[1], 1435781451000);

  await get('/api/v1/query?query=sum(rate(x[5m]))');
  assert.deepEqual(engine.last().args.slice(0, 2), ['sum(rate(x[5m]))', NOW]);

  await get('/api/v1/query?query=up&timeout=1.5&lookback_delta=1m&limit=7');
  const opts = engine.last().args[2] as QueryOptions;
  assert.equal(opts.timeoutMs, 1500);
  assert.equal(opts.lookbackDeltaMs, 60_000);
  assert.equal(opts.limit, 7);
  assert.ok(opts.signal instanceof AbortSignal);

  await get('/api/v1/query?query=up&timeout=30s&lookback_delta=0');
  const o2 = engine.last().args[2] as QueryOptions;
  assert.equal(o2.timeoutMs, 30_000);
  assert.equal(o2.lookbackDeltaMs, undefined, 'lookback_delta 0 means the default');
});

test('instant query by form POST', async () => {
  const r = await post('/api/v1/query', { query: 'up{job="a b"}', time: '10' });
  assert.equal(r.status, 200);
  assert.deepEqual(engine.last().args.slice(0, 2), ['up{job="a b"}', 10_000]);
});

test('bad parameters: bad_data (400) with Prometheus messages', async () => {
  assertError(
    await get('/api/v1/query?query=up&time=yesterday'),
    400,
    'bad_data',
    'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
  );
  assertError(
    await get('/api/v1/query?query=up&time=2015-07-01T20:10'),
    400,
    'bad_data',
    'invalid parameter "time": cannot parse "2015-07-01T20:10" to a valid timestamp',
  );
  assertError(
    await get('/api/v1/query?query=up&timeout=soon'),
    400,
    'bad_data',
    'invalid parameter "timeout": cannot parse "soon" to a valid duration',
  );
  assertError(
    await get('/api/v1/query?query=up&lookback_delta=x'),
    400,
    'bad_data',
    'error parsing lookback delta duration: cannot parse "x" to a valid duration',
  );
  assertError(
    await get('/api/v1/query?query=up&limit=abc'),
    400,
    'bad_data',
    'invalid parameter "limit": strconv.Atoi: parsing "abc": invalid syntax',
  );
  assertError(
    await get('/api/v1/query?query=up&limit=-1'),
    400,
    'bad_data',
    'invalid parameter "limit": limit must be non-negative',
  );
  assert.equal(engine.calls.length, 0, 'nothing reached the engine');
});

test('query_range: start, end and step in every spelling; Prometheus checks before the engine', async () => {
  await get('/api/v1/query_range?query=up&start=0&end=3600&step=15');
  assert.deepEqual(engine.last().args.slice(0, 4), ['up', 0, 3_600_000, 15_000]);
  await get(
    '/api/v1/query_range?query=up&start=2015-07-01T20:10:30.781Z&end=2015-07-01T20:11:00.781Z&step=1m30s',
  );
  assert.deepEqual(engine.last().args.slice(1, 4), [1435781430781, 1435781460781, 90_000]);
  await get('/api/v1/query_range?query=up&start=0&end=10&step=0.25');
  assert.equal(engine.last().args[3], 250);
  await get('/api/v1/query_range?query=up&start=0&end=10&step=1e1');
  assert.equal(engine.last().args[3], 10_000);
  const r = await post('/api/v1/query_range', {
    query: 'rate(x[1m])',
    start: '100',
    end: '200',
    step: '10s',
  });
  assert.equal(r.status, 200);
  assert.deepEqual(engine.last().args.slice(0, 4), ['rate(x[1m])', 100_000, 200_000, 10_000]);

  assertError(
    await get('/api/v1/query_range?query=up&end=10&step=1'),
    400,
    'bad_data',
    'invalid parameter "start": cannot parse "" to a valid timestamp',
  );
  assertError(
    await get('/api/v1/query_range?query=up&start=10&end=5&step=1'),
    400,
    'bad_data',
    'invalid parameter "end": end timestamp must not be before start time',
  );
  assertError(
    await get('/api/v1/query_range?query=up&start=0&end=10'),
    400,
    'bad_data',
    'invalid parameter "step": cannot parse "" to a valid duration',
  );
  assertError(
    await get('/api/v1/query_range?query=up&start=0&end=10&step=1x'),
    400,
    'bad_data',
    'invalid parameter "step": cannot parse "1x" to a valid duration',
  );
  for (const step of ['0', '-5', '0.0001'])
    assertError(
      await get(`/api/v1/query_range?query=up&start=0&end=10&step=${step}`),
      400,
      'bad_data',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  assertError(
    await get('/api/v1/query_range?query=up&start=0&end=1e12&step=1'),
    400,
    'bad_data',
    'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
  );
  assertError(
    await get('/api/v1/query_range?query=up&start=0&end=10&step=1e30'),
    400,
    'bad_data',
    'invalid parameter "step": cannot parse "1e30" to a valid duration. It overflows int64',
  );
  assert.equal(engine.calls.length, 0);
  // 11,000 points exactly is still allowed.
  assert.equal((await get('/api/v1/query_range?query=up&start=0&end=11000&step=1')).status, 200);
});

test('engine failures keep their type and status; a bad query names the parameter', async () => {
  const cases: [QueryError, number, string][] = [
    [
      new QueryError('bad_data', '1:3: parse error: unexpected end of input'),
      400,
      'invalid parameter "query": 1:3: parse error: unexpected end of input',
    ],
    [
      new QueryError('execution', 'vector cannot contain metrics with the same labelset'),
      422,
      'vector cannot contain metrics with the same labelset',
    ],
    [
      new QueryError('timeout', 'query timed out in query execution'),
      503,
      'query timed out in query execution',
    ],
    [
      new QueryError('canceled', 'query was canceled in query execution'),
      499,
      'query was canceled in query execution',
    ],
    [new QueryError('internal', 'boom'), 500, 'boom'],
  ];
  try {
    for (const [err, status, message] of cases) {
      engine.answer = async () => {
        throw err;
      };
      assertError(await get('/api/v1/query?query=x'), status, err.type, message);
      assertError(await get('/api/v1/query_range?query=x&start=0&end=1&step=1'), status, err.type, message);
    }
  } finally {
    engine.answer = new RecordingEngine().answer;
  }
});

test('results: values as strings with NaN and ±Inf, warnings and infos in the envelope', async () => {
  engine.answer = async () => ({
    value: {
      resultType: 'vector',
      result: [
        { labels: Labels.from({ __name__: 'a' }), t: NOW, v: Number.NaN },
        { labels: Labels.from({ __name__: 'b' }), t: NOW, v: Number.POSITIVE_INFINITY },
        { labels: Labels.from({ __name__: 'c' }), t: NOW, v: -1e-9 },
      ],
    },
    warnings: ['PromQL warning: something'],
    infos: ['PromQL info: metric might not be a counter'],
    samplesLoaded: 3,
  });
  try {
    const r = await get('/api/v1/query?query=x');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.deepEqual(r.body, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'a' }, value: [1700000000.123, 'NaN'] },
          { metric: { __name__: 'b' }, value: [1700000000.123, '+Inf'] },
          { metric: { __name__: 'c' }, value: [1700000000.123, '-1e-09'] },
        ],
      },
      warnings: ['PromQL warning: something'],
      infos: ['PromQL info: metric might not be a counter'],
    });
  } finally {
    engine.answer = new RecordingEngine().answer;
  }
});

test('a large answer is streamed gzipped to a client that takes gzip', async () => {
  const n = 50_000;
  const ts = Float64Array.from({ length: n }, (_, i) => i * 1000);
  const vs = Float64Array.from({ length: n }, (_, i) => i);
  engine.answer = async () => ({
    value: { resultType: 'matrix', result: [{ labels: Labels.from({ __name__: 'm' }), ts, vs }] },
    warnings: [],
    infos: [],
    samplesLoaded: n,
  });
  try {
    const res = await app.inject({
      url: '/api/v1/query_range?query=m&start=0&end=10000&step=1',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    const body = JSON.parse(gunzipSync(res.rawPayload).toString()) as {
      data: { result: { values: [number, string][] }[] };
    };
    assert.equal(body.data.result[0].values.length, n);
    assert.deepEqual(body.data.result[0].values[n - 1], [n - 1, String(n - 1)]);
    const plain = await app.inject('/api/v1/query_range?query=m&start=0&end=10000&step=1');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal((plain.json() as typeof body).data.result[0].values.length, n);
  } finally {
    engine.answer = new RecordingEngine().answer;
  }
});

test('series: match[] required, start/end, limit asks one more and warns when cut', async () => {
  engine.series_ = [Labels.from({ __name__: 'up', job: 'a' }), Labels.from({ __name__: 'up', job: 'b' })];
  assertError(await get('/api/v1/series'), 400, 'bad_data', 'no match[] parameter provided');
  const r = await get('/api/v1/series?match[]=up&match[]={job="a"}&start=10&end=2015-07-01T20:10:51Z');
  assert.deepEqual(r.body, {
    status: 'success',
    data: [
      { __name__: 'up', job: 'a' },
      { __name__: 'up', job: 'b' },
    ],
  });
  const q = engine.last().args[0] as SeriesQuery;
  assert.deepEqual(q.match, ['up', '{job="a"}']);
  assert.equal(q.startMs, 10_000);
  assert.equal(q.endMs, 1435781451000);
  assert.equal(q.limit, 0);

  const cut = await get('/api/v1/series?match[]=up&limit=1');
  assert.equal((engine.last().args[0] as SeriesQuery).limit, 2);
  assert.deepEqual(cut.body, {
    status: 'success',
    data: [{ __name__: 'up', job: 'a' }],
    warnings: ['results truncated due to limit'],
  });
  const whole = await get('/api/v1/series?match[]=up&limit=2');
  assert.equal(whole.body.warnings, undefined);

  const p = await post('/api/v1/series', { 'match[]': ['up', 'down'], start: '1', end: '2' });
  assert.equal(p.status, 200);
  assert.deepEqual((engine.last().args[0] as SeriesQuery).match, ['up', 'down']);

  engine.series = async () => {
    throw new QueryError('bad_data', '1:4: parse error: unexpected "}"');
  };
  try {
    assertError(
      await get('/api/v1/series?match[]=up}'),
      400,
      'bad_data',
      'invalid parameter "match[]": 1:4: parse error: unexpected "}"',
    );
  } finally {
    engine.series = RecordingEngine.prototype.series;
  }
});

test('labels and label values: optional match[], limit, U__ escaped names', async () => {
  engine.names = ['__name__', 'instance', 'job'];
  const r = await get('/api/v1/labels');
  assert.deepEqual(r.body, { status: 'success', data: ['__name__', 'instance', 'job'] });
  const q = engine.last().args[0] as SeriesQuery;
  assert.deepEqual(q.match, []);
  assert.ok(q.startMs < -8e15 && q.endMs > 8e15, 'open range by default');

  const cut = await post('/api/v1/labels', { 'match[]': 'up', limit: '2' });
  assert.deepEqual(cut.body, {
    status: 'success',
    data: ['__name__', 'instance'],
    warnings: ['results truncated due to limit'],
  });

  await get('/api/v1/label/job/values?match[]=up&start=1&end=2');
  assert.equal(engine.last().args[0], 'job');
  assert.deepEqual((engine.last().args[1] as SeriesQuery).match, ['up']);
  await get('/api/v1/label/U__http_2e_method/values');
  assert.equal(engine.last().args[0], 'http.method');
  await get('/api/v1/label/U__a__b/values');
  assert.equal(engine.last().args[0], 'a_b');
  assertError(
    await get('/api/v1/label/job/values?limit=x'),
    400,
    'bad_data',
    'invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax',
  );
});

test('metadata: metric, limit, limit_per_metric; untyped is "unknown"', async () => {
  engine.meta = new Map([
    ['up', [{ type: 'gauge', help: 'Up.', unit: '' }]],
    ['x_seconds', [{ type: 'untyped', help: '', unit: 'seconds' }]],
  ]);
  const r = await get('/api/v1/metadata?metric=up&limit=5&limit_per_metric=1');
  assert.deepEqual(r.body, {
    status: 'success',
    data: {
      up: [{ type: 'gauge', help: 'Up.', unit: '' }],
      x_seconds: [{ type: 'unknown', help: '', unit: 'seconds' }],
    },
  });
  assert.deepEqual(
    { ...(engine.last().args[0] as MetadataQuery), signal: undefined },
    { metric: 'up', limit: 5, limitPerMetric: 1, signal: undefined },
  );
  assert.deepEqual((await get('/api/v1/metadata?limit=0')).body, { status: 'success', data: {} });
  assert.equal(engine.calls.length, 0);
  await get('/api/v1/metadata?limit=-1');
  assert.equal((engine.last().args[0] as MetadataQuery).limit, 0);
  assertError(await get('/api/v1/metadata?limit=x'), 400, 'bad_data', 'limit must be a number');
  assertError(
    await get('/api/v1/metadata?limit_per_metric=x'),
    400,
    'bad_data',
    'limit_per_metric must be a number',
  );
});

test('status: buildinfo reports a Prometheus version and telemux its own; runtimeinfo and flags', async () => {
  const b = await get('/api/v1/status/buildinfo');
  assert.equal(b.status, 200);
  const data = b.body.data as Record<string, string>;
  assert.equal(data.version, '3.0.0');
  assert.equal(data.telemuxVersion, '9.9.9');
  for (const k of ['revision', 'branch', 'buildUser', 'buildDate', 'goVersion'])
    assert.equal(typeof data[k], 'string');

  const rt = (await get('/api/v1/status/runtimeinfo')).body.data as Record<string, unknown>;
  assert.equal(rt.startTime, '1970-01-01T00:00:00.000Z');
  assert.equal(rt.storageRetention, '15d');
  assert.equal(rt.reloadConfigSuccess, true);
  assert.equal(typeof rt.GOMAXPROCS, 'number');

  assert.deepEqual((await get('/api/v1/status/flags')).body, {
    status: 'success',
    data: { 'query.timeout': '2m' },
  });
});

test('rules and alerts are valid and empty', async () => {
  assert.deepEqual((await get('/api/v1/rules')).body, { status: 'success', data: { groups: [] } });
  assert.deepEqual((await get('/api/v1/rules?type=alert')).body, { status: 'success', data: { groups: [] } });
  assertError(await get('/api/v1/rules?type=x'), 400, 'bad_data', "invalid query parameter type='x'");
  assert.deepEqual((await get('/api/v1/alerts')).body, { status: 'success', data: { alerts: [] } });
});

test('a client that goes away aborts its query', async () => {
  let seen: AbortSignal | undefined;
  let release!: () => void;
  const started = new Promise<void>((resolve) => {
    engine.answer = () => {
      seen = (engine.last().args[2] as QueryOptions).signal;
      resolve();
      return new Promise((_resolve, reject) => {
        release = () => reject(new QueryError('canceled', 'query was canceled'));
        seen?.addEventListener('abort', release);
      });
    };
  });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const ac = new AbortController();
    const req = fetch(`http://127.0.0.1:${port}/api/v1/query?query=slow`, { signal: ac.signal }).catch(
      () => {},
    );
    await started;
    assert.equal(seen?.aborted, false);
    ac.abort();
    await req;
    const signal = seen as AbortSignal;
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  } finally {
    engine.answer = new RecordingEngine().answer;
  }
});

test('every answered request is observed by route and status code', async () => {
  const seen: [string, number, number][] = [];
  const observed = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
  await observed.register(prometheusQueryApi, {
    engine: new RecordingEngine(),
    status: { version: 'x', startTimeMs: 0, storageRetention: '15d', flags: {} },
    observe: (endpoint, code, seconds) => seen.push([endpoint, code, seconds]),
  });
  try {
    await observed.inject('/api/v1/query?query=up');
    await observed.inject('/api/v1/query_range?query=up');
    await observed.inject('/api/v1/label/job/values');
    assert.deepEqual(
      seen.map(([e, c]) => [e, c]),
      [
        ['/api/v1/query', 200],
        ['/api/v1/query_range', 400],
        ['/api/v1/label/:name/values', 200],
      ],
    );
    for (const [, , s] of seen) assert.ok(s >= 0);
  } finally {
    await observed.close();
  }
});
