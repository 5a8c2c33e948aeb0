import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { isStaleNaN, STALE_NAN } from '../../../src/model/staleness.ts';
import { DuplicateSampleError, MemoryQueryable } from '../../../src/promql/promqltest/memory-queryable.ts';
import type { PromqlQuerier } from '../../../src/promql/storage.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';

function samplesOf(q: PromqlQuerier, matchers: Matcher[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of q.select(matchers)) {
    const c = s.iterator();
    const points: [number, number][] = [];
    while (c.next()) points.push([c.t, c.v]);
    out[s.labels.toString()] = points;
  }
  return out;
}

const name = (n: string) => Matcher.equal('__name__', n);

describe('the in-memory store of a script', () => {
  it('selects by matchers, sorted by labels, samples within [minT, maxT]', () => {
    const store = new MemoryQueryable();
    store.append(Labels.from({ __name__: 'm', job: 'b' }), [0, 10, 20, 30], Float64Array.of(1, 2, 3, 4));
    store.append(Labels.from({ __name__: 'm', job: 'a' }), [5, 15], Float64Array.of(7, 8));
    store.append(Labels.from({ __name__: 'other' }), [0], Float64Array.of(9));
    const q = store.querier(10, 20);
    assert.deepEqual(Object.keys(samplesOf(q, [name('m')])), ['m{job="a"}', 'm{job="b"}']);
    assert.deepEqual(samplesOf(q, [name('m'), Matcher.regex('job', 'b|c')]), {
      'm{job="b"}': [
        [10, 2],
        [20, 3],
      ],
    });
    // A series without samples in the range is not selected.
    assert.deepEqual(samplesOf(q, [name('other')]), {});
    assert.deepEqual(samplesOf(store.querier(16, 19), [name('m')]), {});
  });

  it('gives a fresh cursor per iterator() call', () => {
    const store = new MemoryQueryable();
    store.append(Labels.from({ __name__: 'm' }), [1, 2], Float64Array.of(1, 2));
    const [s] = store.querier(0, 10).select([name('m')]);
    const a = s.iterator();
    assert.ok(a.next() && a.next() && !a.next());
    const b = s.iterator();
    assert.ok(b.next());
    assert.equal(b.t, 1);
  });

  it('keeps the staleness marker bit for bit, also when merging out-of-order loads', () => {
    const store = new MemoryQueryable();
    const ls = Labels.from({ __name__: 'm' });
    store.append(ls, [10, 30], Float64Array.of(1, STALE_NAN));
    store.append(ls, [0, 20, 30, 40], Float64Array.of(0, 2, STALE_NAN, 4));
    const [s] = store.querier(0, 100).select([name('m')]);
    const c = s.iterator();
    // Checked on the cursor itself: a plain JS array would quiet the NaN.
    const stale: number[] = [];
    const times: number[] = [];
    while (c.next()) {
      times.push(c.t);
      if (isStaleNaN(c.v)) stale.push(c.t);
    }
    assert.deepEqual(times, [0, 10, 20, 30, 40]);
    assert.deepEqual(stale, [30]);
  });

  it('refuses a different value at an existing timestamp, and clears', () => {
    const store = new MemoryQueryable();
    const ls = Labels.from({ __name__: 'm' });
    store.append(ls, [0, 10], Float64Array.of(1, 2));
    store.append(ls, [10], Float64Array.of(2));
    assert.throws(() => store.append(ls, [10], Float64Array.of(3)), DuplicateSampleError);
    store.clear();
    assert.equal(store.seriesCount, 0);
    assert.deepEqual(samplesOf(store.querier(0, 100), [name('m')]), {});
  });

  it('finds the first sample of a long series by binary search', () => {
    const store = new MemoryQueryable();
    const n = 10_000;
    const ts = Array.from({ length: n }, (_, i) => i * 1000);
    store.append(
      Labels.from({ __name__: 'm' }),
      ts,
      Float64Array.from(ts, (t) => t / 1000),
    );
    const got = samplesOf(store.querier(4_999_500, 5_002_000), [name('m')]);
    assert.deepEqual(got['m{}'], [
      [5_000_000, 5000],
      [5_001_000, 5001],
      [5_002_000, 5002],
    ]);
  });
});
