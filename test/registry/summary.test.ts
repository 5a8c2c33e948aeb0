import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defaultQuantileError, QuantileStream, Registry, RegistryError } from '../../src/registry/index.ts';

const TARGETS = [
  { quantile: 0.5, error: 0.05 },
  { quantile: 0.9, error: 0.01 },
  { quantile: 0.99, error: 0.001 },
];

function feed(stream: QuantileStream, values: readonly number[]): void {
  for (let i = 0; i < values.length; i += 500) {
    const batch = Float64Array.from(values.slice(i, i + 500)).sort();
    stream.insertSorted(batch, batch.length);
  }
}

/** Is `v` an acceptable answer for quantile q with rank error e over `sorted`? */
function withinRankError(sorted: readonly number[], v: number, q: number, e: number): boolean {
  const n = sorted.length;
  const below = sorted.filter((x) => x < v).length; // lowest rank v can have
  const upTo = sorted.filter((x) => x <= v).length; // highest rank v can have
  // Some rank of v (ties allow a range) lies within [(q - e)·n, (q + e)·n], give or take one.
  return upTo >= Math.floor((q - e) * n) && below <= Math.ceil((q + e) * n);
}

describe('quantile stream (CKMS targeted quantiles)', () => {
  it('estimates quantiles within their error bounds on random data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), {
          minLength: 1,
          maxLength: 5000,
        }),
        (values) => {
          const s = new QuantileStream(TARGETS);
          feed(s, values);
          const sorted = [...values].sort((a, b) => a - b);
          for (const t of TARGETS) {
            const v = s.query(t.quantile);
            assert.ok(
              withinRankError(sorted, v, t.quantile, t.error),
              `q=${t.quantile} got ${v}, n=${values.length}`,
            );
          }
          assert.equal(s.query(0), sorted[0]);
          assert.equal(s.query(1), sorted[sorted.length - 1]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps few samples for a long stream', () => {
    const s = new QuantileStream(TARGETS);
    const values = Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 100_003);
    feed(s, values);
    const sorted = [...values].sort((a, b) => a - b);
    for (const t of TARGETS) assert.ok(withinRankError(sorted, s.query(t.quantile), t.quantile, t.error));
    assert.ok(s.size < 1000, `holds ${s.size} samples`);
    assert.equal(s.count, 200_000);
  });

  it('is NaN when empty and after reset', () => {
    const s = new QuantileStream(TARGETS);
    assert.ok(Number.isNaN(s.query(0.5)));
    feed(s, [1, 2, 3]);
    s.reset();
    assert.ok(Number.isNaN(s.query(0.5)));
  });
});

describe('summary', () => {
  it('has only _sum and _count without quantiles (the Hermes default)', () => {
    const r = new Registry();
    const s = r.summary({ name: 'rpc_seconds', help: 'h' }).labels();
    s.observe(1);
    s.observe(2.5);
    const [f] = r.collect();
    assert.deepEqual(f.metrics[0].quantiles, []);
    assert.equal(f.metrics[0].count, 2);
    assert.equal(f.metrics[0].sum, 3.5);
  });

  it('estimates configured quantiles (bare numbers get the default error), ascending', () => {
    const r = new Registry();
    const fam = r.summary({ name: 's', help: '', quantiles: [0.99, { quantile: 0.5, error: 0.05 }, 0.9] });
    assert.deepEqual(
      fam.quantileTargets.map((t) => t.quantile),
      [0.5, 0.9, 0.99],
    );
    assert.equal(fam.quantileTargets[1].error, defaultQuantileError(0.9));
    const s = fam.labels();
    for (let i = 1; i <= 1000; i++) s.observe(i);
    const qs = s.quantiles();
    assert.ok(Math.abs(qs[0].value - 500) <= 50, `p50 ${qs[0].value}`);
    assert.ok(Math.abs(qs[1].value - 900) <= 10, `p90 ${qs[1].value}`);
    assert.ok(Math.abs(qs[2].value - 990) <= 1, `p99 ${qs[2].value}`);
  });

  it('default errors follow client_golang objectives', () => {
    assert.equal(defaultQuantileError(0.5), 0.05);
    assert.ok(Math.abs(defaultQuantileError(0.9) - 0.01) < 1e-12);
    assert.ok(Math.abs(defaultQuantileError(0.99) - 0.001) < 1e-12);
    assert.equal(defaultQuantileError(1), 1e-4);
  });

  it('refuses bad quantile definitions', () => {
    const r = new Registry();
    assert.throws(() => r.summary({ name: 'a', help: '', quantiles: [1.5] }), RegistryError);
    assert.throws(
      () => r.summary({ name: 'b', help: '', quantiles: [{ quantile: 0.5, error: 0 }] }),
      RegistryError,
    );
    assert.throws(() => r.summary({ name: 'c', help: '', quantiles: [0.5, 0.5] }), RegistryError);
    assert.throws(() => r.summary({ name: 'd', help: '', quantiles: [0.5], maxAgeMs: 0 }), RegistryError);
    assert.throws(() => r.summary({ name: 'e', help: '', quantiles: [0.5], ageBuckets: 0 }), RegistryError);
  });

  it('ages observations out after maxAge, window sliding in maxAge/ageBuckets steps (injected clock)', () => {
    let now = 1_000_000;
    const r = new Registry({ now: () => now });
    const s = r
      .summary({ name: 's', help: '', quantiles: [0, 0.5, 1], maxAgeMs: 10_000, ageBuckets: 5 })
      .labels();
    for (let i = 0; i < 100; i++) s.observe(100); // at t=0
    now += 4_000;
    for (let i = 0; i < 300; i++) s.observe(1); // at t=4s
    assert.deepEqual(
      s.quantiles().map((q) => q.value),
      [1, 1, 100],
    );
    now += 7_000; // t=11s: the t=0 values are more than maxAge old
    const [min, , max] = s.quantiles().map((q) => q.value);
    assert.deepEqual([min, max], [1, 1]);
    now += 10_000; // t=21s: everything aged out
    assert.ok(s.quantiles().every((q) => Number.isNaN(q.value)));
    // _sum and _count never age out.
    assert.equal(s.count, 400);
    assert.equal(s.sum, 100 * 100 + 300);
    now += 1_000_000; // a long idle period, then new data
    s.observe(7);
    assert.deepEqual(
      s.quantiles().map((q) => q.value),
      [7, 7, 7],
    );
  });

  it('keeps an observation for at least maxAge - maxAge/ageBuckets and at most maxAge (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 1, max: 10 }), (offset, buckets) => {
        let now = 0;
        const maxAge = 10_000;
        const r = new Registry({ now: () => now });
        const s = r
          .summary({ name: 's', help: '', quantiles: [0.5], maxAgeMs: maxAge, ageBuckets: buckets })
          .labels();
        now = offset;
        s.observe(42);
        now = offset + maxAge - maxAge / buckets - 1;
        if (now >= offset) assert.equal(s.quantiles()[0].value, 42);
        now = offset + maxAge + 1;
        assert.ok(Number.isNaN(s.quantiles()[0].value));
      }),
    );
  });

  it('ignores NaN in quantiles but counts it in sum and count', () => {
    const s = new Registry().summary({ name: 's', help: '', quantiles: [0.5] }).labels();
    s.observe(Number.NaN);
    s.observe(2);
    assert.equal(s.quantiles()[0].value, 2);
    assert.equal(s.count, 2);
    assert.ok(Number.isNaN(s.sum));
  });
});
