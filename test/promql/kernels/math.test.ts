import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { clamp, clampMax, clampMin, ELEMENTWISE, round } from '../../../src/promql/functions/kernels/math.ts';

const f = (name: string) => {
  const fn = ELEMENTWISE.get(name);
  if (fn === undefined) throw new Error(name);
  return fn;
};

describe('element-wise math (Go semantics)', () => {
  it('has every function PromQL defines', () => {
    const names =
      'abs ceil floor exp sqrt ln log2 log10 sgn sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh deg rad';
    for (const name of names.split(' ')) assert.ok(ELEMENTWISE.has(name), name);
  });

  it('values from functions.test and trig_functions.test', () => {
    const cases: [string, number, number][] = [
      ['exp', 10, 22026.465794806718],
      ['exp', 20, 485165195.4097903],
      ['ln', 10, Math.LN10],
      ['ln', 20, 2.995732273553991],
      ['ln', 0, Number.NEGATIVE_INFINITY],
      ['ln', -10, Number.NaN],
      ['sqrt', 10, 3.1622776601683795],
      ['log2', 20, 4.321928094887363],
      ['log2', 0, Number.NEGATIVE_INFINITY],
      ['log2', -10, Number.NaN],
      ['log10', 10, 1],
      ['log10', 20, 1.301029995663981],
      ['log10', 0, Number.NEGATIVE_INFINITY],
      ['sin', 10, -0.5440211108893699],
      ['cos', 20, 0.40808206181339196],
      ['tan', 10, 0.6483608274590867],
      ['asin', -0.09999999999999964, -0.10016742116155944],
      ['atan', 10, 1.4711276743037345],
      ['sinh', 20, 2.4258259770489514e8],
      ['tanh', 20, 1],
      ['acosh', 10, 2.993222846126381],
      ['atanh', -0.09999999999999964, -0.10033534773107522],
      ['rad', 10, 0.17453292519943295],
      ['rad', 20, 0.3490658503988659],
      ['deg', Math.PI, 180],
    ];
    for (const [name, x, want] of cases) {
      const got = f(name)(x);
      assert.ok(
        Object.is(got, want) || Math.abs(got - want) <= 1e-15 * Math.abs(want),
        `${name}(${x}) = ${got}`,
      );
    }
  });

  it('log2 is exact on powers of two, including subnormals', () => {
    for (let e = -1074; e <= 1023; e += 7) assert.equal(f('log2')(2 ** e), e);
  });

  it('sgn keeps 0, -0 and NaN', () => {
    assert.equal(f('sgn')(-3), -1);
    assert.equal(f('sgn')(Number.POSITIVE_INFINITY), 1);
    assert.ok(Object.is(f('sgn')(-0), -0));
    assert.ok(Object.is(f('sgn')(0), 0));
    assert.ok(Number.isNaN(f('sgn')(Number.NaN)));
  });

  it('every function maps NaN to NaN', () => {
    for (const [name, fn] of ELEMENTWISE) assert.ok(Number.isNaN(fn(Number.NaN)), name);
  });
});

describe('round', () => {
  it('ties go up, to a multiple of toNearest', () => {
    assert.equal(round(2.5, 1), 3);
    assert.equal(round(-2.5, 1), -2);
    assert.equal(round(7, 5), 5);
    assert.equal(round(7.5, 5), 10);
    assert.equal(round(1.26, 0.1), 1.3);
    assert.ok(Number.isNaN(round(Number.NaN, 1)));
    assert.equal(round(Number.POSITIVE_INFINITY, 1), Number.POSITIVE_INFINITY);
  });

  it('to 1 it is floor(v + 0.5)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (v) => {
        assert.ok(Object.is(round(v, 1), Math.floor(v + 0.5)));
      }),
    );
  });
});

describe('clamp', () => {
  it('clamps into [min, max]', () => {
    assert.equal(clamp(-50, -25, 75), -25);
    assert.equal(clamp(100, -25, 75), 75);
    assert.equal(clamp(0, -25, 75), 0);
    assert.equal(clampMax(100, 75), 75);
    assert.equal(clampMin(-50, -25), -25);
  });

  it("Go's Max/Min: an infinite bound beats NaN", () => {
    assert.ok(Number.isNaN(clamp(Number.NaN, 0, 1)));
    assert.ok(Number.isNaN(clamp(1, Number.NaN, 2)));
    assert.equal(clampMin(Number.NaN, Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(clampMax(Number.NaN, Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(clampMin(Number.NaN, 3)));
    assert.ok(Object.is(clamp(-0, 0, 1), 0));
  });
});
