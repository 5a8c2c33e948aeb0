// Series ids across the thread boundary: a worker sends each label set once, with the first batch
// that uses it; the main thread resolves ids to store series, asks the store again for a series it
// refused, and starts over with the worker's generations.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SeriesIds, SeriesTable, UnknownSeriesIdError } from '../../../src/inputs/decoding/series-ids.ts';
import { Labels } from '../../../src/model/labels.ts';
import type { Appender, SeriesHandle } from '../../../src/tsdb/storage.ts';

/** An appender that only makes series: one handle per label set, refusing those named in `refuse`. */
function seriesMaker(refuse = new Set<string>()): Appender & { lookups: number } {
  const handles = new Map<string, SeriesHandle>();
  const maker = {
    lookups: 0,
    series(labels: Labels) {
      maker.lookups++;
      if (refuse.has(labels.metricName)) return undefined;
      let h = handles.get(labels.key);
      if (h === undefined) {
        h = { labels };
        handles.set(labels.key, h);
      }
      return h;
    },
  };
  return maker as unknown as Appender & { lookups: number };
}

const name = (i: number) => Labels.from({ __name__: `m${i}`, job: 'x' });

test('every id resolves to its own label set, sent once (model: batches of names)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }), { maxLength: 12 }),
      fc.integer({ min: 4, max: 40 }),
      (batches, maxIds) => {
        const ids = new SeriesIds(maxIds);
        const table = new SeriesTable();
        const app = seriesMaker();
        let sent = 0;
        for (const batch of batches) {
          ids.begin();
          const used = batch.map((i) => ids.idOf(name(i)));
          const defs = ids.definitions();
          sent += defs.labels.length;
          // The definitions cross the boundary as plain data.
          table.define(structuredClone(defs));
          batch.forEach((i, k) => {
            const h = table.handle(used[k], app);
            assert.ok(h?.labels.equals(name(i)));
          });
        }
        // A label set is sent again only after a new generation began.
        const distinct = new Set(batches.flat()).size;
        if (batches.flat().length > 0 && ids.generation === 0) assert.equal(sent, distinct);
      },
    ),
  );
});

test('the store is asked once per series, and again for one it refused', () => {
  const ids = new SeriesIds();
  const table = new SeriesTable();
  const refuse = new Set(['m2']);
  const app = seriesMaker(refuse);
  ids.begin();
  const a = ids.idOf(name(1));
  const b = ids.idOf(name(2));
  table.define(ids.definitions());
  assert.ok(table.handle(a, app));
  assert.equal(table.handle(b, app), undefined);
  assert.ok(table.handle(a, app));
  assert.equal(app.lookups, 2);
  refuse.clear();
  assert.ok(table.handle(b, app));
  assert.equal(app.lookups, 3);
});

test('a new generation starts both sides over; an undefined id is an error, not a wrong series', () => {
  const ids = new SeriesIds(2);
  const table = new SeriesTable();
  const app = seriesMaker();
  ids.begin();
  ids.idOf(name(1));
  ids.idOf(name(2));
  table.define(ids.definitions());
  assert.equal(ids.begin(), true, 'full: a new generation');
  const id = ids.idOf(name(3));
  assert.equal(id, 0);
  table.define(ids.definitions());
  assert.ok(table.handle(0, app)?.labels.equals(name(3)));
  assert.throws(() => table.handle(1, app), UnknownSeriesIdError);
  // Definitions that skip ids are refused.
  assert.throws(
    () => table.define({ generation: ids.generation, first: 5, labels: [name(9).toFlat()] }),
    UnknownSeriesIdError,
  );
});
