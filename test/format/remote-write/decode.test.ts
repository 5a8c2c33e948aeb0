// The decoder's verdicts on specific bodies: which label sets it accepts, normalises or rejects, the
// size limit, histogram detection, timestamp range, wire-type checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writer } from 'protobufjs';
import {
  decodeWriteRequest,
  decodeWriteRequestProto,
  encodeWriteRequest,
  encodeWriteRequestProto,
  RemoteWriteDecodeError,
  type SeriesInput,
  snappyCompress,
} from '../../../src/format/remote-write/index.ts';
import type { Label } from '../../../src/model/labels.ts';

const LIMIT = { maxDecompressedBytes: 1 << 20 };
const one = { timestamps: new Float64Array([1000]), values: new Float64Array([1]) };

function decodeSeries(labels: readonly Label[], extra: Partial<SeriesInput> = {}, legacy = false) {
  const body = encodeWriteRequest({ series: [{ labels, ...one, ...extra }] });
  return decodeWriteRequest(body, { ...LIMIT, nameValidation: legacy ? 'legacy' : 'utf8' });
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err) => err instanceof RemoteWriteDecodeError && pattern.test(err.message));
}

test('label sets: empty values dropped, unsorted sorted, invalid ones rejected', () => {
  const d = decodeSeries([
    { name: 'job', value: 'x' },
    { name: '__name__', value: 'up' },
    { name: 'gone', value: '' },
  ]);
  assert.equal(d.series[0].labels.toString(), 'up{job="x"}');
  rejects(
    () =>
      decodeSeries([
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ]),
    /^labels: .*duplicate label name "a"/,
  );
  rejects(() => decodeSeries([{ name: '', value: '1' }]), /^labels: .*empty label name/);
  rejects(() => decodeSeries([]), /^labels: .*no labels/);
  rejects(() => decodeSeries([{ name: 'a', value: '' }]), /^labels: .*no labels/);
  // UTF-8 names are valid by default, not under legacy rules.
  assert.equal(decodeSeries([{ name: '__name__', value: 'a.b' }]).series[0].labels.metricName, 'a.b');
  rejects(
    () => decodeSeries([{ name: '__name__', value: 'a.b' }], {}, true),
    /^labels: .*invalid metric name/,
  );
  rejects(() => decodeSeries([{ name: 'x-y', value: '1' }], {}, true), /^labels: .*invalid label name/);
});

test('invalid UTF-8 in a label is rejected, not replaced', () => {
  const w = Writer.create();
  w.uint32(10).fork(); // timeseries
  w.uint32(10).fork(); // label
  w.uint32(10).string('__name__');
  w.uint32(18).bytes(new Uint8Array([0x61, 0xff, 0x62]));
  w.ldelim().ldelim();
  rejects(() => decodeWriteRequest(snappyCompress(w.finish()), LIMIT), /^labels: .*not valid UTF-8/);
});

test('native histograms are counted, not decoded', () => {
  const d = decodeSeries([{ name: '__name__', value: 'h' }], {
    histogramCount: 3,
    ...{ timestamps: new Float64Array(0), values: new Float64Array(0) },
  });
  assert.equal(d.series[0].histogramCount, 3);
  assert.equal(d.histograms, 3);
  assert.equal(d.samples, 0);
});

test('the size limit is checked on the preamble, before allocating', () => {
  // A 6-byte body announcing 4 GiB − 1: rejected without trying to allocate it.
  const body = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
  rejects(
    () => decodeWriteRequest(body, LIMIT),
    /^snappy: decompressed length 4294967295 bytes exceeds the limit/,
  );
  const ok = encodeWriteRequest({ series: [{ labels: [{ name: '__name__', value: 'x' }], ...one }] });
  rejects(
    () => decodeWriteRequest(ok, { maxDecompressedBytes: 10 }),
    /^snappy: .*exceeds the limit of 10 bytes/,
  );
  rejects(() => decodeWriteRequest(ok.subarray(0, ok.length - 3), LIMIT), /^snappy: /);
});

test('timestamps: the full safe-integer range, beyond it an error', () => {
  for (const t of [Number.MIN_SAFE_INTEGER, -1, 0, Number.MAX_SAFE_INTEGER]) {
    const d = decodeSeries([{ name: '__name__', value: 'x' }], { timestamps: new Float64Array([t]) });
    assert.equal(d.series[0].timestamps[0], t);
  }
  for (const t of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n]) {
    const w = Writer.create();
    w.uint32(10).fork().uint32(10).fork().uint32(10).string('__name__').uint32(18).string('x').ldelim();
    w.uint32(18).fork().uint32(16).int64(t.toString()).ldelim().ldelim();
    rejects(() => decodeWriteRequestProto(w.finish()), /^protobuf: Sample.timestamp is beyond ±2\^53/);
  }
});

test('wrong wire types, overruns and field number 0 are protobuf errors', () => {
  // timeseries (field 1) sent as a varint.
  rejects(
    () => decodeWriteRequestProto(new Uint8Array([0x08, 0x01])),
    /^protobuf: WriteRequest.timeseries has wrong wire type 0/,
  );
  // A timeseries claiming 5 bytes with 1 left.
  rejects(() => decodeWriteRequestProto(new Uint8Array([0x0a, 0x05, 0x00])), /^protobuf: .*overruns/);
  rejects(() => decodeWriteRequestProto(new Uint8Array([0x00])), /^protobuf: .*field number 0/);
  // Sample value (fixed64) cut short inside its message.
  const w = Writer.create();
  w.uint32(10).fork().uint32(10).fork().uint32(10).string('__name__').uint32(18).string('x').ldelim();
  w.uint32(18).fork().uint32(9).fixed32(0).ldelim().ldelim();
  rejects(() => decodeWriteRequestProto(w.finish()), /^protobuf: Sample.value is truncated/);
});

test('unknown fields are skipped', () => {
  const proto = encodeWriteRequestProto({ series: [{ labels: [{ name: '__name__', value: 'x' }], ...one }] });
  const w = Writer.create();
  w.uint32((9 << 3) | 2).string('future'); // an unknown length-delimited field
  w.uint32((10 << 3) | 0).uint32(7); // an unknown varint
  const body = new Uint8Array([...w.finish(), ...proto]);
  assert.equal(decodeWriteRequestProto(body).samples, 1);
});
