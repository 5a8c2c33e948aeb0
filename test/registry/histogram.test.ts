import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_BUCKETS,
  exponentialBuckets,
  linearBuckets,
  Registry,
  RegistryError,
} from '../../src/registry/index.ts';

describe('histogram', () => {
  it('uses the Prometheus default buckets with +Inf implied', () => {
    const r = new Registry();
    const h = r.histogram({ name: 'latency_seconds', help: 'h' }).labels();
    h.observe(0.005); // le is inclusive
    h.observe(0.3);
    h.observe(65.4);
    const bounds = h.buckets().map((b) => b.upperBound);
    assert.deepEqual(bounds, [...DEFAULT_BUCKETS, Number.POSITIVE_INFINITY]);
    const counts = h.buckets().map((b) => b.cumulativeCount);
    assert.deepEqual(counts, [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
    assert.equal(h.count, 3);
    assert.equal(h.sum, 0.005 + 0.3 + 65.4);
  });

  it('takes custom buckets, drops a trailing +Inf, refuses unsorted or NaN bounds', () => {
    const r = new Registry();
    const f = r.histogram({ name: 'h1', help: '', buckets: [1, 2, Number.POSITIVE_INFINITY] });
    assert.deepEqual([...f.bounds], [1, 2]);
    assert.throws(() => r.histogram({ name: 'h2', help: '', buckets: [2, 1] }), RegistryError);
    assert.throws(() => r.histogram({ name: 'h3', help: '', buckets: [1, 1] }), RegistryError);
    assert.throws(() => r.histogram({ name: 'h4', help: '', buckets: [Number.NaN] }), RegistryError);
    const only = r.histogram({ name: 'h5', help: '', buckets: [] }).labels();
    only.observe(3);
    assert.deepEqual(only.buckets(), [{ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 1 }]);
  });

  it('puts NaN into +Inf only (as client_golang)', () => {
    const h = new Registry().histogram({ name: 'h', help: '', buckets: [1] }).labels();
    h.observe(Number.NaN);
    assert.deepEqual(
      h.buckets().map((b) => b.cumulativeCount),
      [0, 1],
    );
    assert.ok(Number.isNaN(h.sum));
  });

  it('bucket helpers', () => {
    assert.deepEqual(linearBuckets(1, 2, 3), [1, 3, 5]);
    assert.deepEqual(exponentialBuckets(1, 10, 3), [1, 10, 100]);
    assert.throws(() => linearBuckets(0, 0, 3));
    assert.throws(() => exponentialBuckets(0, 2, 3));
  });

  it('counts every observation in the first bucket whose bound is >= it (property, linear and binary search)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 0, maxLength: 60 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 200 }),
        (rawBounds, values) => {
          const bounds = [...rawBounds].sort((a, b) => a - b).filter((b, i, a) => i === 0 || b > a[i - 1]);
          const h = new Registry().histogram({ name: 'h', help: '', buckets: bounds }).labels();
          for (const v of values) h.observe(v);
          const got = h.buckets();
          assert.equal(got.length, bounds.length + 1);
          got.forEach((b, i) => {
            const le = i < bounds.length ? bounds[i] : Number.POSITIVE_INFINITY;
            assert.equal(b.upperBound, le);
            assert.equal(b.cumulativeCount, values.filter((v) => v <= le).length);
          });
          assert.equal(h.count, values.length);
        },
      ),
    );
  });
});
