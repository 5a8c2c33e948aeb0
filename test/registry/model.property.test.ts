// Random operation sequences against a registry and against a plain model of what it should hold.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Registry } from '../../src/registry/index.ts';

const LABEL_VALUES = ['', 'a', 'b', 'é', '\xff', 'x y'];
const BOUNDS = [0, 1, 10];

type Op =
  | { kind: 'counter'; a: string; b: string; amount: number }
  | { kind: 'gauge'; a: string; op: 'set' | 'inc' | 'dec'; amount: number }
  | { kind: 'histogram'; a: string; value: number }
  | { kind: 'summary'; a: string; value: number }
  | { kind: 'remove'; family: 'counter' | 'gauge'; a: string; b: string };

const value = fc.constantFrom(...LABEL_VALUES);
const amount = fc.double({ min: 0, max: 1e6, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('counter' as const), a: value, b: value, amount }),
  fc.record({
    kind: fc.constant('gauge' as const),
    a: value,
    op: fc.constantFrom('set' as const, 'inc' as const, 'dec' as const),
    amount: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('histogram' as const),
    a: value,
    value: fc.double({ min: -5, max: 20, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('summary' as const),
    a: value,
    value: fc.double({ min: -5, max: 20, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    family: fc.constantFrom('counter' as const, 'gauge' as const),
    a: value,
    b: value,
  }),
);

describe('registry vs model (property)', () => {
  it('collect() always reflects the operations applied', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const r = new Registry();
        const counter = r.counter({ name: 'c_total', help: '', labelNames: ['a', 'b'] });
        const gauge = r.gauge({ name: 'g', help: '', labelNames: ['a'] });
        const hist = r.histogram({ name: 'h', help: '', labelNames: ['a'], buckets: BOUNDS });
        const summ = r.summary({ name: 's', help: '', labelNames: ['a'] });
        const counters = new Map<string, number>();
        const gauges = new Map<string, number>();
        const hists = new Map<string, number[]>();
        const summs = new Map<string, number[]>();
        for (const op of ops) {
          switch (op.kind) {
            case 'counter': {
              counter.labels(op.a, op.b).inc(op.amount);
              const k = JSON.stringify([op.a, op.b]);
              counters.set(k, (counters.get(k) ?? 0) + op.amount);
              break;
            }
            case 'gauge': {
              const g = gauge.labels(op.a);
              const prev = gauges.get(op.a) ?? 0;
              if (op.op === 'set') g.set(op.amount);
              else if (op.op === 'inc') g.inc(op.amount);
              else g.dec(op.amount);
              gauges.set(
                op.a,
                op.op === 'set' ? op.amount : op.op === 'inc' ? prev + op.amount : prev - op.amount,
              );
              break;
            }
            case 'histogram':
              hist.labels(op.a).observe(op.value);
              hists.set(op.a, [...(hists.get(op.a) ?? []), op.value]);
              break;
            case 'summary':
              summ.labels(op.a).observe(op.value);
              summs.set(op.a, [...(summs.get(op.a) ?? []), op.value]);
              break;
            case 'remove':
              if (op.family === 'counter') {
                const k = JSON.stringify([op.a, op.b]);
                assert.equal(counter.remove([op.a, op.b]), counters.delete(k));
              } else {
                assert.equal(gauge.remove([op.a]), gauges.delete(op.a));
              }
              break;
          }
        }
        const out = new Map(r.collect().map((f) => [f.name, f]));
        const sortedKeys = (m: Map<string, unknown>, toValues: (k: string) => string[]) =>
          [...m.keys()].sort((x, y) => {
            const a = toValues(x);
            const b = toValues(y);
            for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
            return 0;
          });
        // Counter: label names a, b are already in name order.
        const cKeys = sortedKeys(counters, (k) => JSON.parse(k));
        assert.deepEqual(
          out.get('c_total')?.metrics.map((m) => m.value) ?? [],
          cKeys.map((k) => counters.get(k)),
        );
        assert.deepEqual(
          out.get('g')?.metrics.map((m) => m.value) ?? [],
          sortedKeys(gauges, (k) => [k]).map((k) => gauges.get(k)),
        );
        const hKeys = sortedKeys(hists, (k) => [k]);
        assert.deepEqual(
          out.get('h')?.metrics.map((m) => [m.count, m.buckets?.map((b) => b.cumulativeCount)]) ?? [],
          hKeys.map((k) => {
            const vs = hists.get(k)!;
            return [
              vs.length,
              [...BOUNDS, Number.POSITIVE_INFINITY].map((le) => vs.filter((v) => v <= le).length),
            ];
          }),
        );
        const sKeys = sortedKeys(summs, (k) => [k]);
        assert.deepEqual(
          out.get('s')?.metrics.map((m) => m.count) ?? [],
          sKeys.map((k) => summs.get(k)!.length),
        );
        assert.equal(r.seriesCount, counters.size + gauges.size + hists.size + summs.size);
      }),
      { numRuns: 200 },
    );
  });
});
