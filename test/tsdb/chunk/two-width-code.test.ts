import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BitReader } from '../../../src/tsdb/chunk/bit-reader.ts';
import { BitWriter } from '../../../src/tsdb/chunk/bit-writer.ts';
import {
  bitLength,
  MAX_MAGNITUDE,
  signedVarintBits,
  TwoWidthPlan,
  TwoWidthReader,
} from '../../../src/tsdb/chunk/two-width-code.ts';

// Sequences as the decimal chunk makes them: mostly small deltas and residuals, sometimes values on
// either side of the planner's 32-bit fast path (±2^29) and of its one-field limit (30-bit codes),
// sometimes anything up to the code's bound.
const magnitude = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.integer({ min: -5000, max: 5000 }),
  fc.integer({ min: 2 ** 29 - 3, max: 2 ** 29 + 3 }),
  fc.integer({ min: -(2 ** 29) - 3, max: -(2 ** 29) + 3 }),
  fc.integer({ min: 2 ** 30 - 3, max: 2 ** 30 + 3 }),
  fc.integer({ min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE }),
);
const sequence = fc.oneof(
  fc.array(fc.integer({ min: -4, max: 4 }), { maxLength: 130 }),
  fc.array(magnitude, { maxLength: 130 }),
  fc
    .tuple(magnitude, fc.array(fc.constantFrom(0, 0, 0, 1, -1), { maxLength: 130 }))
    // Kept within the code's bound, as callers keep them (c ± 1 could step past it).
    .map(([c, xs]) => xs.map((x) => Math.min(MAX_MAGNITUDE, Math.max(-MAX_MAGNITUDE, c + x)))),
);

const zigzag = (x: number): number => (x >= 0 ? 2 * x : -2 * x - 1);

/** The cheapest plan by brute force: every candidate base and short width, costed value by value. */
function cheapestBits(values: number[]): number {
  const candidates: [number, boolean][] = [
    [Math.min(...values, values[0] ?? 0), false],
    [0, true],
  ];
  const counts = new Map<number, number>();
  for (const x of values) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const [x, c] of counts) if (c * 2 > values.length && x !== 0) candidates.push([x, true]);
  let best = Number.POSITIVE_INFINITY;
  for (const [base, zz] of candidates) {
    const widths = values.map((x) => bitLength(zz ? zigzag(x - base) : x - base));
    const long = Math.max(0, ...widths);
    let cost = values.length * long;
    for (let short = 0; short < long; short++) {
      let c = values.length;
      for (const b of widths) c += b <= short ? short : long;
      cost = Math.min(cost, c);
    }
    best = Math.min(best, signedVarintBits(base) + 13 + cost);
  }
  return best;
}

test('the two-width plan is the cheapest, writes what it costs, and reads back; its fields match write()', () => {
  fc.assert(
    fc.property(sequence, (xs) => {
      const values = Float64Array.from(xs);
      const plan = new TwoWidthPlan().choose(values, 0, values.length);
      // Only a majority value is sure to be found, so the plan may beat the brute force's candidates but
      // never lose to them.
      assert.ok(plan.bits <= cheapestBits(xs), `plan ${plan.bits} bits, brute force ${cheapestBits(xs)}`);

      const w = new BitWriter(8);
      plan.writeHeader(w);
      for (const x of xs) plan.write(w, x);
      assert.equal(w.bitLength, plan.bits);
      const r = new BitReader(w.view().slice());
      const reader = new TwoWidthReader();
      reader.readHeader(r);
      for (const x of xs) assert.equal(reader.read(r), x);

      const fields = new Int32Array(xs.length);
      const widths = new Uint8Array(xs.length);
      if (plan.fields(values, 0, xs.length, fields, widths, 0)) {
        const f = new BitWriter(8);
        plan.writeHeader(f);
        for (let i = 0; i < xs.length; i++) f.writeBits(fields[i], widths[i]);
        assert.deepEqual(f.view(), w.view());
      } else {
        assert.ok(plan.long > 30, 'fields are refused only for codes wider than 30 bits');
      }
    }),
    { numRuns: 2000 },
  );
});
