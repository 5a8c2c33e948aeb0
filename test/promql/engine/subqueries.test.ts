import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, vectorRecord } from '../helpers/results.ts';

const S = 1000;

describe('subqueries', () => {
  const engine = new PromqlEngine();
  // c = t/10s: 0 at 0, 1 at 10s, …
  const store = new MemoryStore().load({ __name__: 'c' }, '0+1x1000', 10 * S);

  it('puts its points at multiples of the step, strictly after the window start', async () => {
    // (970s, 1000s] at 10 s steps: 980, 990, 1000 → 98+99+100.
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'sum_over_time(c[30s:10s])', 1000 * S)), {
      '{}': 297,
    });
    // The grid is absolute: an offset that is not a multiple of the step lands on the same points.
    for (const offset of ['10s', '9s', '5s', '3s'])
      assert.deepEqual(
        vectorRecord(
          await engine.instantQuery(store, `sum_over_time(c[30s:10s] offset ${offset})`, 1010 * S),
        ),
        { '{}': 297 },
        offset,
      );
  });

  it('returns the inner points of a bare subquery', async () => {
    assert.deepEqual(matrixRecord(await engine.instantQuery(store, 'c[30s:10s]', 1005 * S)), {
      'c{}': [
        [980 * S, 98],
        [990 * S, 99],
        [1000 * S, 100],
      ],
    });
  });

  it('uses the default step when none is given, in instant and range queries alike', async () => {
    const e = new PromqlEngine({ defaultSubqueryStepMs: 20 * S });
    assert.deepEqual(vectorRecord(await e.instantQuery(store, 'count_over_time(c[60s:])', 1000 * S)), {
      '{}': 3,
    });
    const r = await e.rangeQuery(store, 'count_over_time(c[60s:])', 1000 * S, 1010 * S, 5 * S);
    assert.deepEqual(
      matrixRecord(r)['{}'].map(([, v]) => v),
      [3, 3, 3],
    );
  });

  it('pins its window with @ and evaluates nested subqueries on their own grids', async () => {
    assert.deepEqual(
      vectorRecord(await engine.instantQuery(store, 'sum_over_time(c[100s:10s] @ 100)', 25 * S)),
      {
        '{}': 55,
      },
    );
    assert.deepEqual(
      vectorRecord(
        await engine.instantQuery(
          store,
          'sum_over_time(sum_over_time(c[100s] @ 100)[100s:25s] @ 50)',
          100 * S,
        ),
      ),
      { '{}': 220 },
    );
    // time() inside a subquery is each inner step's time.
    assert.deepEqual(
      vectorRecord(await engine.instantQuery(store, 'sum_over_time(vector(time())[100s:1s] @ 3000)', 0)),
      { '{}': (3000 * 3001 - 2900 * 2901) / 2 },
    );
  });

  it('gives each step of a range query the subquery window an instant query there would see', async () => {
    const q = 'max_over_time(deriv(c[30s])[2m:15s])';
    const r = matrixRecord(await engine.rangeQuery(store, q, 600 * S, 700 * S, 25 * S))['{}'];
    for (const [t, v] of r) {
      const one = vectorRecord(await engine.instantQuery(store, q, t))['{}'];
      assert.equal(v, one, `at ${t}`);
    }
  });
});
