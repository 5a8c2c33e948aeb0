import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, samples, vectorRecord } from '../helpers/results.ts';

const S = 1000;
const M = 60 * S;

describe('instant vector selectors', () => {
  const engine = new PromqlEngine();
  const store = new MemoryStore()
    .load({ __name__: 'm', job: 'a' }, '0 1 stale 2', 10 * S)
    .load({ __name__: 'm', job: 'b' }, '5', 10 * S);

  it('takes the newest sample of the lookback window, left-open', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm', 10 * S)), {
      'm{job="a"}': 1,
      'm{job="b"}': 5,
    });
    // job="b" has its only sample at 0: in (299s, 599s] no, in (-1ms, 299.999s] yes.
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm{job="b"}', 300 * S - 1)), {
      'm{job="b"}': 5,
    });
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm{job="b"}', 300 * S)), {});
  });

  it('hides a series at a staleness marker until its next sample', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm{job="a"}', 20 * S)), {});
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm{job="a"}', 25 * S)), {});
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm{job="a"}', 30 * S)), {
      'm{job="a"}': 2,
    });
  });

  it('applies offset (also negative) and @ with start() and end()', async () => {
    const s = new MemoryStore().load({ __name__: 'c' }, '0+1x100', M);
    assert.deepEqual(vectorRecord(await engine.instantQuery(s, 'c offset 10m', 50 * M)), { 'c{}': 40 });
    assert.deepEqual(vectorRecord(await engine.instantQuery(s, 'c offset -10m', 50 * M)), { 'c{}': 60 });
    assert.deepEqual(vectorRecord(await engine.instantQuery(s, 'c @ 600', 50 * M)), { 'c{}': 10 });
    assert.deepEqual(vectorRecord(await engine.instantQuery(s, 'c @ 600 offset 5m', 50 * M)), { 'c{}': 5 });
    const r = await engine.rangeQuery(s, 'c @ start() + c @ end()', 10 * M, 20 * M, 5 * M);
    assert.deepEqual(matrixRecord(r), {
      '{}': [
        [10 * M, 30],
        [15 * M, 30],
        [20 * M, 30],
      ],
    });
  });

  it('gives the same values as a range query as instant queries at each step', async () => {
    const r = await engine.rangeQuery(store, 'm', 0, 40 * S, 10 * S);
    assert.deepEqual(matrixRecord(r), {
      'm{job="a"}': [
        [0, 0],
        [10 * S, 1],
        [30 * S, 2],
        [40 * S, 2],
      ],
      'm{job="b"}': [
        [0, 5],
        [10 * S, 5],
        [20 * S, 5],
        [30 * S, 5],
        [40 * S, 5],
      ],
    });
  });

  it('returns a bare range selector of an instant query as its samples, without staleness markers', async () => {
    const r = await engine.instantQuery(store, 'm[30s]', 30 * S);
    assert.deepEqual(matrixRecord(r), {
      'm{job="a"}': [
        [10 * S, 1],
        [30 * S, 2],
      ],
    });
  });

  it('selects by regex and negative matchers, and keeps the storage order of series', async () => {
    const s = new MemoryStore()
      .add({ __name__: 'x', a: '2' }, [[0, 2]])
      .add({ __name__: 'x', a: '1' }, [[0, 1]])
      .add({ __name__: 'y', a: '3' }, [[0, 3]]);
    assert.deepEqual(samples(await engine.instantQuery(s, '{__name__=~"x|y", a!="3"}', 0)), [
      ['x{a="1"}', 1],
      ['x{a="2"}', 2],
    ]);
  });

  it('reads each series from the store once per selector, over the union of the windows', async () => {
    const s = new MemoryStore().load({ __name__: 'c' }, '0+1x100', M);
    s.queried.length = 0;
    await engine.rangeQuery(s, 'c offset 1m', 10 * M, 20 * M, M);
    assert.deepEqual(s.queried, [{ minT: 9 * M - 5 * M + 1, maxT: 19 * M }]);
  });
});
