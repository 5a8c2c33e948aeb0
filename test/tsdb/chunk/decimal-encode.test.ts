// The WebAssembly decimal encoder (decimal-encode.wat) writes exactly the bytes of the JS encoder
// (decimal-chunk.ts's encodeDecimalBytes) for every series — exact decimals of any scale, counters
// and gauges, values the code needs its wide path for, values that are no decimal at all (NaN,
// infinities, -0, too many digits), regular, jittered and huge timestamp gaps — refuses the same
// series, and throws the same error for bad timestamps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeDecimalBytes } from '../../../src/tsdb/chunk/decimal-chunk.ts';
import { DecimalEncoder } from '../../../src/tsdb/chunk/decimal-encode.ts';
import { anySeries, decimalSeries, type Series } from './arbitraries.ts';

const encoder = new DecimalEncoder();

function bothEncoders(s: Series): void {
  const n = s.ts.length;
  const js = encodeDecimalBytes(s.ts, s.values, 0, n);
  const wasm = encoder.encode(s.ts, s.values, n);
  assert.deepEqual(wasm === undefined ? undefined : [...wasm], js === undefined ? undefined : [...js]);
}

/** Decimal series whose mantissas jump far (the width code's 64-bit path) or span many digits. */
const wideSeries: fc.Arbitrary<Series> = fc
  .tuple(
    fc.integer({ min: 1, max: 130 }),
    fc.nat({ max: 2_000_000_000_000 }),
    fc.nat({ max: 6 }),
    fc.integer({ min: 0, max: 47 }),
  )
  .chain(([n, start, k, bits]) =>
    fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: -(2 ** bits), max: 2 ** bits }), { minLength: n, maxLength: n }),
      )
      .map(([gaps, ms]) => {
        const ts = new Float64Array(n);
        const values = new Float64Array(n);
        let t = start;
        for (let i = 0; i < n; i++) {
          t += i > 0 ? gaps[i] : 0;
          ts[i] = t;
          values[i] = ms[i] / 10 ** k;
        }
        return { ts, values };
      }),
  );

test('the same bytes as encodeDecimalBytes for exact decimals', () => {
  fc.assert(fc.property(decimalSeries(130), bothEncoders), { numRuns: 400 });
});

test('the same bytes, or the same refusal, for any values and gaps', () => {
  fc.assert(fc.property(anySeries(130), bothEncoders), { numRuns: 400 });
});

test('the same bytes for wide mantissas, deltas and scales', () => {
  fc.assert(fc.property(wideSeries, bothEncoders), { numRuns: 400 });
});

test('hand-picked: empty, one, two and three samples; special values; scale changes; far timestamps', () => {
  const series = (ts: number[], vs: number[]): Series => ({
    ts: Float64Array.from(ts),
    values: Float64Array.from(vs),
  });
  const stale = new Float64Array(1);
  new Uint32Array(stale.buffer).set([2, 0x7ff00000]);
  const cases: Series[] = [
    series([], []),
    series([0], [0]),
    series([5], [-0]),
    series([1000], [1.5]),
    series([1000, 2000], [1, 2]),
    series([1000, 2000, 3001], [1.25, 2, 3.125]),
    // the scale grows at the last sample, so every mantissa before it is redone
    series([1, 2, 3, 4], [1, 2, 3, 4.00001]),
    series([1, 2, 3], [0.1, 0.2, 0.30000000000000004]),
    series([1, 2, 3], [1e22, 2, 3]),
    series([1, 2, 3], [2 ** 48, 1, 0]),
    series([1, 2, 3], [2 ** 48 - 1, 0, -(2 ** 48 - 1)]),
    series([1, 2, 3], [1, Number.POSITIVE_INFINITY, 3]),
    series([1, 2, 3], [1, 2, Number.NaN]),
    { ts: Float64Array.from([1, 2]), values: Float64Array.from([1, stale[0]]) },
    // deltas of deltas at and beyond the code's ±2^50, and a grid the average step misses
    series([0, 2 ** 50, 2 ** 51], [1, 2, 3]),
    series([0, 1, 2 ** 50 + 2], [1, 2, 3]),
    series([0, 1, 2 ** 51 + 2], [1, 2, 3]),
    series([0, 10, 11, 30, 31, 50], [5, 5, 5, 5, 5, 5]),
  ];
  for (const s of cases) bothEncoders(s);
});

test('bad timestamps: the same error as encodeDecimalBytes', () => {
  for (const ts of [
    [2, 1],
    [1, 1],
    [-1, 5],
    [1.5, 2],
    [Number.NaN, 1],
    [0, 2 ** 53],
  ]) {
    const t = Float64Array.from(ts);
    const v = Float64Array.from([1, 2]);
    const expected = (() => {
      try {
        encodeDecimalBytes(t, v, 0, 2);
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    assert.notEqual(expected, 'no error', `${ts}`);
    assert.throws(() => encoder.encode(t, v, 2), { message: expected });
  }
});
