// Shared fast-check generators for chunk tests. Values travel as [hi, lo] bit pairs of integers, never as
// plain numbers in arrays, because a number[] would canonicalise NaN payloads before the code under test
// ever saw them.

import fc from 'fast-check';
import { STALE_NAN } from '../../../src/model/staleness.ts';
import { fromHiLo, hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';

export type Bits = [hi: number, lo: number];

export function bitsOf(v: number): Bits {
  return [hiBits(v), loBits(v)];
}

const uint32 = fc.nat({ max: 0xffffffff });
const sign = fc.constantFrom(0, 0x80000000);

const special = fc.constantFrom<Bits>(
  bitsOf(STALE_NAN),
  [0x7ff80000, 0], // the NaN arithmetic produces
  [0x7ff80000, 1], // Prometheus' "normal" NaN
  [0xfff80000, 0],
  [0x7ff00000, 1], // signalling NaN
  bitsOf(Number.POSITIVE_INFINITY),
  bitsOf(Number.NEGATIVE_INFINITY),
  [0x80000000, 0], // -0
  [0, 0],
  [0, 1], // smallest subnormal
  bitsOf(Number.MAX_VALUE),
  bitsOf(-Number.MIN_VALUE),
);

/** Any bit pattern, biased towards the ones that break naive encoders. */
export const anyValue: fc.Arbitrary<Bits> = fc.oneof(
  fc.tuple(uint32, uint32),
  special,
  // NaN (or ±Inf) with an arbitrary payload.
  fc
    .tuple(sign, fc.nat({ max: 0xfffff }), uint32)
    .map(([s, m, lo]): Bits => [(s | 0x7ff00000 | m) >>> 0, lo]),
  // Subnormals.
  fc.tuple(sign, fc.nat({ max: 0xfffff }), uint32).map(([s, m, lo]): Bits => [(s | m) >>> 0, lo]),
  // Decimals such as 12.5, 0.001, -58.2.
  fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.nat({ max: 6 })).map(([m, k]) => bitsOf(m / 10 ** k)),
);

/** Gap to the previous timestamp: steady scrapes, jittered scrapes, random and huge gaps. */
export const gap: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(15_000) },
  { weight: 3, arbitrary: fc.integer({ min: 14_995, max: 15_005 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }) },
);

export interface Series {
  ts: Float64Array;
  values: Float64Array;
}

function build(start: number, gaps: number[], bits: Bits[]): Series {
  const n = Math.min(gaps.length, bits.length);
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let t = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) t = Math.min(t + gaps[i], Number.MAX_SAFE_INTEGER - (n - i));
    ts[i] = t;
    values[i] = fromHiLo(bits[i][0], bits[i][1]);
  }
  return { ts, values };
}

const start = fc.oneof(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.constant(0));

/** Values that are all exact decimals: gauges with a few decimals, or counters growing by decimal steps. */
export const decimalValues = (n: number): fc.Arbitrary<Bits[]> =>
  fc.oneof(
    fc
      .tuple(
        fc.nat({ max: 4 }),
        fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: n, maxLength: n }),
      )
      .map(([k, ms]) => ms.map((m) => bitsOf(m / 10 ** k))),
    fc
      .tuple(
        fc.nat({ max: 3 }),
        fc.nat({ max: 1e9 }),
        fc.array(fc.nat({ max: 500 }), { minLength: n, maxLength: n }),
      )
      .map(([k, m0, incs]) => {
        let m = m0;
        return incs.map((inc) => {
          m += inc;
          return bitsOf(m / 10 ** k);
        });
      }),
  );

/** `n` arbitrary values, sometimes drawn from a small pool so repeats and XOR window reuse happen. */
const anyValues = (n: number): fc.Arbitrary<Bits[]> =>
  fc.oneof(
    fc.array(anyValue, { minLength: n, maxLength: n }),
    fc
      .tuple(
        fc.array(anyValue, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(3), { minLength: n, maxLength: n }),
      )
      .map(([pool, picks]) => picks.map((p) => pool[p % pool.length])),
  );

const gaps = (n: number): fc.Arbitrary<number[]> => fc.array(gap, { minLength: n, maxLength: n });

/** A series of up to `max` samples with arbitrary values. */
export const anySeries = (max = 300): fc.Arbitrary<Series> =>
  fc
    .nat({ max })
    .chain((n) => fc.tuple(start, gaps(n), anyValues(n)))
    .map(([s, g, bits]) => build(s, g, bits));

/** A series of 1 to `max` samples whose values are all exact decimals. */
export const decimalSeries = (max = 300): fc.Arbitrary<Series> =>
  fc
    .integer({ min: 1, max })
    .chain((n) => fc.tuple(start, gaps(n), decimalValues(n)))
    .map(([s, g, bits]) => build(s, g, bits));

const STALE_BITS = fromHiLo(0x7ff00000, 2);

/** Values that exercise the XOR windows: repeats, small steps, any bits, special values. */
export const xorValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, 1, 1.5, Number.NaN, STALE_BITS, Number.POSITIVE_INFINITY, Number.MIN_VALUE),
  fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff)).map(([hi, lo]) => fromHiLo(hi, lo)),
);
/** Timestamp steps that land in every delta-of-delta bucket, up to the 64-bit one. */
const xorStep = fc.oneof(
  fc.constant(15_000),
  fc.integer({ min: 1, max: 20 }),
  fc.integer({ min: 1, max: 0x100000 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
);
/** Rows of [t, v] for one XOR chunk: increasing safe-integer timestamps in every bucket. */
export const xorSamples = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 50 }), fc.array(fc.tuple(xorStep, xorValue), { maxLength: 300 }))
  .map(([t0, rows]) => {
    let t = t0;
    return rows.map(([dt, v]) => {
      t += dt;
      return [t, v] as const;
    });
  })
  .map((rows) => rows.filter(([t]) => t <= Number.MAX_SAFE_INTEGER));
