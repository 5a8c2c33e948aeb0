import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN } from '../../../src/model/staleness.ts';
import { AppendStatus } from '../../../src/tsdb/head/append-status.ts';
import { Head } from '../../../src/tsdb/head/head.ts';
import { MemSeries } from '../../../src/tsdb/head/mem-series.ts';
import { LAST_T, PENDING_T, SeriesSlots } from '../../../src/tsdb/head/series-slots.ts';

test('slots start empty, are reused once freed, and keep their numbers as the memory grows', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant('alloc'), fc.nat(40)), { maxLength: 200 }), (ops) => {
      const slots = new SeriesSlots(1);
      // What each slot in use should hold: its lastT is set to a number of its own.
      const live = new Map<number, number>();
      let n = 0;
      for (const op of ops) {
        if (op === 'alloc') {
          const at = slots.alloc();
          assert.ok(!live.has(at), 'a slot in use handed out again');
          assert.equal(slots.f64[at + LAST_T], Number.NEGATIVE_INFINITY);
          assert.equal(slots.f64[at + PENDING_T], Number.NEGATIVE_INFINITY);
          slots.f64[at + LAST_T] = ++n;
          live.set(at, n);
        } else if (live.size > 0) {
          const at = [...live.keys()][op % live.size];
          live.delete(at);
          slots.free(at);
        }
        for (const [at, v] of live) assert.equal(slots.f64[at + LAST_T], v);
      }
      assert.equal(slots.size, live.size);
    }),
  );
});

test('a series keeps its newest sample, staleness bits included, through growth and detach()', () => {
  const slots = new SeriesSlots(1);
  const head = new Head();
  const series = Array.from({ length: 50 }, (_, i) => new MemSeries(i, ['__name__', `s${i}`], slots));
  for (const [i, s] of series.entries()) s.appendInOrder(1000 + i, i === 7 ? STALE_NAN : i, head.limits);
  const check = (s: MemSeries, i: number) => {
    assert.equal(s.lastT, 1000 + i);
    assert.equal(s.compareLast(1000 + i, i === 7 ? STALE_NAN : i), AppendStatus.Duplicate);
    assert.equal(s.compareLast(1000 + i, i + 0.5), AppendStatus.DuplicateTimestamp);
  };
  series.forEach(check);
  // A detached series keeps its numbers while its slot goes to another.
  series[7].detach();
  const other = new MemSeries(99, ['__name__', 'other'], slots);
  other.appendInOrder(5, 0, head.limits);
  check(series[7], 7);
  series[7].stagePending(Float64Array.of(3), 0);
  assert.equal(other.pendingT, Number.NEGATIVE_INFINITY);
  series.forEach(check);
});

test('the head detaches the series it forgets', async () => {
  const head = new Head();
  const app = head.appender();
  const gone = app.series(Labels.from({ __name__: 'gone' }))!;
  app.append(gone, 1000, 1);
  await app.commit();
  gone.dropOpen();
  assert.deepEqual(head.gc(2000), [gone.ref]);
  assert.equal(head.slots.size, 0);
  const again = head.appender();
  const fresh = again.series(Labels.from({ __name__: 'fresh' }))!;
  again.append(fresh, 5000, 2);
  await again.commit();
  assert.equal(gone.lastT, 1000);
  assert.equal(fresh.lastT, 5000);
});
