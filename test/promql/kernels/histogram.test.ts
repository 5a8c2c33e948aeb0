// Classic histogram kernels against histograms.test's expected values and a brute-force check.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type BucketQuantileInfo,
  bucketFraction,
  bucketQuantile,
} from '../../../src/promql/functions/kernels/histogram.ts';

const INF = Number.POSITIVE_INFINITY;

function q(phi: number, buckets: readonly [number, number][]): { value: number; info: BucketQuantileInfo } {
  const info: BucketQuantileInfo = { fixedMonotonicity: false };
  const bounds = Float64Array.from(buckets, (b) => b[0]);
  const counts = Float64Array.from(buckets, (b) => b[1]);
  return { value: bucketQuantile(phi, bounds, counts, buckets.length, info), info };
}

function frac(lower: number, upper: number, buckets: readonly [number, number][]): number {
  const bounds = Float64Array.from(buckets, (b) => b[0]);
  const counts = Float64Array.from(buckets, (b) => b[1]);
  return bucketFraction(lower, upper, bounds, counts, buckets.length);
}

function near(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
}

// testhistogram at 50m (counts ×10), bucket order shuffled on purpose.
const positive: [number, number][] = [
  [1, 110],
  [0.1, 50],
  [INF, 120],
  [0.2, 70],
];
const negative: [number, number][] = [
  [INF, 30],
  [-0.2, 10],
  [0.3, 20],
  [-0.1, 20],
];
const positive3: [number, number][] = [
  [0, 0],
  [0.1, 50],
  [0.2, 70],
  [1, 110],
  [INF, 110],
];
const negative3: [number, number][] = [
  [-0.25, 0],
  [-0.2, 10],
  [-0.1, 20],
  [0.3, 20],
  [INF, 20],
];

describe('bucketQuantile', () => {
  it('histograms.test: testhistogram', () => {
    const cases: [number, number, number][] = [
      [0, 0, -0.2],
      [1, 1, 0.3],
      [0.2, 0.048, -0.2],
      [0.5, 0.15, -0.15],
      [0.8, 0.72, 0.3],
    ];
    for (const [phi, pos, neg] of cases) {
      assert.ok(near(q(phi, positive).value, pos), `positive q${phi} = ${q(phi, positive).value}`);
      assert.ok(near(q(phi, negative).value, neg), `negative q${phi} = ${q(phi, negative).value}`);
    }
  });

  it('histograms.test: testhistogram3', () => {
    const cases: [number, number, number][] = [
      [0, 0, -0.25],
      [0.25, 0.055, -0.225],
      [0.5, 0.125, -0.2],
      [0.75, 0.45, -0.15],
      [1, 1, -0.1],
    ];
    for (const [phi, pos, neg] of cases) {
      assert.ok(near(q(phi, positive3).value, pos), `positive q${phi}`);
      assert.ok(near(q(phi, negative3).value, neg), `negative q${phi}`);
    }
  });

  it('middle of buckets: 1, 3, 5', () => {
    const h: [number, number][] = [
      [0, 0],
      [2, 1],
      [4, 2],
      [6, 3],
      [INF, 3],
    ];
    assert.ok(near(q(1 / 6, h).value, 1));
    assert.ok(near(q(0.5, h).value, 3));
    assert.ok(near(q(5 / 6, h).value, 5));
  });

  it('φ outside [0, 1] and NaN', () => {
    assert.equal(q(-0.1, positive).value, Number.NEGATIVE_INFINITY);
    assert.equal(q(1.01, positive).value, INF);
    assert.ok(Number.isNaN(q(Number.NaN, positive).value));
  });

  it('NaN without a +Inf bucket, with one distinct bound, or with no observations', () => {
    assert.ok(
      Number.isNaN(
        q(0.5, [
          [1, 1],
          [2, 2],
        ]).value,
      ),
    );
    assert.ok(
      Number.isNaN(
        q(0.5, [
          [INF, 0],
          [INF, 0],
        ]).value,
      ),
    );
    assert.ok(
      Number.isNaN(
        q(0.5, [
          [0.1, 0],
          [0.2, 0],
          [INF, 0],
        ]).value,
      ),
    );
  });

  it('equal bounds are merged (mixed le spellings)', () => {
    // le 0.1, 0.2, 2e-1, 2.0e-1, +Inf with rates 1, 1, 1, 1, 4.
    const h: [number, number][] = [
      [0.1, 1],
      [0.2, 1],
      [0.2, 1],
      [0.2, 1],
      [INF, 4],
    ];
    assert.ok(near(q(0.5, h).value, 0.15));
    assert.ok(near(q(0.75, h).value, 0.2));
    assert.ok(near(q(1, h).value, 0.2));
  });

  it('forces monotonicity and says so', () => {
    const h: [number, number][] = [
      [0.1, 20],
      [1, 10],
      [10, 50],
      [100, 40],
      [1000, 90],
      [INF, 80],
    ];
    const low = q(0.01, h);
    assert.ok(near(low.value, 0.0045));
    assert.equal(low.info.fixedMonotonicity, true);
    assert.equal(low.info.minBucket, 1);
    assert.equal(low.info.maxBucket, INF);
    assert.equal(low.info.maxDiff, 10);
    assert.ok(near(q(0.5, h).value, 8.5));
    assert.ok(near(q(0.99, h).value, 979.75));
    assert.equal(q(0.5, positive).info.fixedMonotonicity, false);
  });

  it('evens out float noise silently', () => {
    const h: [number, number][] = [
      [1, 10],
      [2, 10 - 1e-14],
      [INF, 20],
    ];
    const r = q(0.5, h);
    assert.equal(r.info.fixedMonotonicity, false);
    assert.ok(near(r.value, 1));
  });

  it('is the inverse of bucketFraction inside finite buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 10 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (increments, phi) => {
          const h: [number, number][] = [];
          let total = 0;
          increments.forEach((inc, i) => {
            total += inc;
            h.push([i + 1, total]);
          });
          h.push([INF, total]);
          const value = q(phi, h).value;
          assert.ok(Math.abs(frac(Number.NEGATIVE_INFINITY, value, h) - phi) < 1e-12);
        },
      ),
    );
  });
});

describe('bucketFraction', () => {
  const h123: [number, number][] = [
    [1, 1],
    [2, 3],
    [3, 6],
    [INF, 100],
  ];
  const neg: [number, number][] = [
    [-3, 10],
    [-2, 12],
    [-1, 15],
    [INF, 100],
  ];

  it('histograms.test cases', () => {
    const testhistogram2: [number, number][] = [
      [0, 0],
      [2, 10],
      [4, 20],
      [6, 30],
      [INF, 30],
    ];
    const cases: [number, number, [number, number][], number][] = [
      [0, 4, testhistogram2, 0.6666666666666666],
      [0, 6, testhistogram2, 1],
      [0, 3.5, testhistogram2, 0.5833333333333334],
      [0, 0.2, positive3, 0.6363636363636364],
      [0, 0.2, negative3, 0],
      [0, 1.5, h123, 0.02],
      [-4, -2, neg, 0.02],
      [Number.NEGATIVE_INFINITY, -1.5, neg, 0.135],
      [Number.NEGATIVE_INFINITY, INF, h123, 1],
      [Number.NEGATIVE_INFINITY, INF, neg, 1],
      [4, 5, h123, 0],
      [0, 1, neg, 0],
      [2, 5, h123, 0.03],
      [400, INF, h123, 0.94],
      [2, 2, h123, 0],
      [3, 2, h123, 0],
      [0, 1, [[INF, 100]], 0],
      [2, 3.5, h123, 0.03],
      [0.5, 2, h123, 0.025],
      [1, 3, h123, 0.05],
      [
        0.1,
        0.75,
        [
          [0.5, 2.5],
          [1, 7.5],
          [INF, 100],
        ],
        0.045,
      ],
      [
        5,
        10,
        [
          [1, 1],
          [2, 3],
          [INF, 10],
        ],
        0,
      ],
    ];
    for (const [lower, upper, buckets, want] of cases) {
      const got = frac(lower, upper, buckets);
      assert.ok(near(got, want), `fraction(${lower}, ${upper}) = ${got}, want ${want}`);
    }
  });

  it('NaN for no observations, a NaN bound or no +Inf bucket', () => {
    assert.ok(
      Number.isNaN(
        frac(0, 5, [
          [1, 0],
          [2, 0],
          [3, 0],
          [INF, 0],
        ]),
      ),
    );
    assert.ok(Number.isNaN(frac(Number.NaN, 1, h123)));
    assert.ok(Number.isNaN(frac(0, Number.NaN, h123)));
    assert.ok(
      Number.isNaN(
        frac(0, 1, [
          [1, 1],
          [2, 3],
        ]),
      ),
    );
    assert.ok(Number.isNaN(bucketFraction(0, 1, new Float64Array(0), new Float64Array(0), 0)));
  });

  it('fractions of adjacent ranges add up, and lie in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -5, max: 15, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (increments, cuts) => {
          const h: [number, number][] = [[0, 1]];
          let total = 1;
          increments.forEach((inc, i) => {
            total += inc;
            h.push([i + 1, total]);
          });
          h.push([INF, total + 1]);
          const [a, b, c] = [...cuts].sort((x, y) => x - y);
          const ab = frac(a, b, h);
          const bc = frac(b, c, h);
          const ac = frac(a, c, h);
          for (const f of [ab, bc, ac]) assert.ok(f >= 0 && f <= 1);
          assert.ok(Math.abs(ab + bc - ac) < 1e-9, `${ab} + ${bc} != ${ac}`);
        },
      ),
    );
  });
});
