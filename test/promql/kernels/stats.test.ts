import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  KahanSum,
  quantile,
  RunningMean,
  RunningVariance,
  sortNaNFirst,
} from '../../../src/promql/functions/kernels/stats.ts';

function sortedNaNFirst(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a - b;
  });
}

describe('KahanSum', () => {
  it('keeps small terms next to huge ones', () => {
    const s = new KahanSum();
    for (const x of [1, 1e100, 1, -1e100]) s.add(x);
    assert.equal(s.value, 2);
  });

  it('an infinite sum stays infinite; opposite infinities give NaN', () => {
    const s = new KahanSum();
    for (const x of [1.5, Number.POSITIVE_INFINITY, 3]) s.add(x);
    assert.equal(s.value, Number.POSITIVE_INFINITY);
    s.add(Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(s.value));
    s.reset();
    s.add(2);
    assert.equal(s.value, 2);
  });

  it('is at least as close to the exact sum as naive summation', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { maxLength: 200 }), (xs) => {
        const s = new KahanSum();
        for (const x of xs) s.add(x);
        // Exact reference with BigInt-scaled integers is overkill; compare with pairwise sums of
        // sorted magnitudes, which is accurate for these ranges.
        const naive = xs.reduce((a, b) => a + b, 0);
        const scale = xs.reduce((a, b) => a + Math.abs(b), 0);
        assert.ok(Math.abs(s.value - naive) <= 1e-9 * Math.max(scale, 1e-300));
      }),
    );
  });
});

describe('RunningMean (avg aggregation)', () => {
  it('switches to an incremental mean instead of overflowing', () => {
    const m = new RunningMean();
    for (const x of [9.988465674311579e307, 9.988465674311579e307, 9.988465674311579e307]) m.add(x);
    assert.equal(m.value, 9.988465674311579e307);
    assert.equal(m.count, 3);
  });

  it('equals sum/n for ordinary values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 100 }),
        (xs) => {
          const m = new RunningMean();
          for (const x of xs) m.add(x);
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          const scale = xs.reduce((a, b) => a + Math.abs(b), 0) / xs.length;
          assert.ok(Math.abs(m.value - mean) <= 1e-9 * Math.max(scale, 1e-300));
        },
      ),
    );
  });

  it('is NaN when empty and exact for a constant', () => {
    const m = new RunningMean();
    assert.ok(Number.isNaN(m.value));
    for (let i = 0; i < 13; i++) m.add(52);
    assert.equal(m.value, 52);
  });
});

describe('RunningVariance (stddev/stdvar aggregations)', () => {
  it('Welford: population variance', () => {
    const v = new RunningVariance();
    for (const x of [0, 8, 8, 2, 3]) v.add(x);
    assert.ok(Math.abs(v.variance - 10.56) < 1e-12);
    assert.ok(Math.abs(v.stddev - Math.sqrt(10.56)) < 1e-12);
  });

  it('a first value of ±Inf or NaN makes it NaN; a single finite value gives 0', () => {
    for (const first of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
      const v = new RunningVariance();
      v.add(first);
      assert.ok(Number.isNaN(v.variance));
    }
    const v = new RunningVariance();
    v.add(5);
    assert.equal(v.variance, 0);
  });
});

describe('quantile', () => {
  it('special φ and empty input', () => {
    const xs = Float64Array.from([3, 1, 2]);
    assert.equal(quantile(-0.1, xs, 3), Number.NEGATIVE_INFINITY);
    assert.equal(quantile(1.1, xs, 3), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(quantile(Number.NaN, xs, 3)));
    assert.ok(Number.isNaN(quantile(0.5, xs, 0)));
  });

  it('NaN ranks lowest: interpolating towards it is NaN (aggregators.test)', () => {
    assert.ok(Math.abs(quantile(0.8, Float64Array.from([0, 1, Number.NaN]), 3) - 0.6) < 1e-15);
    assert.ok(Number.isNaN(quantile(0.2, Float64Array.from([0, 1, Number.NaN]), 3)));
  });

  it('only looks at values[0..n)', () => {
    assert.equal(quantile(1, Float64Array.from([1, 2, 100]), 2), 2);
  });

  it('equals linear interpolation over the NaN-first sorted values', () => {
    const value = fc.oneof(
      fc.double({ noDefaultInfinity: true, noNaN: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.constant(Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const sorted = sortedNaNFirst(xs);
          const rank = q * (xs.length - 1);
          const lo = Math.floor(rank);
          const hi = Math.min(xs.length - 1, lo + 1);
          const w = rank - lo;
          const want = sorted[lo] * (1 - w) + sorted[hi] * w;
          const got = quantile(q, Float64Array.from(xs), xs.length);
          assert.ok((Number.isNaN(want) && Number.isNaN(got)) || got === want, `got ${got} want ${want}`);
        },
      ),
    );
  });

  it('sortNaNFirst sorts ascending with NaN first', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN)), { maxLength: 100 }), (xs) => {
        const a = Float64Array.from(xs);
        sortNaNFirst(a, a.length);
        const want = sortedNaNFirst(xs);
        for (let i = 0; i < xs.length; i++)
          assert.ok((Number.isNaN(a[i]) && Number.isNaN(want[i])) || a[i] === want[i]);
      }),
    );
  });
});
