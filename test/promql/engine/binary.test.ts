import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { PromqlEvalError } from '../../../src/promql/errors.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, samples, scalarValue, vectorRecord } from '../helpers/results.ts';

const M = 60_000;

describe('binary operators', () => {
  const engine = new PromqlEngine();
  const store = new MemoryStore()
    .add({ __name__: 'node_cpu', instance: 'a', mode: 'idle' }, [[0, 3]])
    .add({ __name__: 'node_cpu', instance: 'a', mode: 'user' }, [[0, 1]])
    .add({ __name__: 'node_cpu', instance: 'b', mode: 'idle' }, [[0, 8]])
    .add({ __name__: 'node_role', instance: 'a', role: 'db' }, [[0, 1]])
    .add({ __name__: 'x', l: 'a' }, [[0, 10]])
    .add({ __name__: 'y', l: 'a' }, [[0, 20]]);

  it('computes scalar arithmetic with Go semantics (power, modulo, atan2)', async () => {
    assert.equal(scalarValue(await engine.instantQuery(store, '-2^---1*3', 0)), -1.5);
    assert.equal(scalarValue(await engine.instantQuery(store, '1 ^ NaN', 0)), 1);
    assert.ok(Number.isNaN(scalarValue(await engine.instantQuery(store, '5 % 0', 0))));
    assert.equal(scalarValue(await engine.instantQuery(store, '10 atan2 20', 0)), Math.atan2(10, 20));
    assert.equal(scalarValue(await engine.instantQuery(store, '2 > bool 1', 0)), 1);
  });

  it('drops the name for arithmetic and bool comparisons, keeps it for filters', async () => {
    assert.deepEqual(samples(await engine.instantQuery(store, 'x * 2', 0)), [['{l="a"}', 20]]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'x > 5', 0)), [['x{l="a"}', 10]]);
    assert.deepEqual(samples(await engine.instantQuery(store, '5 < x', 0)), [['x{l="a"}', 10]]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'x > bool 50', 0)), [['{l="a"}', 0]]);
    assert.deepEqual(samples(await engine.instantQuery(store, '-x', 0)), [['{l="a"}', -10]]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'x + y', 0)), [['{l="a"}', 30]]);
    assert.deepEqual(samples(await engine.instantQuery(store, 'x < y', 0)), [['x{l="a"}', 10]]);
  });

  it('matches one-to-one with on/ignoring and copies labels with group_left/group_right', async () => {
    assert.deepEqual(
      vectorRecord(
        await engine.instantQuery(store, 'node_cpu * on (instance) group_left (role) node_role', 0),
      ),
      {
        '{instance="a", mode="idle", role="db"}': 3,
        '{instance="a", mode="user", role="db"}': 1,
      },
    );
    assert.deepEqual(
      vectorRecord(
        await engine.instantQuery(store, 'node_role * on (instance) group_right (role) node_cpu', 0),
      ),
      {
        '{instance="a", mode="idle", role="db"}': 3,
        '{instance="a", mode="user", role="db"}': 1,
      },
    );
    assert.deepEqual(
      vectorRecord(
        await engine.instantQuery(
          store,
          'node_cpu / ignoring (mode) group_left sum without (mode) (node_cpu)',
          0,
        ),
      ),
      {
        '{instance="a", mode="idle"}': 0.75,
        '{instance="a", mode="user"}': 0.25,
        '{instance="b", mode="idle"}': 1,
      },
    );
    assert.deepEqual(
      vectorRecord(
        await engine.instantQuery(store, 'node_cpu{mode="idle"} / on (instance) node_cpu{mode="user"}', 0),
      ),
      {
        '{instance="a"}': 3,
      },
    );
  });

  it('fails with Prometheus messages on ambiguous matches', async () => {
    await assert.rejects(
      engine.instantQuery(store, 'node_role * on (instance) node_cpu', 0),
      (err: Error) =>
        err instanceof PromqlEvalError &&
        err.message ===
          'found duplicate series for the match group {instance="a"} on the right hand-side of the operation: ' +
            '[{__name__="node_cpu", instance="a", mode="idle"}, {__name__="node_cpu", instance="a", mode="user"}]' +
            ';many-to-many matching not allowed: matching labels must be unique on one side',
    );
    await assert.rejects(engine.instantQuery(store, 'node_cpu * on (instance) node_role', 0), {
      message: 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    });
    // The check happens before a comparison filters the match away.
    await assert.rejects(engine.instantQuery(store, 'node_cpu > on (instance) node_role * 100', 0), {
      message: 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    });
    await assert.rejects(engine.instantQuery(store, '-{__name__=~"x|y"}', 0), {
      message: 'vector cannot contain metrics with the same labelset',
    });
  });

  it('keeps or drops series per step with and, or, unless', async () => {
    // Samples 10 m apart: each is out of the 5 m lookback by the next step.
    const T = 10 * M;
    const s = new MemoryStore()
      .load({ __name__: 'a', j: '1' }, '1 _ 3', T)
      .load({ __name__: 'b', j: '1' }, '_ 2 30', T);
    assert.deepEqual(matrixRecord(await engine.rangeQuery(s, 'a and b', 0, 2 * T, T)), {
      'a{j="1"}': [[2 * T, 3]],
    });
    assert.deepEqual(matrixRecord(await engine.rangeQuery(s, 'a unless b', 0, 2 * T, T)), {
      'a{j="1"}': [[0, 1]],
    });
    assert.deepEqual(matrixRecord(await engine.rangeQuery(s, 'a or b', 0, 2 * T, T)), {
      'a{j="1"}': [
        [0, 1],
        [2 * T, 3],
      ],
      'b{j="1"}': [[T, 2]],
    });
    // Without names the two sides are one series, filled from the right where the left is absent.
    assert.deepEqual(matrixRecord(await engine.rangeQuery(s, '-a or -b', 0, 2 * T, T)), {
      '{j="1"}': [
        [0, -1],
        [T, -2],
        [2 * T, -3],
      ],
    });
  });

  it('defers the name removal to the end with delayed name removal', async () => {
    const delayed = new PromqlEngine({ delayedNameRemoval: true });
    assert.deepEqual(
      samples(await delayed.instantQuery(store, 'label_replace(-x, "n", "$1", "__name__", "(.+)")', 0)),
      [['{l="a", n="x"}', -10]],
    );
    assert.deepEqual(samples(await delayed.instantQuery(store, 'sum by (__name__) (x)', 0)), [['x{}', 10]]);
    assert.deepEqual(samples(await delayed.instantQuery(store, 'sum by (__name__) (-x)', 0)), [['{}', -10]]);
  });
});
