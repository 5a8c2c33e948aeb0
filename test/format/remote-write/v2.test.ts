// remote_write 2.0: encode → decode is the identity on labels, samples (bit for bit) and per-metric
// metadata; arbitrary or damaged bodies only ever raise RemoteWriteDecodeError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Writer } from 'protobufjs';
import {
  decodeWriteRequestV2,
  encodeWriteRequestV2,
  encodeWriteRequestV2Proto,
  RemoteWriteDecodeError,
  snappyCompress,
} from '../../../src/format/remote-write/index.ts';
import type { Labels } from '../../../src/model/labels.ts';
import { sameBits, writeRequest } from './arbitraries.ts';

const LIMIT = { maxDecompressedBytes: 64 << 20 };

test('2.0: encode → decode round-trips arbitrary requests bit for bit', () => {
  fc.assert(
    fc.property(writeRequest, (req) => {
      const out = decodeWriteRequestV2(encodeWriteRequestV2(req), LIMIT);
      assert.equal(out.series.length, req.series.length);
      req.series.forEach((s, i) => {
        const d = out.series[i];
        assert.ok(d.labels.equals(s.labels as Labels), `${d.labels} ≠ ${s.labels}`);
        assert.ok(sameBits(d.timestamps, s.timestamps));
        assert.ok(sameBits(d.values, s.values));
        assert.equal(d.histogramCount, s.histogramCount ?? 0);
      });
      // Metadata travels per series in 2.0: every family that names a series comes back.
      const names = new Set(req.series.map((s) => (s.labels as Labels).metricName));
      const expected = (req.metadata ?? []).filter((m) => names.has(m.metricFamilyName));
      for (const m of expected) {
        const got = out.metadata.find((x) => x.metricFamilyName === m.metricFamilyName);
        assert.ok(got, m.metricFamilyName);
      }
    }),
    { numRuns: 200 },
  );
});

test('2.0: random bytes and mutated bodies raise only RemoteWriteDecodeError', () => {
  fc.assert(
    fc.property(writeRequest, fc.uint8Array({ maxLength: 64 }), fc.nat(), (req, noise, at) => {
      const proto = encodeWriteRequestV2Proto(req);
      const mutated = new Uint8Array(proto);
      if (mutated.length > 0) mutated[at % mutated.length] ^= noise[0] ?? 0xff;
      for (const bytes of [noise, mutated, proto.subarray(0, at % (proto.length + 1))]) {
        try {
          decodeWriteRequestV2(snappyCompress(bytes), LIMIT);
        } catch (err) {
          assert.ok(err instanceof RemoteWriteDecodeError, String(err));
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('2.0: a symbol table that does not start with "" and out-of-range refs are errors', () => {
  const w = Writer.create();
  w.uint32((4 << 3) | 2).string('x');
  w.uint32((5 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .fork()
    .uint32(0)
    .uint32(0)
    .ldelim()
    .ldelim();
  assert.throws(
    () => decodeWriteRequestV2(snappyCompress(w.finish()), LIMIT),
    /must start with the empty string/,
  );
  const v = Writer.create();
  v.uint32((4 << 3) | 2).string('');
  v.uint32((5 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .fork()
    .uint32(0)
    .uint32(9)
    .ldelim()
    .ldelim();
  assert.throws(() => decodeWriteRequestV2(snappyCompress(v.finish()), LIMIT), /refers to symbol 9/);
});
