// appendIdRows: the rows of a decoded batch go to the store as runs per series — with `ends`, a
// series' rows; without, consecutive rows of one id — and store and refuse exactly what appending
// row by row does, refused series counted per sample.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { appendIdRows } from '../../../src/inputs/decoding/append-rows.ts';
import { SeriesTable } from '../../../src/inputs/decoding/series-ids.ts';
import { Labels } from '../../../src/model/labels.ts';
import { Counter } from '../../../src/registry/counter.ts';
import { Head } from '../../../src/tsdb/head/head.ts';
import { Querier } from '../../../src/tsdb/querier/querier.ts';

const REASONS = [
  'series_limit',
  'out_of_order',
  'too_old',
  'duplicate_timestamp',
  'invalid_timestamp',
] as const;
const counters = () =>
  Object.fromEntries(
    REASONS.map((r) => [r, new Counter({ labels: Labels.from({}), values: [], createdMs: 0 })]),
  ) as Record<(typeof REASONS)[number], Counter>;

/** Every series' samples in the head, by name. */
function contents(head: Head): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of new Querier([head], 0, Number.MAX_SAFE_INTEGER).select([])) {
    const it = s.iterator();
    const rows: [number, number][] = [];
    while (it.next()) rows.push([it.t, it.v]);
    out[s.labels.metricName] = rows;
  }
  return out;
}

test('rows go in runs per series and store exactly what row-by-row appends do', async () => {
  // Ids from a few series (one past the series limit), timestamps mostly rising per row.
  const row = fc.record({ id: fc.integer({ min: 0, max: 3 }), step: fc.integer({ min: -1, max: 3 }) });
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.boolean(), async (rows, withEnds) => {
      const defs = { generation: 1, first: 0, labels: [0, 1, 2, 3].map((i) => ['__name__', `s${i}`]) };
      let t = 1000;
      const times = rows.map((r) => (t += r.step * 1000));
      // With ends: one entry per row, each owning that one row (the decoder's shape for a series
      // that appears once per request); without: an id per row.
      const ids = Int32Array.from(rows.map((r) => r.id));
      const ts = Float64Array.from(times);
      const vs = Float64Array.from(times.map((x) => x / 1000));
      const ends = withEnds ? Uint32Array.from(rows.map((_, i) => i + 1)) : undefined;
      const heads = [new Head({ maxSeries: 3 }), new Head({ maxSeries: 3 })];
      const dropped = [counters(), counters()];

      const table = new SeriesTable();
      table.define(defs);
      const app = heads[0].appender();
      const stored = appendIdRows(app, table, { ids, ends, ts, vs }, dropped[0]);
      await app.commit();

      const oneTable = new SeriesTable();
      oneTable.define(defs);
      let oneStored = 0;
      const one = heads[1].appender();
      for (let i = 0; i < ids.length; i++)
        oneStored += appendIdRows(
          one,
          oneTable,
          { ids: ids.subarray(i, i + 1), ts: ts.subarray(i, i + 1), vs: vs.subarray(i, i + 1) },
          dropped[1],
        );
      await one.commit();

      assert.equal(stored, oneStored);
      assert.deepEqual(contents(heads[0]), contents(heads[1]));
      for (const r of REASONS) assert.equal(dropped[0][r].value, dropped[1][r].value, r);
    }),
    { numRuns: 300 },
  );
});

test('consecutive rows of one id are one run: the store sees one call for them', () => {
  const table = new SeriesTable();
  table.define({
    generation: 1,
    first: 0,
    labels: [
      ['__name__', 'a'],
      ['__name__', 'b'],
    ],
  });
  const head = new Head();
  const app = head.appender();
  const calls: [number, number][] = [];
  const appendRows = app.appendRows.bind(app);
  app.appendRows = (s, ts, vs, from, to) => {
    calls.push([from, to]);
    return appendRows(s, ts, vs, from, to);
  };
  const ts = Float64Array.from([1, 2, 3, 1, 2, 4]);
  appendIdRows(app, table, { ids: Int32Array.from([0, 0, 0, 1, 1, 0]), ts, vs: ts }, counters());
  assert.deepEqual(calls, [
    [0, 3],
    [3, 5],
    [5, 6],
  ]);
});
