import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHiLo, hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import { anyValue } from './arbitraries.ts';

// Every bit pattern, the exponent's edges (zeros, subnormals, the largest normals, infinities, NaNs) included.
const exponentEdges = fc
  .tuple(fc.constantFrom(0, 1, 2, 1022, 1023, 1024, 2045, 2046, 2047), fc.boolean(), fc.nat({ max: 0xfffff }))
  .chain(([e, negative, top]) =>
    fc
      .nat({ max: 0xffffffff })
      .map((lo): [number, number] => [((negative ? 0x80000000 : 0) | (e << 20) | top) >>> 0, lo]),
  );

test('fromHiLo gives the float64 of every bit pattern, and hiBits/loBits give the bits back', () => {
  const check = ([hi, lo]: [number, number]) => {
    const v = fromHiLo(hi, lo);
    assert.equal(hiBits(v), hi);
    assert.equal(loBits(v), lo);
    // Signed inputs (as XOR arithmetic may leave them) mean the same bits.
    assert.ok(Object.is(fromHiLo(hi | 0, lo | 0), v) || Number.isNaN(v));
  };
  fc.assert(fc.property(fc.oneof(anyValue, exponentEdges), check), { numRuns: 20_000 });
  for (const v of [1, -1, 0.1, 1e308, -2.2250738585072014e-308, 5e-324, 2 ** 53, Number.MAX_VALUE]) {
    check([hiBits(v), loBits(v)]);
    assert.ok(Object.is(fromHiLo(hiBits(v), loBits(v)), v));
  }
});
