// Range kernels against the expected values of Prometheus' own promqltest scripts
// (shared/conformance/promqltest/functions.test), one window at a time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { close, load, MINUTE, run, SECOND, type Series, windowAt } from './helpers.ts';

interface Case {
  fn: string;
  series: Series;
  at: number;
  range: number;
  offset?: number;
  p0?: number;
  p1?: number;
  /** undefined: no output at all. */
  want: number | undefined;
}

function check(cases: readonly Case[]): void {
  for (const c of cases) {
    const got = run(c.fn, windowAt(c.series, c.at, c.range, c.offset), c.p0, c.p1);
    assert.ok(
      close(got, c.want),
      `${c.fn} at ${c.at / 1000}s [${c.range / 1000}s]: got ${got}, want ${c.want}`,
    );
  }
}

describe('resets and changes', () => {
  const foo = load(5 * MINUTE, '1 2 3 0 1 0 0 1 2 0');
  const bar = load(5 * MINUTE, '1 2 3 4 5 1 2 3 4 5');
  const biz = load(5 * MINUTE, '0 0 0 0 0 1 1 1 1 1');
  const at = 50 * MINUTE;

  it('counts decreases', () => {
    check([
      { fn: 'resets', series: foo, at, range: 5 * MINUTE, want: undefined },
      { fn: 'resets', series: foo, at, range: 10 * MINUTE, want: 0 },
      { fn: 'resets', series: foo, at, range: 20 * MINUTE, want: 1 },
      { fn: 'resets', series: foo, at, range: 32 * MINUTE, want: 2 },
      { fn: 'resets', series: bar, at, range: 32 * MINUTE, want: 1 },
      { fn: 'resets', series: foo, at, range: 50 * MINUTE, want: 3 },
      { fn: 'resets', series: biz, at, range: 50 * MINUTE, want: 0 },
    ]);
  });

  it('counts changes, NaN to NaN being none', () => {
    check([
      { fn: 'changes', series: foo, at, range: 20 * MINUTE, want: 2 },
      { fn: 'changes', series: bar, at, range: 30 * MINUTE, want: 4 },
      { fn: 'changes', series: foo, at, range: 50 * MINUTE, want: 7 },
      { fn: 'changes', series: bar, at, range: 50 * MINUTE, want: 8 },
      { fn: 'changes', series: biz, at, range: 50 * MINUTE, want: 1 },
      {
        fn: 'changes',
        series: load(5 * MINUTE, 'NaN NaN NaN'),
        at: 15 * MINUTE,
        range: 20 * MINUTE,
        want: 0,
      },
      { fn: 'changes', series: load(5 * MINUTE, '0 NaN 0'), at: 15 * MINUTE, range: 20 * MINUTE, want: 2 },
    ]);
  });
});

describe('increase, rate, delta', () => {
  const foo = load(5 * MINUTE, '0+10x10');
  const bar = load(5 * MINUTE, '0+18x5 0+18x5');
  const dings = load(5 * MINUTE, '10+10x10');
  const bumms = load(5 * MINUTE, '1+10x10');

  it('corrects counter resets and extrapolates to the window, not below zero', () => {
    check([
      { fn: 'increase', series: foo, at: 50 * MINUTE, range: 50 * MINUTE, want: 100 },
      { fn: 'increase', series: bar, at: 50 * MINUTE, range: 50 * MINUTE, want: 160 },
      { fn: 'increase', series: dings, at: 50 * MINUTE, range: 50 * MINUTE, want: 100 },
      { fn: 'increase', series: bumms, at: 50 * MINUTE, range: 50 * MINUTE, want: 100 },
      { fn: 'increase', series: foo, at: 50 * MINUTE, range: 100 * MINUTE, want: 100 },
      { fn: 'increase', series: bar, at: 50 * MINUTE, range: 100 * MINUTE, want: 162 },
      { fn: 'increase', series: dings, at: 50 * MINUTE, range: 100 * MINUTE, want: 105 },
      { fn: 'increase', series: bumms, at: 50 * MINUTE, range: 100 * MINUTE, want: 101 },
      {
        fn: 'increase',
        series: load(5 * MINUTE, '0 1 2 3 2 3 4'),
        at: 30 * MINUTE,
        range: 30 * MINUTE,
        want: 7,
      },
    ]);
  });

  it('rate per second, resets in the middle and at the end', () => {
    const middle = load(5 * MINUTE, '0+27x4 0+27x5');
    const end = load(5 * MINUTE, '0+10x9 0 10');
    check([
      { fn: 'rate', series: middle, at: 50 * MINUTE, range: 50 * MINUTE, want: 0.08 },
      { fn: 'rate', series: end, at: 50 * MINUTE, range: 5 * MINUTE, want: undefined },
      { fn: 'rate', series: end, at: 50 * MINUTE, range: 6 * MINUTE, want: 0 },
      {
        fn: 'rate',
        series: load(5 * MINUTE, '0+80x10'),
        at: 50 * MINUTE,
        range: 50 * MINUTE,
        want: 0.26666666666666666,
      },
      {
        fn: 'rate',
        series: load(5 * MINUTE, '0+10x10'),
        at: 50 * MINUTE,
        range: 10 * MINUTE,
        offset: 5 * MINUTE,
        want: 0.03333333333333333,
      },
    ]);
  });

  it('cuts the left extrapolation at the zero point, at most half an interval', () => {
    const cases: Case[] = [];
    const want10m = [0.5, 0.55, 0.6, 0.6, 0.6, 0.6];
    for (let start = 0; start <= 5; start++) {
      const s = load(4 * MINUTE, `${start * 60}+240x10`);
      cases.push({ fn: 'rate', series: s, at: 10 * MINUTE, range: 20 * MINUTE, want: want10m[start] });
      cases.push({ fn: 'rate', series: s, at: 50 * MINUTE, range: 20 * MINUTE, want: 0.6 });
    }
    check(cases);
  });

  it('delta of gauges, both directions', () => {
    check([
      {
        fn: 'delta',
        series: load(5 * MINUTE, '0 50 100 150 200'),
        at: 20 * MINUTE,
        range: 20 * MINUTE,
        want: 200,
      },
      {
        fn: 'delta',
        series: load(5 * MINUTE, '200 150 100 50 0'),
        at: 20 * MINUTE,
        range: 20 * MINUTE,
        want: -200,
      },
    ]);
  });
});

describe('irate and idelta', () => {
  it('uses the last two samples; a reset gives the last value', () => {
    const foo = load(5 * MINUTE, '0+10x10');
    const bar = load(5 * MINUTE, '0+10x5 0+10x5');
    check([
      { fn: 'irate', series: foo, at: 50 * MINUTE, range: 50 * MINUTE, want: 0.03333333333333333 },
      { fn: 'irate', series: bar, at: 50 * MINUTE, range: 50 * MINUTE, want: 0.03333333333333333 },
      { fn: 'irate', series: bar, at: 30 * MINUTE, range: 50 * MINUTE, want: 0 },
      {
        fn: 'idelta',
        series: load(5 * MINUTE, '0 50 100 150'),
        at: 20 * MINUTE,
        range: 20 * MINUTE,
        want: 50,
      },
      {
        fn: 'idelta',
        series: load(5 * MINUTE, '0 50 100 50'),
        at: 20 * MINUTE,
        range: 20 * MINUTE,
        want: -50,
      },
    ]);
  });

  it('NaN neighbours give NaN, then a plain difference', () => {
    const nan = load(5 * MINUTE, '1 NaN NaN 5 11');
    const range = 15 * MINUTE + SECOND;
    const irate = [undefined, Number.NaN, Number.NaN, Number.NaN, 0.02];
    const idelta = [undefined, Number.NaN, Number.NaN, Number.NaN, 6];
    for (let step = 0; step <= 4; step++) {
      check([
        { fn: 'irate', series: nan, at: step * 5 * MINUTE, range, want: irate[step] },
        { fn: 'idelta', series: nan, at: step * 5 * MINUTE, range, want: idelta[step] },
      ]);
    }
  });
});

describe('deriv and predict_linear', () => {
  const middle = load(5 * MINUTE, '0+10x4 0+10x5');
  it('least squares slope and prediction from the evaluation time', () => {
    check([
      {
        fn: 'deriv',
        series: load(5 * MINUTE, '0+80x10'),
        at: 50 * MINUTE,
        range: 50 * MINUTE,
        want: 0.26666666666666666,
      },
      { fn: 'deriv', series: middle, at: 50 * MINUTE, range: 100 * MINUTE, want: 0.010606060606060607 },
      { fn: 'predict_linear', series: middle, at: 50 * MINUTE, range: 50 * MINUTE, p0: 3600, want: 70 },
    ]);
  });

  it('with @ the window ends at the @ time but the prediction starts at the step', () => {
    // predict_linear(x[55m] @ 3000, 3600) evaluated at 50m, 10m and 70m.
    const at3000 = (evalMs: number, want: number): Case => ({
      fn: 'predict_linear',
      series: middle,
      at: evalMs,
      range: 55 * MINUTE,
      offset: evalMs - 3000 * SECOND,
      p0: 3600,
      want,
    });
    check([
      at3000(50 * MINUTE, 76.81818181818181),
      at3000(10 * MINUTE, 51.36363636363637),
      at3000(70 * MINUTE, 89.54545454545455),
    ]);
  });

  it('infinities make the fit NaN', () => {
    const inf = load(5 * MINUTE, '-Inf 0+80x10 Inf');
    check([
      { fn: 'deriv', series: inf, at: 100 * MINUTE, range: 100 * MINUTE, want: Number.NaN },
      {
        fn: 'predict_linear',
        series: inf,
        at: 100 * MINUTE,
        range: 100 * MINUTE,
        p0: 6000,
        want: Number.NaN,
      },
    ]);
  });
});

describe('double_exponential_smoothing', () => {
  it('follows linear trends up and down', () => {
    const cases: [string, number][] = [
      ['0+10x1000 100+30x1000', 8000],
      ['0+20x1000 200+30x1000', 16000],
      ['0+30x1000 300+80x1000', 24000],
      ['0+40x2000', 32000],
      ['8000-10x1000', 0],
      ['0-20x1000', -16000],
      ['0+30x1000 300-80x1000', 24000],
      ['0-40x1000 0+40x1000', -32000],
    ];
    check(
      cases.map(([spec, want]) => ({
        fn: 'double_exponential_smoothing',
        series: load(10 * SECOND, spec),
        at: 8000 * SECOND,
        range: MINUTE,
        p0: 0.01,
        p1: 0.1,
        want,
      })),
    );
  });
});

describe('avg_over_time and sum_over_time', () => {
  const avg = (
    spec: string,
    want: number,
    at = 55 * SECOND,
    interval = 10 * SECOND,
    range = MINUTE,
  ): Case => ({
    fn: 'avg_over_time',
    series: load(interval, spec),
    at,
    range,
    want,
  });
  it('infinities and NaN', () => {
    check([
      avg('1 2 3 4 5', 5, 55 * SECOND, 10 * SECOND, 20 * SECOND),
      avg('1 2 3 4 5', 3),
      avg('1 2 3 4 Inf', Number.POSITIVE_INFINITY),
      avg('1 2 3 4 -Inf', Number.NEGATIVE_INFINITY),
      avg('1 2 3 Inf -Inf', Number.NaN),
      avg('Inf 0 Inf', Number.POSITIVE_INFINITY),
      avg('Inf Inf Inf -Inf', Number.NaN),
      avg('1 2 3 -Inf -Inf', Number.NEGATIVE_INFINITY),
      avg('-Inf 0 -Inf', Number.NEGATIVE_INFINITY),
      avg('-Inf -Inf -Inf Inf', Number.NaN),
      avg('1 2 -Inf -Inf Inf', Number.NaN),
      avg('1 2 3 NaN NaN', 2, 20 * SECOND),
      avg('1 2 3 NaN NaN', Number.NaN, 30 * SECOND),
    ]);
  });

  it('does not overflow where the sum would', () => {
    check([
      avg('9.988465674311579e+307 9.988465674311579e+307', 9.988465674311579e307),
      avg('-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307', -9.988465674311579e307),
      avg('-9.988465674311579e+307 9.988465674311579e+307', 0),
      {
        fn: 'sum_over_time',
        series: load(10 * SECOND, '9.988465674311579e+307 9.988465674311579e+307'),
        at: 55 * SECOND,
        range: MINUTE,
        want: Number.POSITIVE_INFINITY,
      },
    ]);
  });

  it('keeps detail next to very big values (Kahan)', () => {
    const s = load(10 * SECOND, '1 1e100 1 -1e100');
    check([
      { fn: 'sum_over_time', series: s, at: MINUTE, range: 2 * MINUTE, want: 2 },
      { fn: 'avg_over_time', series: s, at: MINUTE, range: 2 * MINUTE, want: 0.5 },
    ]);
  });

  it('extreme magnitudes', () => {
    const five = 5 * SECOND;
    check([
      avg('1e10 1e-6 1e-6 1e-6 1e-6 1e-6', 1.6666666666666675e9, 55 * SECOND, five),
      avg(
        '5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154',
        1.67186744582113,
        55 * SECOND,
        five,
      ),
      avg('1.78264e50 0.76342771 1.9592258 7.69805412 458.90154', 3.56528e49, 55 * SECOND, five),
      avg(
        '1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154',
        3.76333333333333e219,
        55 * SECOND,
        five,
      ),
      avg(
        '-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154',
        3.76330362266667e219,
        55 * SECOND,
        five,
      ),
      avg(
        '-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154',
        3.225714285714286e219,
        55 * SECOND,
        five,
      ),
      avg(
        '-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        2.5088888888888888e219,
        55 * SECOND,
        five,
      ),
      // Kahan summation cannot rescue this one either; Prometheus answers 0 too.
      avg(
        '-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        0,
        55 * SECOND,
        five,
      ),
    ]);
  });

  it('a constant average is exact (direct mean, not incremental)', () => {
    const foo = load(10 * SECOND, '52+0x100');
    for (const range of [100, 110, 120, 130]) {
      assert.equal(run('avg_over_time', windowAt(foo, 10 * MINUTE, range * SECOND)), 52);
    }
  });

  it('dense samples sum exactly', () => {
    const metric = load(1, '1+0x4000');
    for (const range of [1000, 1001, 1002, 1003, 2000, 2001, 2002, 2003, 3000, 3001, 3002, 3003]) {
      assert.equal(run('sum_over_time', windowAt(metric, 4 * SECOND, range)), range);
    }
  });
});

describe('variance, mad, quantile, extremes', () => {
  it('stddev and stdvar over time', () => {
    const m = load(10 * SECOND, '0 8 8 2 3');
    const same = load(10 * SECOND, '1.5990505637277868 1.5990505637277868 1.5990505637277868');
    check([
      { fn: 'stdvar_over_time', series: m, at: MINUTE, range: 2 * MINUTE, want: 10.56 },
      { fn: 'stddev_over_time', series: m, at: MINUTE, range: 2 * MINUTE, want: 3.249615 },
    ]);
    // Exactly zero, not a rounding residue.
    assert.equal(run('stdvar_over_time', windowAt(same, 55 * SECOND, MINUTE)), 0);
    assert.equal(run('stddev_over_time', windowAt(same, 55 * SECOND, MINUTE)), 0);
  });

  it('mad_over_time, NaN propagating', () => {
    const at = (spec: string, evalS: number, rangeS: number, want: number): Case => ({
      fn: 'mad_over_time',
      series: load(10 * SECOND, spec),
      at: evalS * SECOND,
      range: rangeS * SECOND,
      want,
    });
    check([
      at('4 6 2 1 999 1 2', 70, 70, 1),
      at('1 2 3 4 5', 40, 50, 1),
      at('7 7 7 7 7', 40, 50, 0),
      at('5', 0, 10, 0),
      at('1 2 NaN 4', 30, 40, Number.NaN),
    ]);
  });

  it('quantile_over_time interpolates between ranks; φ outside [0,1] gives ±Inf', () => {
    const series = [load(10 * SECOND, '0 1'), load(10 * SECOND, '0 1 2'), load(10 * SECOND, '0 1 4')];
    const table: [number, number[]][] = [
      [0, [0, 0, 0]],
      [0.5, [0.5, 1, 1]],
      [0.75, [0.75, 1.5, 2.5]],
      [0.8, [0.8, 1.6, 2.8]],
      [1, [1, 2, 4]],
      [-1, [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]],
      [2, [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]],
      [Number.NaN, [Number.NaN, Number.NaN, Number.NaN]],
    ];
    for (const [phi, wants] of table)
      check(
        series.map((s, i) => ({
          fn: 'quantile_over_time',
          series: s,
          at: MINUTE,
          range: 2 * MINUTE,
          p0: phi,
          want: wants[i],
        })),
      );
  });

  it('timestamps of extremes, first and last (odd intervals, no rounding)', () => {
    const m = load(10_053, '1 2 3 0 5 6 2 1 4');
    check([
      { fn: 'ts_of_min_over_time', series: m, at: 90 * SECOND, range: 90 * SECOND, want: 30.159 },
      { fn: 'ts_of_max_over_time', series: m, at: 90 * SECOND, range: 90 * SECOND, want: 50.265 },
    ]);
  });
});
