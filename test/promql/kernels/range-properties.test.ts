// Range kernels against straightforward reference implementations on generated windows.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RangeWindow } from '../../../src/promql/functions/kernels/range.ts';
import { close, run } from './helpers.ts';

/** Ascending integer timestamps (ms) with values, placed at an offset inside a larger buffer. */
const windowArb = (values: fc.Arbitrary<number>, minLength = 1) =>
  fc
    .record({
      gaps: fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength, maxLength: 60 }),
      start: fc.integer({ min: 0, max: 1e12 }),
      pad: fc.integer({ min: 0, max: 3 }),
      seed: fc.array(values, { minLength: 60, maxLength: 60 }),
    })
    .map(({ gaps, start, pad, seed }): RangeWindow => {
      const n = gaps.length;
      const ts = new Float64Array(n + 2 * pad);
      const vs = new Float64Array(n + 2 * pad);
      let t = start;
      for (let i = 0; i < n + 2 * pad; i++) {
        t += i < gaps.length ? gaps[i] : 1000;
        ts[i] = t;
        vs[i] = seed[i % seed.length];
      }
      const from = pad;
      const to = pad + n;
      return { ts, vs, from, to, rangeStart: ts[from] - 1, rangeEnd: ts[to - 1], stepTime: ts[to - 1] };
    });

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const anyFloat = fc.oneof(
  finite,
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
);

function values(w: RangeWindow): number[] {
  return Array.from(w.vs.subarray(w.from, w.to));
}

describe('range kernels vs naive references', () => {
  it('sum_over_time and avg_over_time agree with a plain sum within 1e-9 relative', () => {
    fc.assert(
      fc.property(windowArb(finite), (w) => {
        const vs = values(w);
        const sum = vs.reduce((a, b) => a + b, 0);
        const scale = vs.reduce((a, b) => a + Math.abs(b), 0);
        const tolerance = 1e-9 * Math.max(scale, 1e-300);
        assert.ok(Math.abs((run('sum_over_time', w) as number) - sum) <= tolerance);
        assert.ok(Math.abs((run('avg_over_time', w) as number) - sum / vs.length) <= tolerance / vs.length);
      }),
    );
  });

  it('count, first, last, present and their timestamps', () => {
    fc.assert(
      fc.property(windowArb(anyFloat), (w) => {
        const vs = values(w);
        assert.equal(run('count_over_time', w), vs.length);
        assert.equal(run('present_over_time', w), 1);
        assert.ok(Object.is(run('first_over_time', w), vs[0]));
        assert.ok(Object.is(run('last_over_time', w), vs[vs.length - 1]));
        assert.equal(run('ts_of_first_over_time', w), w.ts[w.from] / 1000);
        assert.equal(run('ts_of_last_over_time', w), w.ts[w.to - 1] / 1000);
      }),
    );
  });

  it('min/max ignore NaN unless all are NaN; ts_of_* pick the latest extreme', () => {
    fc.assert(
      fc.property(windowArb(anyFloat), (w) => {
        const vs = values(w);
        const numbers = vs.filter((v) => !Number.isNaN(v));
        const max = run('max_over_time', w) as number;
        const min = run('min_over_time', w) as number;
        if (numbers.length === 0) {
          assert.ok(Number.isNaN(max) && Number.isNaN(min));
          return;
        }
        // `===`: which zero (-0 or +0) wins a tie is not what is checked here.
        assert.ok(max === Math.max(...numbers));
        assert.ok(min === Math.min(...numbers));
        // The latest index holding the extreme (values equal to it, -0 == 0 included).
        const lastIndexOf = (x: number) => vs.reduce((at, v, i) => (v === x ? i : at), -1);
        assert.equal(run('ts_of_max_over_time', w), w.ts[w.from + lastIndexOf(max)] / 1000);
        assert.equal(run('ts_of_min_over_time', w), w.ts[w.from + lastIndexOf(min)] / 1000);
      }),
    );
  });

  it('changes and resets count pairs by brute force', () => {
    fc.assert(
      fc.property(windowArb(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(Number.NaN))), (w) => {
        const vs = values(w);
        let changes = 0;
        let resets = 0;
        for (let i = 1; i < vs.length; i++) {
          const bothNaN = Number.isNaN(vs[i]) && Number.isNaN(vs[i - 1]);
          if (!bothNaN && vs[i] !== vs[i - 1]) changes++;
          if (vs[i] < vs[i - 1]) resets++;
        }
        assert.equal(run('changes', w), changes);
        assert.equal(run('resets', w), resets);
      }),
    );
  });

  it('quantile_over_time equals interpolation over the sorted values (NaN first)', () => {
    fc.assert(
      fc.property(windowArb(anyFloat), fc.double({ min: 0, max: 1, noNaN: true }), (w, phi) => {
        const sorted = values(w).sort((a, b) => {
          if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
          if (Number.isNaN(b)) return 1;
          return a - b;
        });
        const rank = phi * (sorted.length - 1);
        const lo = Math.floor(rank);
        const hi = Math.min(sorted.length - 1, lo + 1);
        const weight = rank - lo;
        const want = sorted[lo] * (1 - weight) + sorted[hi] * weight;
        const got = run('quantile_over_time', w, phi) as number;
        assert.ok(Object.is(got, want) || got === want || close(got, want, 1e-12), `got ${got} want ${want}`);
      }),
    );
  });

  it('mad_over_time is the median of absolute deviations from the median', () => {
    fc.assert(
      fc.property(windowArb(finite), (w) => {
        const median = (xs: number[]) => {
          const s = [...xs].sort((a, b) => a - b);
          const r = 0.5 * (s.length - 1);
          const lo = Math.floor(r);
          const hi = Math.min(s.length - 1, lo + 1);
          return s[lo] * (1 - (r - lo)) + s[hi] * (r - lo);
        };
        const vs = values(w);
        const m = median(vs);
        assert.equal(run('mad_over_time', w), median(vs.map((v) => Math.abs(v - m))));
      }),
    );
  });

  it('stdvar_over_time matches the two-pass population variance', () => {
    fc.assert(
      fc.property(windowArb(finite), (w) => {
        const vs = values(w);
        const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
        const variance = vs.reduce((a, b) => a + (b - mean) ** 2, 0) / vs.length;
        const scale = vs.reduce((a, b) => a + b * b, 0) / vs.length;
        const got = run('stdvar_over_time', w) as number;
        assert.ok(Math.abs(got - variance) <= 1e-9 * Math.max(scale, 1e-300), `got ${got} want ${variance}`);
        assert.ok(close(run('stddev_over_time', w) as number, Math.sqrt(got), 1e-15));
      }),
    );
  });

  it('rate/increase/delta/deriv of a perfectly linear counter is its slope', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.integer({ min: 0, max: 1e12 }),
        (n, intervalS, slope, start) => {
          const interval = intervalS * 1000;
          const ts = Float64Array.from({ length: n }, (_, i) => start + i * interval);
          // The window reaches one interval left of the first sample, where the line is at zero,
          // so the extrapolation covers the whole window without going below zero.
          const vs = Float64Array.from({ length: n }, (_, i) => slope * (i + 1) * intervalS);
          const rangeEnd = ts[n - 1];
          const w: RangeWindow = {
            ts,
            vs,
            from: 0,
            to: n,
            rangeStart: ts[0] - interval,
            rangeEnd,
            stepTime: rangeEnd,
          };
          const seconds = (rangeEnd - w.rangeStart) / 1000;
          assert.ok(close(run('rate', w), slope, 1e-9), `rate ${run('rate', w)} vs ${slope}`);
          assert.ok(close(run('deriv', w), slope, 1e-9));
          assert.ok(close(run('irate', w), slope, 1e-9));
          assert.ok(close(run('increase', w), slope * seconds, 1e-9));
          assert.ok(close(run('delta', w), slope * seconds, 1e-9));
          assert.ok(close(run('predict_linear', w, 60), vs[n - 1] + slope * 60, 1e-9));
        },
      ),
    );
  });

  it('deriv and predict_linear match a two-pass least-squares fit', () => {
    fc.assert(
      fc.property(
        windowArb(fc.integer({ min: -1000, max: 1000 }), 2),
        fc.integer({ min: -3600, max: 3600 }),
        (w, ahead) => {
          const xs = Array.from(w.ts.subarray(w.from, w.to), (t) => (t - w.stepTime) / 1000);
          const ys = values(w);
          const n = xs.length;
          const mx = xs.reduce((a, b) => a + b, 0) / n;
          const my = ys.reduce((a, b) => a + b, 0) / n;
          let sxy = 0;
          let sxx = 0;
          for (let i = 0; i < n; i++) {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) ** 2;
          }
          const constant = ys.every((y) => y === ys[0]);
          const slope = constant ? 0 : sxy / sxx;
          const predicted = constant ? ys[0] : my + slope * (ahead - mx);
          const yScale = Math.max(1, ...ys.map(Math.abs));
          const xSpan = Math.max(1, xs[n - 1] - xs[0]);
          assert.ok(Math.abs((run('deriv', w) as number) - slope) <= 1e-6 * (yScale / xSpan), 'deriv');
          const got = run('predict_linear', w, ahead) as number;
          assert.ok(
            Math.abs(got - predicted) <= 1e-6 * yScale * (1 + Math.abs(ahead) / xSpan),
            `${got} vs ${predicted}`,
          );
        },
      ),
    );
  });

  it('a counter reset is corrected: increase equals the increase of the continued counter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 40 }),
        fc.integer({ min: 1, max: 38 }),
        (increments, resetAt) => {
          fc.pre(resetAt < increments.length);
          const n = increments.length;
          const ts = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10_000);
          const continued = new Float64Array(n);
          const reset = new Float64Array(n);
          let total = 10;
          for (let i = 0; i < n; i++) {
            total += increments[i];
            continued[i] = total;
          }
          // After the reset the counter restarts from 0 and adds the same increments.
          for (let i = 0; i < n; i++)
            reset[i] = i < resetAt ? continued[i] : continued[i] - continued[resetAt - 1];
          fc.pre(reset[resetAt] < reset[resetAt - 1]);
          const base = { ts, from: 0, to: n, rangeStart: 0, rangeEnd: ts[n - 1], stepTime: ts[n - 1] };
          const a = run('increase', { ...base, vs: continued }) as number;
          const b = run('increase', { ...base, vs: reset }) as number;
          // Reset correction adds the pre-reset value, so the two differ only by the continued
          // counter's level at the reset versus 0 — which reset correction makes equal.
          assert.ok(close(a, b, 1e-9), `${a} vs ${b}`);
        },
      ),
    );
  });

  it('kernels that need two samples give nothing for one', () => {
    fc.assert(
      fc.property(
        windowArb(anyFloat).filter((w) => w.to - w.from === 1),
        (w) => {
          for (const fn of ['rate', 'increase', 'delta', 'irate', 'idelta', 'deriv', 'predict_linear'])
            assert.equal(run(fn, w, 1), undefined, fn);
          assert.equal(run('double_exponential_smoothing', w, 0.5, 0.5), undefined);
        },
      ),
    );
  });

  it('kernels do not modify the window', () => {
    fc.assert(
      fc.property(windowArb(anyFloat), (w) => {
        const before = Array.from(w.vs);
        for (const fn of ['quantile_over_time', 'mad_over_time', 'avg_over_time', 'stddev_over_time'])
          run(fn, w, 0.3);
        assert.deepEqual(Array.from(w.vs), before);
      }),
    );
  });
});
