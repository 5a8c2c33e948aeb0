import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { PromqlEvalError } from '../../../src/promql/errors.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, samples, scalarValue, vectorRecord } from '../helpers/results.ts';

const S = 1000;
const M = 60 * S;

describe('function dispatch', () => {
  const engine = new PromqlEngine();
  const store = new MemoryStore()
    .load({ __name__: 'req_total', path: '/a' }, '0+10x10', 5 * M)
    .load({ __name__: 'temp', room: 'x' }, '1 5 2 8', M)
    .load({ __name__: 'temp', room: 'y' }, '4 4 4 4', M)
    .load({ __name__: 'b_bucket', le: '1' }, '0+1x10', 5 * M)
    .load({ __name__: 'b_bucket', le: '10' }, '0+3x10', 5 * M)
    .load({ __name__: 'b_bucket', le: '+Inf' }, '0+4x10', 5 * M);

  it('calls range kernels per step over sliding windows and drops the name', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'max_over_time(temp[3m])', 3 * M)), {
      '{room="x"}': 8,
      '{room="y"}': 4,
    });
    assert.deepEqual(
      matrixRecord(await engine.rangeQuery(store, 'count_over_time(temp{room="x"}[90s])', 0, 3 * M, M)),
      {
        '{room="x"}': [
          [0, 1],
          [M, 2],
          [2 * M, 2],
          [3 * M, 2],
        ],
      },
    );
    // last_over_time acts like an offset: the name stays.
    assert.deepEqual(samples(await engine.instantQuery(store, 'last_over_time(temp{room="y"}[1m])', 3 * M)), [
      ['temp{room="y"}', 4],
    ]);
  });

  it('adds the non-counter info for rate() of a name without a counter suffix, at the range argument', async () => {
    const r = await engine.instantQuery(store, 'rate(temp[3m])', 3 * M);
    assert.deepEqual(r.infos, [
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp" (1:6)',
    ]);
    assert.deepEqual((await engine.instantQuery(store, 'rate(req_total[10m])', 50 * M)).infos, []);
  });

  it('warns about quantile_over_time φ outside [0, 1]', async () => {
    const r = await engine.instantQuery(store, 'quantile_over_time(2, temp[3m])', 3 * M);
    assert.deepEqual(r.warnings, ['PromQL warning: quantile value should be between 0 and 1, got 2 (1:20)']);
  });

  it('evaluates time(), vector(), scalar() and timestamp()', async () => {
    assert.equal(scalarValue(await engine.instantQuery(store, 'time()', 90 * S)), 90);
    assert.deepEqual(samples(await engine.instantQuery(store, 'vector(3)', 0)), [['{}', 3]]);
    assert.equal(scalarValue(await engine.instantQuery(store, 'scalar(temp{room="x"})', M)), 5);
    assert.ok(Number.isNaN(scalarValue(await engine.instantQuery(store, 'scalar(temp)', M))));
    // The stored sample's time, also under @ at another evaluation time.
    assert.deepEqual(samples(await engine.instantQuery(store, 'timestamp(temp{room="x"})', 90 * S)), [
      ['{room="x"}', 60],
    ]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'timestamp(temp{room="x"} @ 130)', 10 * M)), [
      ['{room="x"}', 120],
    ]);
    // Of a computed vector it is the evaluation time.
    assert.deepEqual(samples(await engine.instantQuery(store, 'timestamp(-temp{room="x"})', 90 * S)), [
      ['{room="x"}', 90],
    ]);
  });

  it('absent and absent_over_time label the result with the equality matchers', async () => {
    assert.deepEqual(
      samples(await engine.instantQuery(store, 'absent(nope{a="b", c=~"d", e="f", e="g"})', 0)),
      [['{a="b"}', 1]],
    );
    assert.deepEqual(samples(await engine.instantQuery(store, 'absent(temp)', 0)), []);
    assert.deepEqual(
      matrixRecord(await engine.rangeQuery(store, 'absent_over_time(temp{room="x"}[1m])', 3 * M, 6 * M, M)),
      // Windows are left-open: (3m, 4m] no longer holds the sample at 3m.
      {
        '{room="x"}': [
          [4 * M, 1],
          [5 * M, 1],
          [6 * M, 1],
        ],
      },
    );
  });

  it('replaces and joins labels, merging series that become equal', async () => {
    assert.deepEqual(
      samples(await engine.instantQuery(store, 'label_replace(temp, "r", "room-$1", "room", "(.*)")', 0)),
      [
        ['temp{r="room-x", room="x"}', 1],
        ['temp{r="room-y", room="y"}', 4],
      ],
    );
    assert.deepEqual(
      samples(await engine.instantQuery(store, 'label_join(temp, "j", "-", "room", "room")', 0)),
      [
        ['temp{j="x-x", room="x"}', 1],
        ['temp{j="y-y", room="y"}', 4],
      ],
    );
    await assert.rejects(engine.instantQuery(store, 'label_replace(temp, "room", "", "", "")', 0), {
      message: 'vector cannot contain metrics with the same labelset',
    });
    await assert.rejects(engine.instantQuery(store, 'label_replace(temp, "", "", "", "")', 0), {
      message: 'invalid destination label name in label_replace(): ',
    });
  });

  it('orders an instant result with the sort family', async () => {
    const order = async (q: string) => samples(await engine.instantQuery(store, q, M)).map(([l]) => l);
    assert.deepEqual(await order('sort(temp)'), ['temp{room="y"}', 'temp{room="x"}']);
    assert.deepEqual(await order('sort_desc(temp)'), ['temp{room="x"}', 'temp{room="y"}']);
    assert.deepEqual(await order('sort_by_label_desc(temp, "room")'), ['temp{room="y"}', 'temp{room="x"}']);
    const r = await engine.rangeQuery(store, 'sort(temp)', 0, M, M);
    assert.deepEqual(r.warnings, [
      'PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)',
    ]);
  });

  it('computes histogram_quantile per histogram of classic buckets', async () => {
    assert.deepEqual(
      vectorRecord(await engine.instantQuery(store, 'histogram_quantile(0.5, b_bucket)', 50 * M)),
      {
        '{}': 5.5,
      },
    );
    const bad = new MemoryStore().add({ __name__: 'h_bucket', le: 'x' }, [[0, 1]]);
    const r = await engine.instantQuery(bad, 'histogram_quantile(0.5, h_bucket)', 0);
    assert.deepEqual(r.warnings, [
      'PromQL warning: bucket label "le" is missing or has a malformed value of "x" (1:25)',
    ]);
    assert.deepEqual(samples(r), []);
  });

  it('maps elementwise functions and skips empty clamp intervals', async () => {
    assert.deepEqual(samples(await engine.instantQuery(store, 'sqrt(temp{room="y"})', 0)), [
      ['{room="y"}', 2],
    ]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'clamp(temp, 2, 3)', M)), [
      ['{room="x"}', 3],
      ['{room="y"}', 3],
    ]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'clamp(temp, 3, 2)', M)), []);
    assert.deepEqual(samples(await engine.instantQuery(store, 'round(temp{room="x"} / 3, 0.5)', M)), [
      ['{room="x"}', 1.5],
    ]);
    // With no argument a date function reads each step's own time: 1970-01-01T01:00Z.
    assert.deepEqual(samples(await engine.instantQuery(store, 'hour()', 3600 * S)), [['{}', 1]]);
  });

  it('finds no native histograms, and rejects info() with a clear error', async () => {
    // Native-histogram functions ignore float samples, as in Prometheus; telemux stores no others.
    const counted = await engine.instantQuery(store, 'histogram_count(temp)', 0);
    assert.deepEqual(samples(counted), []);
    assert.deepEqual(counted.infos, [
      'PromQL info: native histograms are not supported by telemux (it stores none): histogram_count() ignores float samples and returns nothing (1:1)',
    ]);
    await assert.rejects(
      engine.instantQuery(store, 'info(temp)', 0),
      (e: Error) =>
        e instanceof PromqlEvalError && e.message === 'function info() is not supported by telemux',
    );
  });
});
