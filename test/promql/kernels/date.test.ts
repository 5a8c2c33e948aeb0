import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DATE_FUNCTIONS } from '../../../src/promql/functions/kernels/date.ts';

const d = (name: string, s: number) => {
  const fn = DATE_FUNCTIONS.get(name);
  if (fn === undefined) throw new Error(name);
  return fn(s);
};

describe('date functions (UTC)', () => {
  it('values from functions.test', () => {
    const t = 1136239445; // 2006-01-02 22:04:05 UTC, a Monday.
    assert.deepEqual(
      ['year', 'month', 'day_of_month', 'day_of_year', 'day_of_week', 'hour', 'minute'].map((n) => d(n, t)),
      [2006, 1, 2, 2, 1, 22, 4],
    );
    assert.equal(d('year', 1230767999), 2008);
    assert.equal(d('year', 1230768000), 2009);
    assert.equal(d('month', 1456790399) + d('day_of_month', 1456790399) / 100, 2.29);
    assert.equal(d('month', 1456790400) + d('day_of_month', 1456790400) / 100, 3.01);
    assert.equal(d('day_of_year', 1483191420), 366);
    assert.equal(d('day_of_year', 1672493820), 365);
    assert.equal(d('days_in_month', 1454284800), 29);
    assert.equal(d('days_in_month', 1485907200), 28);
    assert.equal(d('year', 0), 1970);
  });

  it('agrees with JS Date wherever Date reaches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8.6e12, max: 8.6e12 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (s, frac) => {
          const date = new Date(s * 1000);
          const v = s >= 0 ? s + frac : s - frac; // int64(v) truncates towards zero
          assert.equal(d('year', v), date.getUTCFullYear());
          assert.equal(d('month', v), date.getUTCMonth() + 1);
          assert.equal(d('day_of_month', v), date.getUTCDate());
          assert.equal(d('day_of_week', v), date.getUTCDay());
          assert.equal(d('hour', v), date.getUTCHours());
          assert.equal(d('minute', v), date.getUTCMinutes());
          const lastOfMonth = new Date(0);
          lastOfMonth.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
          assert.equal(d('days_in_month', v), lastOfMonth.getUTCDate());
          const jan1 = new Date(0);
          jan1.setUTCFullYear(date.getUTCFullYear(), 0, 1);
          assert.equal(d('day_of_year', v), Math.floor((date.getTime() - jan1.getTime()) / 86_400_000) + 1);
        },
      ),
    );
  });

  it('NaN, ±Inf and out-of-range values are int64 min, which Go reads as 292277026596-12-04 15:30:08', () => {
    for (const v of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e300,
      -1e300,
      2 ** 63,
    ]) {
      assert.equal(d('year', v), 292277026596);
      assert.equal(d('month', v), 12);
      assert.equal(d('day_of_month', v), 4);
      assert.equal(d('day_of_week', v), 0);
      assert.equal(d('hour', v), 15);
      assert.equal(d('minute', v), 30);
    }
  });

  it('beyond JS Date the calendar stays proleptic Gregorian (400-year cycles, 7-day weeks)', () => {
    const cycle = 146_097 * 86_400; // seconds in 400 Gregorian years
    fc.assert(
      fc.property(fc.integer({ min: 1e13, max: 9e15 }), fc.boolean(), (s, negative) => {
        const v = negative ? -s : s;
        assert.equal(d('year', v + cycle), d('year', v) + 400);
        assert.equal(d('day_of_year', v + cycle), d('day_of_year', v));
        assert.equal(d('day_of_week', v + 86_400), (d('day_of_week', v) + 1) % 7);
        assert.equal(d('hour', v + 3600) % 24, (d('hour', v) + 1) % 24);
      }),
    );
  });
});
