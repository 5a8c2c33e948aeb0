// encode → decode is the identity on labels, timestamps, values (bit for bit), exemplars, histogram
// counts and metadata.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeWriteRequest,
  decodeWriteRequestColumns,
  encodeWriteRequest,
  snappyCompress,
  writeRequestFromObjects,
} from '../../../src/format/remote-write/index.ts';
import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import { sameBits, writeRequest } from './arbitraries.ts';
import { labelField, plainKeys, sampleField } from './helpers.ts';

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
  labelField(w, '__name__', 'x');
  sampleField(w, 1, 5);
  labelField(w, 'job', 'a');
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
