// The local QueryEngine over a real store in a temporary directory: series, label names and values
// with match[] and time ranges, limits, metadata; and how it hands queries to the PromQL engine and
// turns the engine's failures into QueryErrors.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Labels } from '../../src/model/labels.ts';
import { type EvalOptions, PromqlEngine } from '../../src/promql/engine/engine.ts';
import {
  PromqlCanceledError,
  PromqlEvalError,
  PromqlParseError,
  PromqlTimeoutError,
} from '../../src/promql/errors.ts';
import type { Queryable } from '../../src/promql/storage.ts';
import type { QueryOutcome } from '../../src/promql/value.ts';
import { LocalQueryEngine, toQueryError } from '../../src/query/local-engine.ts';
import { QueryError, type SeriesQuery } from '../../src/query/query-engine.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-local-engine-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
after(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Early series: samples in [0, 100 s]; late ones in [1,000 s, 2,000 s].
const app = db.appender();
const add = (labels: Record<string, string>, from: number, to: number) => {
  const h = app.series(Labels.from(labels));
  assert.ok(h);
  for (let t = from; t <= to; t += 10_000) app.append(h, t, t / 1000);
};
add({ __name__: 'up', job: 'api', instance: 'a:1' }, 0, 100_000);
add({ __name__: 'up', job: 'api', instance: 'b:1' }, 1_000_000, 2_000_000);
add({ __name__: 'up', job: 'db', instance: 'c:1' }, 1_000_000, 2_000_000);
add({ __name__: 'http_requests_total', job: 'api', code: '200' }, 1_000_000, 2_000_000);
app.setMetadata('up', { type: 'gauge', help: 'Whether the target is up.', unit: '' });
app.setMetadata('http_requests_total', { type: 'counter', help: 'Requests.', unit: '' });
app.setMetadata('process_cpu_seconds_total', { type: 'counter', help: 'CPU.', unit: 'seconds' });
await app.commit();

const store = { querier: (a: number, b: number) => db.querier(a, b), metadata: () => db.head.metadata };
const local = new LocalQueryEngine({ store, engine: new PromqlEngine() });
const ALL = { startMs: Number.MIN_SAFE_INTEGER, endMs: Number.MAX_SAFE_INTEGER };
const q = (match: string[], extra: Partial<SeriesQuery> = {}): SeriesQuery => ({ match, ...ALL, ...extra });
const keys = (ls: Labels[]) => ls.map((l) => l.toString());

test('series: each match[] selects, several are merged, sorted and deduplicated', async () => {
  assert.deepEqual(keys(await local.series(q(['up']))), [
    'up{instance="a:1", job="api"}',
    'up{instance="b:1", job="api"}',
    'up{instance="c:1", job="db"}',
  ]);
  assert.deepEqual(
    keys(await local.series(q(['up{job="db"}', '{job="api", code=~"2.."}', 'up{job="db"}']))),
    ['http_requests_total{code="200", job="api"}', 'up{instance="c:1", job="db"}'],
  );
  assert.deepEqual(keys(await local.series(q(['nothing_here']))), []);
});

test('series: only those with samples in [start, end]', async () => {
  assert.deepEqual(keys(await local.series(q(['up'], { startMs: 500_000, endMs: 3_000_000 }))), [
    'up{instance="b:1", job="api"}',
    'up{instance="c:1", job="db"}',
  ]);
  assert.deepEqual(keys(await local.series(q(['up'], { startMs: 0, endMs: 50_000 }))), [
    'up{instance="a:1", job="api"}',
  ]);
  assert.deepEqual(keys(await local.series(q(['up'], { startMs: 200_000, endMs: 300_000 }))), []);
});

test('series: limit, and the errors of a bad or missing selector', async () => {
  assert.equal((await local.series(q(['up'], { limit: 2 }))).length, 2);
  await assert.rejects(local.series(q([])), (e: unknown) => e instanceof QueryError && e.type === 'bad_data');
  await assert.rejects(
    local.series(q(['up{'])),
    (e: unknown) => e instanceof QueryError && e.type === 'bad_data',
  );
  await assert.rejects(
    local.series(q(['{job=~".*"}'])),
    (e: unknown) => e instanceof QueryError && e.type === 'bad_data',
    'a selector that matches everything is refused',
  );
});

test('label names and values, with and without match[]', async () => {
  assert.deepEqual(await local.labelNames(q([])), ['__name__', 'code', 'instance', 'job']);
  assert.deepEqual(await local.labelNames(q(['up'])), ['__name__', 'instance', 'job']);
  assert.deepEqual(await local.labelNames(q(['up', 'http_requests_total'])), [
    '__name__',
    'code',
    'instance',
    'job',
  ]);
  assert.deepEqual(await local.labelNames(q([], { limit: 2 })), ['__name__', 'code']);

  assert.deepEqual(await local.labelValues('job', q([])), ['api', 'db']);
  assert.deepEqual(await local.labelValues('__name__', q([])), ['http_requests_total', 'up']);
  assert.deepEqual(await local.labelValues('instance', q(['up{job="api"}'])), ['a:1', 'b:1']);
  assert.deepEqual(await local.labelValues('instance', q(['up{job="api"}', 'up{job="db"}'])), [
    'a:1',
    'b:1',
    'c:1',
  ]);
  assert.deepEqual(await local.labelValues('instance', q([], { limit: 1 })), ['a:1']);
  assert.deepEqual(await local.labelValues('no_such_label', q([])), []);
});

test('metadata: every family sorted, one metric, limit', async () => {
  const all = await local.metadata({});
  assert.deepEqual([...all.keys()], ['http_requests_total', 'process_cpu_seconds_total', 'up']);
  assert.deepEqual(all.get('process_cpu_seconds_total'), [
    { type: 'counter', help: 'CPU.', unit: 'seconds' },
  ]);
  assert.deepEqual(
    [...(await local.metadata({ metric: 'up' })).entries()],
    [['up', [{ type: 'gauge', help: 'Whether the target is up.', unit: '' }]]],
  );
  assert.equal((await local.metadata({ metric: 'nope' })).size, 0);
  assert.equal((await local.metadata({ limit: 2 })).size, 2);
});

/** A PromQL engine that records what it is asked and answers or fails as told. */
class ScriptedPromql extends PromqlEngine {
  seen: { query: unknown; times: number[]; opts: EvalOptions }[] = [];
  next: () => QueryOutcome = () => ({
    value: {
      resultType: 'vector',
      result: ['a', 'b', 'c'].map((x) => ({ labels: Labels.from({ x }), t: 0, v: 1 })),
    },
    warnings: [],
    infos: [],
    samplesLoaded: 3,
  });
  override async instantQuery(_s: Queryable, query: unknown, t: number, opts: EvalOptions = {}) {
    this.seen.push({ query, times: [t], opts });
    return this.next();
  }
  override async rangeQuery(
    _s: Queryable,
    query: unknown,
    a: number,
    b: number,
    step: number,
    opts: EvalOptions = {},
  ) {
    this.seen.push({ query, times: [a, b, step], opts });
    return this.next();
  }
}

test('queries go to the PromQL engine with their options; limit cuts with a warning', async () => {
  const promql = new ScriptedPromql();
  const engine = new LocalQueryEngine({ store, engine: promql });
  const signal = new AbortController().signal;
  const out = await engine.instant('up', 5000, { timeoutMs: 100, lookbackDeltaMs: 60_000, signal, limit: 2 });
  assert.deepEqual(promql.seen[0], {
    query: 'up',
    times: [5000],
    opts: { timeoutMs: 100, lookbackDeltaMs: 60_000, signal },
  });
  assert.equal(out.value.resultType === 'vector' && out.value.result.length, 2);
  assert.deepEqual(out.warnings, ['results truncated due to limit']);

  const whole = await engine.range('up', 0, 10_000, 1000, { limit: 3 });
  assert.deepEqual(promql.seen[1].times, [0, 10_000, 1000]);
  assert.deepEqual(whole.warnings, []);
});

test('engine failures become QueryErrors of the API error types', async () => {
  const promql = new ScriptedPromql();
  const engine = new LocalQueryEngine({ store, engine: promql });
  const deep = (n: number): number => (n === 0 ? 0 : 1 + deep(n - 1));
  const cases: [() => never, string][] = [
    [
      () => {
        throw new PromqlParseError('1:5: parse error: unexpected end of input', 4, 5);
      },
      'bad_data',
    ],
    [
      () => {
        throw new PromqlEvalError('found duplicate series for the match group');
      },
      'execution',
    ],
    [
      () => {
        throw new PromqlTimeoutError();
      },
      'timeout',
    ],
    [
      () => {
        throw new PromqlCanceledError();
      },
      'canceled',
    ],
    [
      () => {
        deep(1e7);
        throw new Error('unreachable');
      },
      'execution',
    ],
    [
      () => {
        throw new TypeError('x is undefined');
      },
      'internal',
    ],
  ];
  for (const [fail, type] of cases) {
    promql.next = fail;
    await assert.rejects(
      engine.instant('x', 0),
      (e: unknown) => e instanceof QueryError && e.type === type,
      type,
    );
    await assert.rejects(
      engine.range('x', 0, 1, 1),
      (e: unknown) => e instanceof QueryError && e.type === type,
    );
  }
  assert.equal(toQueryError(new PromqlParseError('msg', 0, 1)).message, 'msg');
});

test('a zero timeout times out and an aborted signal cancels, before any work', async () => {
  const promql = new ScriptedPromql();
  const engine = new LocalQueryEngine({ store, engine: promql });
  await assert.rejects(
    engine.instant('up', 0, { timeoutMs: 0 }),
    (e: unknown) => e instanceof QueryError && e.type === 'timeout',
  );
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    engine.range('up', 0, 1, 1, { signal: ac.signal }),
    (e: unknown) => e instanceof QueryError && e.type === 'canceled',
  );
  await assert.rejects(
    engine.series(q(['up'], { signal: ac.signal })),
    (e: unknown) => e instanceof QueryError && e.type === 'canceled',
  );
  assert.equal(promql.seen.length, 0);
});
