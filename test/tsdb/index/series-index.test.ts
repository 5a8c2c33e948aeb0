import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { Matcher, type MatchType } from '../../../src/tsdb/index/matcher.ts';
import { SeriesIndex } from '../../../src/tsdb/index/series-index.ts';

const RUNS = { numRuns: 400 };

// Small alphabets so that matchers actually hit; '' means the label is absent.
const NAMES = ['__name__', 'a', 'b', 'c'];
const VALUES = ['', 'a', 'b', 'ab', 'ba', 'a\nb', 'x'];
const MATCHER_VALUES = [
  '',
  'a',
  'b',
  'ab',
  'a.*',
  '.*',
  '.+',
  'a|b',
  'b|ab',
  '.',
  '..',
  '[ab]+',
  'a\nb',
  'x|',
];

const labelsArb = fc
  .record(
    Object.fromEntries(NAMES.map((n) => [n, fc.constantFrom(...VALUES)])) as Record<
      string,
      fc.Arbitrary<string>
    >,
  )
  .map((r) => Labels.from(r));

const matcherArb = fc
  .tuple(
    fc.constantFrom<MatchType>('=', '!=', '=~', '!~'),
    fc.constantFrom(...NAMES, 'zz'),
    fc.constantFrom(...MATCHER_VALUES),
  )
  .map(([type, name, value]) => new Matcher(type, name, value));

const matchersArb = fc.array(matcherArb, { maxLength: 4 });

interface Built {
  index: SeriesIndex;
  live: Map<number, Labels>;
}

/**
 * Adds every series, then deletes those flagged — one by one, or all in one deleteMany when the
 * number of series is odd (the two must leave the same index); returns the index and a plain model.
 */
function build(series: Labels[], deletes: boolean[]): Built {
  const index = new SeriesIndex();
  const live = new Map<number, Labels>();
  for (const ls of series) {
    const r = index.getOrCreate(ls);
    assert.ok(r.ref !== undefined);
    assert.equal(r.created, !live.has(r.ref));
    live.set(r.ref, ls);
  }
  const flagged = [...live.keys()].filter((_, i) => deletes[i]);
  if (series.length % 2 === 1) {
    assert.equal(index.deleteMany([...flagged, ...flagged]), flagged.length, 'each deleted once');
    assert.equal(index.deleteMany(flagged), 0);
  } else {
    for (const ref of flagged) {
      assert.equal(index.delete(ref), true);
      assert.equal(index.delete(ref), false);
    }
  }
  for (const ref of flagged) live.delete(ref);
  return { index, live };
}

function bruteSelect(live: Map<number, Labels>, matchers: readonly Matcher[]): number[] {
  return [...live]
    .filter(([, ls]) => matchers.every((m) => m.matches(ls.get(m.name))))
    .map(([ref]) => ref)
    .sort((a, b) => a - b);
}

const sortStrings = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

test('select() equals a brute-force filter, before and after deletes', () => {
  fc.assert(
    fc.property(
      fc.array(labelsArb, { maxLength: 30 }),
      fc.array(fc.boolean(), { maxLength: 30 }),
      fc.array(matchersArb, { minLength: 1, maxLength: 5 }),
      (series, deletes, matcherLists) => {
        const { index, live } = build(series, deletes);
        assert.equal(index.numSeries, live.size);
        for (const matchers of matcherLists) {
          assert.deepEqual(index.select(matchers), bruteSelect(live, matchers), matchers.join(','));
        }
        for (const [ref, ls] of live) {
          assert.equal(index.get(ref)?.key, ls.key);
          assert.equal(index.refOf(ls), ref);
        }
      },
    ),
    RUNS,
  );
});

test('labelNames/labelValues equal brute force', () => {
  fc.assert(
    fc.property(
      fc.array(labelsArb, { maxLength: 30 }),
      fc.array(fc.boolean(), { maxLength: 30 }),
      matchersArb,
      fc.constantFrom(...NAMES, 'zz'),
      (series, deletes, matchers, name) => {
        const { index, live } = build(series, deletes);
        const selected = bruteSelect(live, matchers).map((ref) => live.get(ref)!);
        assert.deepEqual(
          index.labelNames(matchers),
          sortStrings(selected.flatMap((ls) => ls.pairs.map((p) => p.name))),
        );
        assert.deepEqual(
          index.labelValues(name, matchers),
          sortStrings(selected.map((ls) => ls.get(name)).filter((v) => v !== '')),
        );
        const all = [...live.values()];
        assert.deepEqual(index.labelNames(), sortStrings(all.flatMap((ls) => ls.pairs.map((p) => p.name))));
        assert.deepEqual(
          index.labelValues(name),
          sortStrings(all.map((ls) => ls.get(name)).filter((v) => v !== '')),
        );
      },
    ),
    RUNS,
  );
});

test('maxSeries is never exceeded; existing series are still found when full', () => {
  fc.assert(
    fc.property(fc.array(labelsArb, { maxLength: 30 }), fc.nat(8), (series, max) => {
      const index = new SeriesIndex({ maxSeries: max });
      const known = new Set<string>();
      for (const ls of series) {
        const r = index.getOrCreate(ls);
        if (known.has(ls.key)) {
          assert.equal(r.created, false);
          assert.equal(r.ref, index.refOf(ls));
        } else if (known.size < max) {
          assert.equal(r.created, true);
          known.add(ls.key);
        } else {
          assert.equal(r.refused, 'max-series');
          assert.equal(r.ref, undefined);
          assert.equal(index.refOf(ls), undefined);
        }
        assert.ok(index.numSeries <= max);
      }
      // Deleting frees room for a new series.
      if (index.numSeries === max && max > 0) {
        const ref = index.select([])[0];
        index.delete(ref);
        const fresh = Labels.from({ __name__: 'fresh' });
        assert.equal(index.getOrCreate(fresh).created, true);
      }
    }),
    RUNS,
  );
});

test('refs are monotonic and never reused; symbols are interned and released', () => {
  const index = new SeriesIndex();
  const a = index.getOrCreate(Labels.from({ __name__: 'up', job: 'api' }));
  const b = index.getOrCreate(Labels.from({ __name__: 'up', job: 'db' }));
  assert.ok(a.ref !== undefined && b.ref !== undefined && b.ref > a.ref);
  // Interned: both series share the same string instances for shared names/values.
  assert.equal(index.numSymbols, 5); // __name__, up, job, api, db
  index.delete(a.ref);
  assert.equal(index.numSymbols, 4);
  const c = index.getOrCreate(Labels.from({ __name__: 'up', job: 'api' }));
  assert.ok(c.ref !== undefined && c.ref > b.ref);
  assert.deepEqual(index.select([Matcher.equal('job', 'api')]), [c.ref]);
  assert.deepEqual(index.select([Matcher.notEqual('job', 'api')]), [b.ref]);
  assert.deepEqual(index.select([Matcher.equal('job', '')]), []);
  assert.deepEqual(index.select([Matcher.equal('nope', '')]), [b.ref, c.ref]);
  assert.deepEqual(index.labelValues('job'), ['api', 'db']);
  index.delete(b.ref);
  index.delete(c.ref);
  assert.equal(index.numSymbols, 0);
  assert.deepEqual(index.labelNames(), []);
  assert.deepEqual(index.select([]), []);
});
