// Packing series for a maintenance job: what crosses to the worker thread comes back out the same,
// and a large cut is packed a slice at a time, letting the event loop run in between.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { encodeRuns } from '../../../src/tsdb/chunk/encode.ts';
import type { SeriesChunks } from '../../../src/tsdb/db/block-input.ts';
import { packSeries, unpackSeries } from '../../../src/tsdb/db/maintenance-jobs.ts';

const seriesArb = fc.array(
  fc.record({
    name: fc.stringMatching(/^[a-z_]{1,8}$/),
    value: fc.string({ maxLength: 6 }),
    // Decimal-friendly and arbitrary values, so both chunk encodings occur.
    values: fc.array(
      fc.oneof(
        fc.integer({ min: -5000, max: 5000 }).map((x) => x / 100),
        fc.double(),
      ),
      {
        maxLength: 300,
      },
    ),
  }),
  { maxLength: 20 },
);

function build(input: { name: string; value: string; values: number[] }[]): SeriesChunks[] {
  return input.map((s, i) => {
    const ts = s.values.map((_, k) => 1_700_000_000_000 + k * 15_000);
    return {
      labels: Labels.from({ __name__: s.name, i: String(i), v: s.value }),
      chunks: encodeRuns(ts, Float64Array.from(s.values), s.values.length, 120),
    };
  });
}

test('packed series unpack to the same labels and chunk bytes', async () => {
  await fc.assert(
    fc.asyncProperty(seriesArb, fc.integer({ min: 1, max: 7 }), async (input, slice) => {
      const series = build(input);
      const back = unpackSeries(await packSeries(series, slice));
      assert.equal(back.length, series.length);
      for (const [i, s] of series.entries()) {
        assert.ok(back[i].labels.equals(s.labels));
        assert.deepEqual(
          back[i].chunks.map((c) => [
            c.encoding,
            c.minT,
            c.maxT,
            c.numSamples,
            Buffer.from(c.bytes()).toString('hex'),
          ]),
          s.chunks.map((c) => [
            c.encoding,
            c.minT,
            c.maxT,
            c.numSamples,
            Buffer.from(c.bytes()).toString('hex'),
          ]),
        );
      }
    }),
    { numRuns: 200 },
  );
});

test('a large cut is packed in slices: the event loop runs in between', async () => {
  const series = build(
    Array.from({ length: 10 }, (_, i) => ({ name: 'm', value: String(i), values: [1, 2, 3] })),
  );
  let ran = 0;
  const tick = () => {
    ran++;
    if (ran < 100) setImmediate(tick);
  };
  setImmediate(tick);
  await packSeries(series, 2);
  assert.ok(ran >= 4, `the loop turned ${ran} times while 10 series were packed 2 at a time`);
  ran = 100; // stop ticking
});
