// A range query is its instant queries side by side: for generated data and a set of expressions
// covering every kind of node, step i of a range query equals the instant query at that step.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PromqlEngine } from '../../../src/promql/engine/engine.ts';
import type { QueryOutcome } from '../../../src/promql/value.ts';
import { MemoryStore } from '../helpers/memory-store.ts';

const S = 1000;

const EXPRESSIONS = [
  'm',
  'm offset 40s',
  'm @ 100',
  '-m',
  'm * 2 > 3',
  'm > bool 1',
  'm + on (a) group_left sum by (a) (m)',
  'm and on (a) m > 2',
  'm unless m < 0',
  '-m or m',
  'sum by (a) (m)',
  'avg without (b) (m)',
  'count(m)',
  'stddev(m)',
  'quantile(0.3, m)',
  'topk(2, m)',
  'bottomk by (a) (1, m)',
  'limitk(1, m)',
  'count_values("v", m)',
  'rate(m[2m])',
  'avg_over_time(m[90s])',
  'last_over_time(m[1m] offset 10s)',
  'max_over_time(m[3m:30s])',
  'sum_over_time(sum(m)[2m:45s] @ 200)',
  'absent(m{a="q"})',
  'absent_over_time(m{a="x"}[30s])',
  'label_replace(m, "c", "$1", "a", "(.*)")',
  'timestamp(m)',
  'scalar(sum(m)) * vector(2)',
  'clamp(m, 0, 2)',
  'time() - timestamp(m)',
];

const sample = fc.record({
  t: fc.integer({ min: 0, max: 300 }),
  v: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN), fc.constant('stale' as const)),
});

const dataset = fc.array(
  fc.record({
    a: fc.constantFrom('x', 'y'),
    b: fc.constantFrom('1', '2', '3'),
    samples: fc.array(sample, { maxLength: 12 }),
  }),
  { maxLength: 5 },
);

type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never;

function store(data: Dataset): MemoryStore {
  const s = new MemoryStore();
  data.forEach((d, i) => {
    const byTime = new Map<number, number | 'stale'>();
    for (const x of d.samples) byTime.set(x.t * S, x.v);
    const pts = [...byTime].sort((p, q) => p[0] - q[0]);
    s.add({ __name__: 'm', a: d.a, b: d.b, i: String(i) }, pts);
  });
  return s;
}

function byLabels(o: QueryOutcome): Map<string, number> {
  const v = o.value;
  if (v.resultType === 'scalar') return new Map([['{}', v.result.v]]);
  if (v.resultType !== 'vector') throw new Error(`unexpected ${v.resultType}`);
  return new Map(v.result.map((s) => [s.labels.toString(), s.v]));
}

function same(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || a === b;
}

describe('range query versus instant queries (property)', () => {
  const engine = new PromqlEngine();
  for (const expr of EXPRESSIONS) {
    it(expr, async () => {
      await fc.assert(
        fc.asyncProperty(
          dataset,
          fc.integer({ min: 0, max: 200 }),
          fc.integer({ min: 5, max: 60 }),
          async (data, start, step) => {
            const s = store(data);
            const startMs = start * S;
            const stepMs = step * S;
            const endMs = startMs + 6 * stepMs;
            const range = await engine.rangeQuery(s, expr, startMs, endMs, stepMs);
            assert.equal(range.value.resultType, 'matrix');
            if (range.value.resultType !== 'matrix') return;
            for (let t = startMs; t <= endMs; t += stepMs) {
              const want = byLabels(await engine.instantQuery(s, expr, t));
              const got = new Map<string, number>();
              for (const series of range.value.result) {
                const k = series.ts.indexOf(t);
                if (k >= 0) got.set(series.labels.toString(), series.vs[k]);
              }
              assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `labels at ${t}`);
              for (const [l, v] of want)
                assert.ok(same(got.get(l)!, v), `${l} at ${t}: ${got.get(l)} != ${v}`);
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});
