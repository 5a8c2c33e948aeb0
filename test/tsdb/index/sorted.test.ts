import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { difference, insertSorted, intersect, union, unionAll } from '../../../src/tsdb/index/sorted.ts';

const sortedSet = fc.uniqueArray(fc.nat(50)).map((a) => a.sort((x, y) => x - y));

test('intersect/union/difference equal Set semantics', () => {
  fc.assert(
    fc.property(sortedSet, sortedSet, (a, b) => {
      const sb = new Set(b);
      const sa = new Set(a);
      assert.deepEqual(
        intersect(a, b),
        a.filter((x) => sb.has(x)),
      );
      assert.deepEqual(
        difference(a, b),
        a.filter((x) => !sb.has(x)),
      );
      assert.deepEqual(
        union(a, b),
        [...new Set([...a, ...b])].sort((x, y) => x - y),
      );
      assert.deepEqual(union(a, b), union(b, a));
      assert.equal(sa.size, a.length);
    }),
    { numRuns: 300 },
  );
});

test('unionAll and insertSorted keep lists sorted and unique', () => {
  fc.assert(
    fc.property(fc.array(sortedSet, { maxLength: 7 }), fc.array(fc.nat(50)), (lists, xs) => {
      assert.deepEqual(
        unionAll(lists),
        [...new Set(lists.flat())].sort((x, y) => x - y),
      );
      const list: number[] = [];
      const model = new Set<number>();
      for (const x of xs) {
        if (model.has(x)) {
          assert.equal(insertSorted(list, x), false);
          list.splice(list.indexOf(x), 1);
          model.delete(x);
        } else {
          assert.equal(insertSorted(list, x), true);
          model.add(x);
        }
        assert.deepEqual(
          list,
          [...model].sort((p, q) => p - q),
        );
      }
    }),
    { numRuns: 300 },
  );
});
