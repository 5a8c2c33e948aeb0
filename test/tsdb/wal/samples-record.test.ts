// The WebAssembly samples-record encoder writes what the JS encoder writes, byte for byte, and
// leaves to it what it must (values the JS refuses, deltas that need absolute timestamps).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeSamples, encodeSamplesInJs } from '../../../src/tsdb/wal/record.ts';
import { encodeSamplesRecord } from '../../../src/tsdb/wal/samples-record.ts';

const MAX = 2 ** 53;
/** Refs and timestamps: mostly valid and close together, some at the edges, some refused. */
const number = (lo: number) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .integer({ min: 0, max: 40_000 })
        .map((x) => Math.max(lo, 1_700_000_000_000 * (lo < 0 ? 1 : 0) + x)),
    },
    { weight: 2, arbitrary: fc.maxSafeInteger().filter((x) => x >= lo) },
    fc.constantFrom(lo, MAX, MAX - 1, 63, 64, -64, 8191, 8192, -(2 ** 31), 2 ** 31, 2 ** 32),
    fc.constantFrom(-1, 0.5, MAX + 2, -(MAX + 2), Number.NaN, Number.POSITIVE_INFINITY, 5 + 2 ** -40),
  );

test('writes what the JS encoder writes, or leaves the columns to it', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(number(0), number(-MAX), fc.double()), { maxLength: 60 }), (rows) => {
      const n = rows.length;
      const refs = Float64Array.from(rows, (r) => r[0]);
      const ts = Float64Array.from(rows, (r) => r[1]);
      const values = Float64Array.from(rows, (r) => r[2]);
      let js: Uint8Array | string;
      try {
        js = encodeSamplesInJs(refs, ts, values, n);
      } catch (err) {
        js = String(err);
      }
      const fast = encodeSamplesRecord(refs, ts, values, n);
      if (typeof js === 'string') {
        assert.equal(fast, undefined, 'what the JS refuses is left to it');
        assert.throws(() => encodeSamples(refs, ts, values, n), RangeError);
        return;
      }
      if (fast !== undefined) assert.deepEqual(Buffer.from(fast), Buffer.from(js));
      assert.deepEqual(Buffer.from(encodeSamples(refs, ts, values, n)), Buffer.from(js));
    }),
    { numRuns: 3000 },
  );
});

test('takes the usual commit, and leaves deltas of 2^53 and other columns to the JS encoder', () => {
  const n = 1000;
  const refs = Float64Array.from({ length: n }, (_, i) => 5000 + (((i >> 1) * 7) % 20000));
  const ts = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + (i & 1) * 15_000 - (i % 13));
  const values = Float64Array.from({ length: n }, (_, i) => i / 7);
  values[3] = Number.NaN;
  const fast = encodeSamplesRecord(refs, ts, values, n);
  assert.ok(fast !== undefined);
  assert.deepEqual(Buffer.from(fast), Buffer.from(encodeSamplesInJs(refs, ts, values, n)));
  assert.equal(
    encodeSamplesRecord(Float64Array.of(1, 2), Float64Array.of(-MAX, MAX), Float64Array.of(0, 0), 2),
    undefined,
  );
  assert.equal(encodeSamplesRecord([1, 2], Float64Array.of(1, 2), Float64Array.of(0, 0), 2), undefined);
  // Deltas of exactly ±2^53: the JS encoder switches to absolute timestamps.
  for (const pair of [
    [0, MAX],
    [MAX, 0],
    [-MAX, 0],
    [0, -MAX],
  ]) {
    const t = Float64Array.from(pair);
    assert.equal(
      encodeSamplesRecord(Float64Array.of(1, 2), t, Float64Array.of(0, 0), 2),
      undefined,
      `${pair}`,
    );
    assert.deepEqual(
      Buffer.from(encodeSamples(Float64Array.of(1, 2), t, Float64Array.of(0, 0), 2)),
      Buffer.from(encodeSamplesInJs(Float64Array.of(1, 2), t, Float64Array.of(0, 0), 2)),
    );
  }
});
