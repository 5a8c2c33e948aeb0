import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../../src/promql/ast.ts';
import { ConcurrencyGate } from '../../../src/promql/engine/concurrency-gate.ts';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import {
  PromqlCanceledError,
  PromqlEvalError,
  PromqlParseError,
  PromqlTimeoutError,
} from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import type { Queryable } from '../../../src/promql/storage.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { vectorRecord } from '../helpers/results.ts';

const M = 60_000;

function series(n: number): MemoryStore {
  const s = new MemoryStore();
  for (let i = 0; i < n; i++) s.load({ __name__: 'm', i: String(i) }, '0+1x30', M);
  return s;
}

describe('query limits and cancellation', () => {
  it('fails with Prometheus message when a query would hold too many samples', async () => {
    const store = series(10);
    const small = new PromqlEngine({ maxSamples: 50 });
    await assert.rejects(
      small.rangeQuery(store, 'm', 0, 29 * M, M),
      (e: Error) =>
        e instanceof PromqlEvalError &&
        e.message === 'query processing would load too many samples into memory in query execution',
    );
    // 10 samples in one step is within the limit.
    assert.equal(Object.keys(vectorRecord(await small.instantQuery(store, 'm', 0))).length, 10);
    // A sum holds its input while computing it.
    await assert.rejects(small.rangeQuery(store, 'sum(m)', 0, 29 * M, M), PromqlEvalError);
  });

  it('reports the samples it read', async () => {
    const r = await new PromqlEngine().instantQuery(series(3), 'count_over_time(m[3m])', 10 * M);
    assert.equal(r.samplesLoaded >= 9, true);
  });

  it('stops when the deadline has passed', async () => {
    const engine = new PromqlEngine();
    await assert.rejects(engine.instantQuery(series(1), 'm', 0, { timeoutMs: -1 }), PromqlTimeoutError);
  });

  it('stops when the caller cancels, before or during evaluation', async () => {
    const engine = new PromqlEngine();
    const before = new AbortController();
    before.abort();
    await assert.rejects(
      engine.instantQuery(series(1), 'm', 0, { signal: before.signal }),
      PromqlCanceledError,
    );

    // The store cancels the query as soon as it is read: the next check must notice.
    const during = new AbortController();
    const inner = series(200);
    const cancelling: Queryable = {
      querier: (minT, maxT) => {
        during.abort();
        return inner.querier(minT, maxT);
      },
    };
    await assert.rejects(
      engine.instantQuery(cancelling, 'sum(m) + sum(m)', 0, { signal: during.signal }),
      PromqlCanceledError,
    );
  });

  it('checks a range query’s resolution and type like Prometheus', async () => {
    const engine = new PromqlEngine();
    const store = series(1);
    await assert.rejects(engine.rangeQuery(store, 'm', 0, M, 0), {
      message: 'zero or negative query resolution step widths are not accepted. Try a positive integer',
    });
    await assert.rejects(engine.rangeQuery(store, 'm', M, 0, 1), PromqlParseError);
    await assert.rejects(engine.rangeQuery(store, 'm', 0, 11_001_000, 1000), {
      message:
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    });
    await assert.rejects(engine.rangeQuery(store, 'm[5m]', 0, M, M), {
      message: 'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    });
  });

  it('fails cleanly on nesting deeper than it evaluates', async () => {
    let e: Expr = parseExpr('m');
    for (let i = 0; i < 5000; i++) e = { type: 'UnaryExpr', op: '-', expr: e, pos: e.pos };
    await assert.rejects(new PromqlEngine().instantQuery(series(1), e, 0), PromqlEvalError);
  });
});

describe('concurrency gate', () => {
  it('lets `max` in and queues the rest in order', async () => {
    const gate = new ConcurrencyGate(1);
    const far = Date.now() + 60_000;
    const first = await gate.acquire(far);
    const order: string[] = [];
    const second = gate.acquire(far).then((release) => {
      order.push('second');
      return release;
    });
    const third = gate.acquire(far).then((release) => {
      order.push('third');
      return release;
    });
    assert.equal(gate.waiting, 2);
    first();
    (await second)();
    (await third)();
    assert.deepEqual(order, ['second', 'third']);
    assert.equal(gate.running, 0);
  });

  it('gives up waiting on cancellation or at the deadline', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire(Date.now() + 60_000);
    const ac = new AbortController();
    const cancelled = gate.acquire(Date.now() + 60_000, ac.signal);
    ac.abort();
    await assert.rejects(cancelled, PromqlCanceledError);
    await assert.rejects(gate.acquire(Date.now() - 1), PromqlTimeoutError);
    assert.equal(gate.waiting, 0);
    release();
    assert.equal(gate.running, 0);
  });
});
