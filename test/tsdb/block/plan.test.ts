import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { planCompaction } from '../../../src/tsdb/block/index.ts';

const H = 3_600_000;
const RANGES = [2 * H, 6 * H, 18 * H];

const meta = (id: string, minT: number, maxT: number) => ({ id, minT, maxT });
const ids = (ms: { id: string }[]) => ms.map((m) => m.id);
/** A 2h block starting at hour `h` (closed range, so it ends 1 ms before the next). */
const b2 = (id: string, h: number) => meta(id, h * H, (h + 2) * H - 1);

test('nothing to do for fewer than two blocks or an incomplete window', () => {
  assert.deepEqual(planCompaction([], RANGES), []);
  assert.deepEqual(planCompaction([b2('a', 0)], RANGES), []);
  // Two 2h blocks in the first 6h window, with nothing newer: the window may still grow.
  assert.deepEqual(planCompaction([b2('a', 0), b2('b', 2)], RANGES), []);
});

test('a full window is compacted into the next range', () => {
  assert.deepEqual(ids(planCompaction([b2('c', 4), b2('a', 0), b2('b', 2)], RANGES)), ['a', 'b', 'c']);
});

test('a window with newer data after it is complete even when it has gaps', () => {
  assert.deepEqual(ids(planCompaction([b2('a', 0), b2('b', 2), b2('d', 6)], RANGES)), ['a', 'b']);
});

test('larger ranges are considered once the smaller ones have nothing to do', () => {
  const six = (id: string, h: number) => meta(id, h * H, (h + 6) * H - 1);
  assert.deepEqual(ids(planCompaction([six('a', 0), six('b', 6), six('c', 12), b2('d', 18)], RANGES)), [
    'a',
    'b',
    'c',
  ]);
  // A block as large as the largest range is never picked again.
  const big = meta('big', 0, 18 * H - 1);
  assert.deepEqual(planCompaction([big, meta('big2', 18 * H, 36 * H - 1), b2('x', 36)], RANGES), []);
});

test('blocks crossing a window edge are left alone at that range', () => {
  assert.deepEqual(
    planCompaction([meta('a', H, 3 * H - 1), meta('b', 5 * H, 7 * H - 1), b2('c', 8)], RANGES),
    [],
  );
});

test('overlapping blocks are always merged first, whatever their size', () => {
  const plan = planCompaction([b2('a', 0), b2('b', 2), meta('o', 3 * H, 5 * H), b2('z', 40)], RANGES);
  assert.deepEqual(ids(plan), ['b', 'o']);
});

test('the plan is a set of blocks from the input that is either overlapping or fits one window', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: 1, max: 8 })), { maxLength: 12 }),
      (rows) => {
        const metas = rows.map(([h, len], i) => meta(`b${i}`, h * H, (h + len) * H - 1));
        const plan = planCompaction(metas, RANGES);
        assert.ok(plan.length === 0 || plan.length >= 2);
        for (const m of plan) assert.ok(metas.includes(m));
        if (plan.length === 0) {
          // No overlaps left unplanned.
          const s = [...metas].sort((a, b) => a.minT - b.minT);
          for (let i = 1; i < s.length; i++)
            assert.ok(s[i].minT > Math.max(...s.slice(0, i).map((m) => m.maxT)));
          return;
        }
        const overlapping = plan.some(
          (m, i) => i > 0 && m.minT <= Math.max(...plan.slice(0, i).map((p) => p.maxT)),
        );
        if (!overlapping) {
          const fits = RANGES.slice(1).some((r) => {
            const start = Math.floor(plan[0].minT / r) * r;
            return plan.every((m) => m.minT >= start && m.maxT <= start + r - 1);
          });
          assert.ok(fits, 'a non-overlapping plan lies within one window of a range');
        }
      },
    ),
    { numRuns: 500 },
  );
});
