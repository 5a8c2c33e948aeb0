// Evaluating queries whose ranges, subquery steps and offsets are duration expressions: constant
// ones, step() and range() (the query's step and end - start, 0 for an instant query), and the
// errors Prometheus raises when a query is created. Prometheus' own duration_expression.test runs
// at the end.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import { resolveDurations } from '../../../src/promql/engine/resolve-durations.ts';
import { PromqlParseError } from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { harnessEngine } from '../../../src/promql/promqltest/runner.ts';
import { runTestFile } from '../../../src/promql/promqltest/test-files.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { matrixRecord, vectorRecord } from '../helpers/results.ts';

const S = 1000;

/** The message of the error a query fails with. */
async function failure(run: () => Promise<unknown>): Promise<PromqlParseError> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof PromqlParseError, String(err));
    return err;
  }
  assert.fail('the query succeeded');
}

describe('duration expressions', () => {
  const engine = new PromqlEngine();
  // m = t/1s from 0 to 100 s; c = t/10s.
  const store = new MemoryStore()
    .load({ __name__: 'm' }, '0+1x100', S)
    .load({ __name__: 'c' }, '0+1x1000', 10 * S);

  it('evaluate a constant range, subquery step and offset like the literal they come to', async () => {
    const pairs: [string, string][] = [
      ['count_over_time(m[30s * 2])', 'count_over_time(m[1m])'],
      ['sum_over_time(c[29s+1s:5s+5s])', 'sum_over_time(c[30s:10s])'],
      ['m offset (100 + 2)', 'm offset 102s'],
      ['m offset -(1m / 2)', 'm offset -30s'],
      ['count_over_time(m[max_of(20s, 10s)] offset min_of(5s, 1m))', 'count_over_time(m[20s] offset 5s)'],
    ];
    for (const [q, literal] of pairs) {
      for (const t of [80 * S, 90_500])
        assert.deepEqual(
          vectorRecord(await engine.instantQuery(store, q, t)),
          vectorRecord(await engine.instantQuery(store, literal, t)),
          `${q} at ${t}`,
        );
    }
  });

  it('take step() and range() from the query', async () => {
    // Windows (t-5s, t] hold 5 samples of m at a 5 s step, (t-10s, t] 10 over a 10 s range.
    const byStep = await engine.rangeQuery(store, 'count_over_time(m[step()])', 50 * S, 60 * S, 5 * S);
    assert.deepEqual(
      matrixRecord(byStep)['{}'].map(([, v]) => v),
      [5, 5, 5],
    );
    const byRange = await engine.rangeQuery(store, 'count_over_time(m[range()])', 50 * S, 60 * S, 5 * S);
    assert.deepEqual(
      matrixRecord(byRange)['{}'].map(([, v]) => v),
      [10, 10, 10],
    );
    const offset = await engine.rangeQuery(store, 'm offset min_of(range(), 8s)', 50 * S, 60 * S, 5 * S);
    assert.deepEqual(matrixRecord(offset)['m{}'], [
      [50 * S, 42],
      [55 * S, 47],
      [60 * S, 52],
    ]);
    // A subquery's step from the query's: 4 points of c (10 s apart) in (t-40s, t].
    const sub = await engine.rangeQuery(store, 'count_over_time(c[40s:step() * 2])', 500 * S, 520 * S, 5 * S);
    assert.deepEqual(
      matrixRecord(sub)['{}'].map(([, v]) => v),
      [4, 4, 4, 4, 4],
    );
  });

  it('are 0 for an instant query: an offset of range() is none, a range of step() an error', async () => {
    assert.deepEqual(vectorRecord(await engine.instantQuery(store, 'm offset range()', 50 * S)), {
      'm{}': 50,
    });
    const err = await failure(() => engine.instantQuery(store, 'count_over_time(m[step()])', 50 * S));
    assert.equal(err.message, '18:24: duration must be greater than 0');
    assert.deepEqual([err.start, err.end], [18, 24]);
  });

  it('fail when created with the errors and byte positions Prometheus gives', async () => {
    const cases: [string, string][] = [
      ['count_over_time(m[1m - 2m])', '18:25: duration must be greater than 0'],
      ['count_over_time(m[1m / (1 - 1)])', '18:29: division by zero'], // not the ')',
      ['count_over_time(m[1m % (step() - step())])', '18:39: modulo by zero'],
      ['count_over_time(m[1h ^ 20])', '18:25: duration is out of range'],
      ['sum_over_time(m[1m:(step() - 1m)])', '20:31: duration must be greater than 0'],
      ['m offset (1e9 * 1e9 * 1000)', '10:26: duration is out of range'],
      // Positions count UTF-8 bytes: é is two.
      ['count_over_time({__name__="m",a!="é"}[-(2s)])', '39:43: duration must be greater than 0'],
    ];
    for (const [q, message] of cases) {
      const err = await failure(() => engine.rangeQuery(store, q, 50 * S, 60 * S, 5 * S));
      assert.equal(err.message, message, q);
    }
    // Negative offsets are fine.
    const back = await engine.rangeQuery(store, 'm offset (1m - 70s)', 50 * S, 50 * S, S);
    assert.deepEqual(matrixRecord(back)['m{}'], [[50 * S, 60]]);
  });

  it('resolve into a copy that shares what has no duration expression', () => {
    const plain = parseExpr('sum(rate(m[5m])) + c');
    assert.equal(resolveDurations(plain, { stepMs: 0, rangeMs: 0 }), plain);
    const e = parseExpr('sum(rate(m[step() * 4])) + c offset 1m');
    const r = resolveDurations(e, { stepMs: 15 * S, rangeMs: 0 });
    assert.ok(e.type === 'BinaryExpr' && r.type === 'BinaryExpr');
    assert.equal(r.rhs, e.rhs);
    const agg = r.lhs.type === 'AggregateExpr' ? r.lhs.expr : undefined;
    assert.ok(agg?.type === 'Call' && agg.args[0].type === 'MatrixSelector');
    assert.equal(agg.args[0].rangeMs, 60 * S);
    // The parsed tree is left as it was.
    const before =
      e.lhs.type === 'AggregateExpr' && e.lhs.expr.type === 'Call' ? e.lhs.expr.args[0] : undefined;
    assert.ok(before?.type === 'MatrixSelector' && Number.isNaN(before.rangeMs));
  });

  it('x[a + b] is x[<a + b>] for any a and b', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40_000 }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 40 * S, max: 100 * S }),
        async (a, b, t) => {
          const sum = await engine.instantQuery(store, `sum_over_time(m[${a}ms + ${b}ms])`, t);
          const lit = await engine.instantQuery(store, `sum_over_time(m[${a + b}ms])`, t);
          assert.deepEqual(vectorRecord(sum), vectorRecord(lit));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pass Prometheus' duration_expression.test", async () => {
    const file = fileURLToPath(new URL('../testdata/duration_expression.test', import.meta.url));
    const report = await runTestFile(file, harnessEngine(), 'duration_expression.test');
    const bad = report.results.filter((r) => r.status !== 'passed');
    assert.deepEqual(
      bad.map((r) => `${r.line}: ${r.status} ${r.reason}`),
      [],
    );
    assert.equal(report.results.length, 59);
  });
});
