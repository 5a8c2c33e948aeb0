import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STALE_NAN } from '../../../src/model/staleness.ts';
import { almostEqual } from '../../../src/promql/promqltest/compare.ts';

describe('float comparison of the harness', () => {
  it('allows a relative error below 1e-6', () => {
    assert.ok(almostEqual(1, 1 + 1e-7));
    assert.ok(almostEqual(1e20, 1e20 * (1 + 1e-7)));
    assert.ok(!almostEqual(1, 1 + 1e-5));
    assert.ok(!almostEqual(100, 101));
  });

  it('compares against zero absolutely, with -0 equal to 0', () => {
    assert.ok(almostEqual(0, -0));
    assert.ok(!almostEqual(0, 1e-300));
    assert.ok(almostEqual(0, 0));
  });

  it('treats NaNs as equal, a staleness marker only as equal to another', () => {
    assert.ok(almostEqual(Number.NaN, Number.NaN));
    assert.ok(almostEqual(STALE_NAN, STALE_NAN));
    assert.ok(!almostEqual(STALE_NAN, Number.NaN));
    assert.ok(!almostEqual(Number.NaN, 1));
  });

  it('matches infinities only with themselves', () => {
    assert.ok(almostEqual(Infinity, Infinity));
    assert.ok(!almostEqual(Infinity, -Infinity));
    assert.ok(!almostEqual(Infinity, Number.MAX_VALUE));
  });
});
