// A decoder that skips a known series' Label fields when the byte-key table expects that series
// next (SeriesKeys.expectedAt) names every series as a decode without keys does — also when the
// expected key's bytes are only the start of the series' labels (a label set that extends another),
// and when the sequence changes from one request to the next.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeWriteRequestColumns,
  encodeWriteRequest,
  type SeriesInput,
} from '../../../src/format/remote-write/index.ts';
import { ByteKeyTable } from '../../../src/inputs/decoding/byte-key-table.ts';
import { Labels } from '../../../src/model/labels.ts';

const LIMIT = { maxDecompressedBytes: 64 << 20 };

/** Label sets that extend one another, so that one's key bytes begin another's. */
const POOL = [
  Labels.from({ __name__: 'm' }),
  Labels.from({ __name__: 'm', a: '1' }),
  Labels.from({ __name__: 'm', a: '1', b: '2' }),
  Labels.from({ __name__: 'm', a: '12' }),
  Labels.from({ __name__: 'n' }),
];

function tableKeys() {
  const table = new ByteKeyTable(1 << 20, 4);
  const labels: Labels[] = [];
  const ids = new Map<string, number>();
  const idOf = (l: Labels) => {
    let id = ids.get(l.key);
    if (id === undefined) {
      id = labels.length;
      labels.push(l);
      ids.set(l.key, id);
    }
    return id;
  };
  return {
    labels,
    table,
    find: (buf: Uint8Array, start: number, end: number) => table.find(buf, start, end),
    expectedAt: (buf: Uint8Array, start: number, limit: number) => table.expectedAt(buf, start, limit),
    add(buf: Uint8Array, start: number, end: number, l: Labels) {
      const id = idOf(l);
      table.add(buf, start, end, id);
      return id;
    },
    idOf,
  };
}

test('skipping the expected series’ labels names every series as decoding them does', () => {
  const request = fc.uniqueArray(fc.nat(POOL.length - 1), { minLength: 1, maxLength: POOL.length });
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 8 }), (requests) => {
      const keys = tableKeys();
      for (const [r, picks] of [...requests, ...requests].entries()) {
        const series: SeriesInput[] = picks.map((p) => ({
          labels: POOL[p],
          timestamps: Float64Array.of(r),
          values: Float64Array.of(p),
        }));
        const body = encodeWriteRequest({ series });
        keys.table.restart();
        const keyed = decodeWriteRequestColumns(body, { ...LIMIT, seriesKeys: keys });
        const plain = decodeWriteRequestColumns(body, LIMIT);
        assert.deepEqual(
          [...keyed.ids!].map((id) => keys.labels[id].toString()),
          plain.labels.map((l) => l.toString()),
        );
        assert.deepEqual([...keyed.values], [...plain.values]);
      }
    }),
    { numRuns: 300 },
  );
});
