// encode → decode is the identity on labels, timestamps, values (bit for bit), exemplars, histogram
// counts and metadata.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeWriteRequest,
  decodeWriteRequestColumns,
  encodeWriteRequest,
  type SeriesKeys,
  snappyCompress,
  writeRequestFromObjects,
} from '../../../src/format/remote-write/index.ts';
import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import { sameBits, writeRequest } from './arbitraries.ts';

const LIMIT = { maxDecompressedBytes: 64 << 20 };

test('encode → decode round-trips arbitrary requests bit for bit', () => {
  fc.assert(
    fc.property(writeRequest, (req) => {
      const out = decodeWriteRequest(encodeWriteRequest(req), LIMIT);
      assert.equal(out.series.length, req.series.length);
      let samples = 0;
      req.series.forEach((s, i) => {
        const d = out.series[i];
        assert.ok(d.labels.equals(s.labels as Labels), `${d.labels} ≠ ${s.labels}`);
        assert.ok(sameBits(d.timestamps, s.timestamps));
        assert.ok(sameBits(d.values, s.values));
        assert.equal(d.histogramCount, s.histogramCount);
        const e = s.exemplars!;
        assert.equal(d.exemplars.labels.length, e.labels.length);
        for (const [j, l] of e.labels.entries()) assert.ok(d.exemplars.labels[j].equals(l));
        assert.ok(sameBits(d.exemplars.timestamps, e.timestamps));
        assert.ok(sameBits(d.exemplars.values, e.values));
        samples += s.values.length;
      });
      assert.equal(out.samples, samples);
      // fast-check records have a null prototype; compare the fields.
      assert.deepEqual(
        out.metadata.map((m) => ({ ...m })),
        (req.metadata ?? []).map((m) => ({ ...m })),
      );
    }),
    { numRuns: 300 },
  );
});

test('the staleness marker and extreme timestamps survive', () => {
  // Set the marker through a DataView: an array literal would pass it through a JS number, and the
  // CPU may quiet a signalling NaN on the way (0x7ff0… becomes 0x7ff8…).
  const values = new Float64Array([0, -0, Number.MIN_VALUE, Infinity]);
  new DataView(values.buffer).setBigUint64(0, STALE_NAN_BITS, true);
  const timestamps = new Float64Array([Number.MIN_SAFE_INTEGER, -1, 0, Number.MAX_SAFE_INTEGER]);
  const body = encodeWriteRequest({
    series: [{ labels: Labels.from({ __name__: 'x' }), timestamps, values }],
  });
  const s = decodeWriteRequest(body, LIMIT).series[0];
  assert.equal(new DataView(s.values.buffer, s.values.byteOffset).getBigUint64(0, true), STALE_NAN_BITS);
  assert.ok(sameBits(s.values, values));
  assert.deepEqual([...s.timestamps], [...timestamps]);
});

test('plain-object convenience builds the same request', () => {
  const req = writeRequestFromObjects({
    series: [{ labels: { __name__: 'up', job: 'node' }, samples: [{ value: 1, timestamp: 1000 }] }],
    metadata: [{ metricFamilyName: 'up', type: 'gauge', help: 'Up.', unit: '' }],
  });
  const out = decodeWriteRequest(encodeWriteRequest(req), LIMIT);
  assert.equal(out.series[0].labels.toString(), 'up{job="node"}');
  assert.deepEqual([...out.series[0].values], [1]);
  assert.deepEqual(out.metadata, [{ metricFamilyName: 'up', type: 'gauge', help: 'Up.', unit: '' }]);
});

/** SeriesKeys as plainly as possible: ids by the bytes' latin1 string, labels by id. */
function plainKeys(): SeriesKeys & { labels: Labels[]; byBytes: Map<string, number>; misses: number } {
  const byLabels = new Map<string, number>();
  const keys = {
    labels: [] as Labels[],
    byBytes: new Map<string, number>(),
    misses: 0,
    find(buf: Uint8Array, start: number, end: number) {
      return keys.byBytes.get(Buffer.from(buf.subarray(start, end)).toString('latin1')) ?? -1;
    },
    add(buf: Uint8Array, start: number, end: number, labels: Labels) {
      keys.misses++;
      const id = keys.idOf(labels);
      keys.byBytes.set(Buffer.from(buf.subarray(start, end)).toString('latin1'), id);
      return id;
    },
    idOf(labels: Labels) {
      let id = byLabels.get(labels.key);
      if (id === undefined) {
        id = keys.labels.length;
        keys.labels.push(labels);
        byLabels.set(labels.key, id);
      }
      return id;
    },
  };
  return keys;
}

test('series keys shared across requests change nothing but the work done', () => {
  fc.assert(
    fc.property(fc.array(writeRequest, { minLength: 1, maxLength: 4 }), (reqs) => {
      const keys = plainKeys();
      // Every request twice: the second pass finds every series by its bytes.
      for (const [pass, req] of [...reqs, ...reqs].entries()) {
        const body = encodeWriteRequest(req);
        const plain = decodeWriteRequestColumns(body, LIMIT);
        const misses = keys.misses;
        const keyed = decodeWriteRequestColumns(body, { ...LIMIT, seriesKeys: keys });
        if (pass >= reqs.length) assert.equal(keys.misses, misses);
        assert.equal(keyed.labels.length, 0);
        assert.equal(keyed.ids?.length, plain.labels.length);
        for (const [i, l] of plain.labels.entries()) assert.ok(keys.labels[keyed.ids![i]].equals(l));
        assert.deepEqual([...keyed.ends], [...plain.ends]);
        assert.ok(sameBits(keyed.values, plain.values));
        assert.deepEqual([...keyed.timestamps], [...plain.timestamps]);
      }
    }),
    { numRuns: 100 },
  );
});

test('labels interleaved with samples decode the same with series keys', async () => {
  const { Writer } = await import('protobufjs');
  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  const label = (name: string, value: string) => {
    w.uint32((1 << 3) | 2).fork();
    w.uint32((1 << 3) | 2).string(name);
    w.uint32((2 << 3) | 2).string(value);
    w.ldelim();
  };
  label('__name__', 'x');
  w.uint32((2 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 1)
    .double(1)
    .uint32(2 << 3)
    .int64(5)
    .ldelim();
  label('job', 'a');
  w.ldelim();
  const proto = w.finish();
  const keys = plainKeys();
  for (let i = 0; i < 2; i++) {
    const ids = decodeWriteRequestColumns(snappyCompress(proto), { ...LIMIT, seriesKeys: keys }).ids!;
    assert.equal(keys.labels[ids[0]].toString(), 'x{job="a"}');
  }
  // No bytes to key such a series by.
  assert.equal(keys.byBytes.size, 0);
});
