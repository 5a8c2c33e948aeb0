// Whatever a client sends to the query API — random text, PromQL-ish token soup, absurd nesting,
// huge ranges, tiny steps, garbage parameters — the answer is a success or a JSON error of the
// types Prometheus uses (400, 422, 503), never a crash and never a 500.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { prometheusQueryApi } from '../../../src/api/prometheus/query-api.ts';
import { Labels } from '../../../src/model/labels.ts';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { LocalQueryEngine } from '../../../src/query/local-engine.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-query-fuzz-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
const T0 = 1_700_000_000_000;
const a = db.appender();
for (const job of ['api', 'db']) {
  for (const name of ['up', 'requests_total', 'latency_seconds_bucket']) {
    for (const le of name.endsWith('_bucket') ? ['0.1', '1', '+Inf'] : ['']) {
      const h = a.series(Labels.from({ __name__: name, job, le }));
      assert.ok(h);
      for (let i = 0; i < 40; i++) a.append(h, T0 + i * 15_000, i * (le === '' ? 1 : Number(le) + 1));
    }
  }
}
await a.commit();

// Limits small enough that a bad query hits them quickly on a shared machine.
const engine = new PromqlEngine({ maxSamples: 200_000, timeoutMs: 2000 });
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
await app.register(prometheusQueryApi, {
  engine: new LocalQueryEngine({
    store: { querier: (x, y) => db.querier(x, y), metadata: () => db.head.metadata },
    engine,
  }),
  now: () => T0 + 600_000,
  status: { version: 'fuzz', startTimeMs: 0, storageRetention: '15d', flags: {} },
});
after(async () => {
  await app.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ALLOWED = new Set([200, 400, 422, 503]);

async function check(method: 'GET' | 'POST', url: string, form: Record<string, string>): Promise<void> {
  const body = new URLSearchParams(form).toString();
  const res =
    method === 'GET'
      ? await app.inject({ method, url: `${url}?${body}` })
      : await app.inject({
          method,
          url,
          payload: body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
  const what = `${method} ${url} ${JSON.stringify(form).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  assert.ok(ALLOWED.has(res.statusCode), what);
  const json = JSON.parse(res.body) as { status: string; errorType?: string; error?: string };
  if (res.statusCode === 200) assert.equal(json.status, 'success', what);
  else {
    assert.equal(json.status, 'error', what);
    assert.ok(typeof json.error === 'string' && json.error.length > 0, what);
  }
}

const TOKENS = [
  'up',
  'requests_total',
  'latency_seconds_bucket',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '!=',
  '=~',
  '!~',
  '"api"',
  "'db'",
  '`.*`',
  'job',
  'le',
  '5m',
  '1h',
  '30s',
  '0s',
  ':',
  'offset',
  '@',
  'start()',
  'end()',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '>',
  '<',
  'and',
  'or',
  'unless',
  'sum',
  'avg',
  'count',
  'topk',
  'quantile',
  'count_values',
  'rate',
  'irate',
  'increase',
  'delta',
  'histogram_quantile',
  'label_replace',
  'label_join',
  'absent',
  'scalar',
  'vector',
  'time',
  'timestamp',
  'sort',
  'clamp',
  'round',
  'predict_linear',
  'holt_winters',
  'sum_over_time',
  'quantile_over_time',
  '0',
  '1',
  '0.5',
  '-1',
  '1e308',
  'NaN',
  'Inf',
  '0x1F',
  '9999999999999',
  ' ',
  '#',
  '\\',
  '\n',
];

const queryText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(' ')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join('')),
);

const timeText = fc.oneof(
  fc.constantFrom(
    '',
    'now',
    '-1',
    '0',
    '1e308',
    'NaN',
    '2023-11-14T22:13:20Z',
    '2023-11-14T22:13:20.5+01:00',
    '.5',
  ),
  fc.double().map(String),
  fc.integer({ min: 1_699_999_000, max: 1_700_001_000 }).map(String),
);

const durationText = fc.oneof(
  fc.constantFrom('', '0', '-1', '1e-9', '0.001', '1', '15s', '1m', '1h30m', '5y', '1e30', 'Inf', 'NaN', 'x'),
  fc.double().map(String),
);

test('random queries and parameters: a JSON success or a 400/422/503 error, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(
      queryText,
      timeText,
      timeText,
      durationText,
      durationText,
      fc.constantFrom('', '0', '1', '-3', 'x', '99999999999999999999'),
      fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
      async (query, t1, t2, step, timeout, limit, method) => {
        await check(method, '/api/v1/query', { query, time: t1, timeout, limit, lookback_delta: step });
        await check(method, '/api/v1/query_range', { query, start: t1, end: t2, step, timeout, limit });
        await check(method, '/api/v1/series', { 'match[]': query, start: t1, end: t2, limit });
        await check(method, '/api/v1/labels', { 'match[]': query, start: t1, limit });
        await check('GET', `/api/v1/label/${labelSegment(query.slice(0, 20))}/values`, {
          'match[]': query,
          limit,
        });
      },
    ),
    { numRuns: 300 },
  );
});

test('deep nesting, long chains, huge ranges and tiny steps are refused with a message', async () => {
  const cases: Record<string, string>[] = [
    { query: `${'('.repeat(20_000)}1${')'.repeat(20_000)}` },
    { query: `${'-'.repeat(50_000)}1` },
    { query: `${'sum('.repeat(5_000)}up${')'.repeat(5_000)}` },
    { query: Array.from({ length: 5_000 }, () => 'up').join(' + ') },
    { query: 'up[100y:1ms]' },
    { query: 'sum_over_time(up[1y:1s])' },
    { query: 'count_over_time(up[10000d:1ms])' },
  ];
  for (const form of cases) await check('POST', '/api/v1/query', form);
  await check('GET', '/api/v1/query_range', { query: 'up', start: '0', end: '1e15', step: '1' });
  await check('GET', '/api/v1/query_range', { query: 'up', start: '-1e15', end: '1e15', step: '1e9' });
  await check('GET', '/api/v1/query_range', {
    query: 'up',
    start: '1700000000',
    end: '1700000010',
    step: '0.000001',
  });
  await check('GET', '/api/v1/query_range', {
    query: 'rate(up[1y:1ms])',
    start: '1700000000',
    end: '1700011000',
    step: '1',
  });
});

/**
 * A label name as one path segment. `.` and `..` (even as %2E) are dot-segments that every URL
 * parser removes before a server sees them (RFC 3986 §5.2.4, WHATWG URL), so they are sent in
 * Prometheus' `U__` label-name escaping instead.
 */
function labelSegment(name: string): string {
  if (name === '') return 'job';
  if (name === '.' || name === '..') return `U__${'_2e_'.repeat(name.length)}`;
  return encodeURIComponent(name);
}
