import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN, STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import {
  decodeRecord,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  WalCorruptError,
} from '../../../src/tsdb/wal/index.ts';
import { anyRecord } from './arbitraries.ts';
import { collector } from './helpers.ts';

function decodeAll(payload: Uint8Array) {
  const c = collector();
  decodeRecord(payload, c.visitor);
  return c.events;
}

/** Decoding must end normally or with a WalCorruptError, never anything else. */
function decodeOrCorrupt(bytes: Uint8Array): void {
  try {
    decodeRecord(bytes, collector().visitor);
  } catch (e) {
    if (!(e instanceof WalCorruptError)) throw e;
  }
}

test('every record round-trips exactly, NaN payloads included', () => {
  fc.assert(
    fc.property(anyRecord, (r) => {
      assert.deepEqual(decodeAll(r.payload), r.events);
    }),
    { numRuns: 1000 },
  );
});

test('the staleness marker survives bit for bit', () => {
  // Built element by element: an array literal would be a V8 double array, which quiets the NaN.
  const values = new Float64Array(3);
  values[0] = STALE_NAN;
  values[1] = Number.NaN;
  values[2] = 1.5;
  assert.equal(new BigUint64Array(values.buffer)[0], STALE_NAN_BITS);
  const payload = encodeSamples([7, 7, 8], [1000, 2000, 3000], values, 3);
  const out = new Float64Array(3);
  let i = 0;
  decodeRecord(payload, {
    sample: (_ref, _t, v) => {
      out[i++] = v;
    },
  });
  assert.equal(new BigUint64Array(out.buffer)[0], STALE_NAN_BITS);
  assert.deepEqual(new Uint8Array(out.buffer), new Uint8Array(values.buffer));
});

test('samples are compact: delta-encoded refs and timestamps, raw values', () => {
  const n = 1000;
  const refs = new Float64Array(n).map((_, i) => 100 + (i % 50));
  const ts = new Float64Array(n).fill(1_700_000_000_000);
  const payload = encodeSamples(refs, ts, new Float64Array(n), n);
  assert.ok(payload.length <= 20 + n * 10, `${payload.length} bytes`);
});

test('timestamps whose deltas exceed 2^53 still round-trip', () => {
  const ts = [-(2 ** 53), 2 ** 53, 0, 2 ** 53 - 1];
  const payload = encodeSamples([1, 2, 3, 4], ts, new Float64Array(4), 4);
  assert.deepEqual(
    decodeAll(payload).map((e) => e[2]),
    ts,
  );
});

test('encoders only take the first n samples and check their input', () => {
  const payload = encodeSamples([1, 2, 3], [10, 20, 30], new Float64Array([1, 2, 3]), 2);
  assert.equal(decodeAll(payload).length, 2);
  assert.throws(() => encodeSamples([1], [1.5], new Float64Array(1), 1), RangeError);
  assert.throws(() => encodeSamples([-1], [1], new Float64Array(1), 1), RangeError);
  assert.throws(() => encodeSamples([1], [2 ** 54], new Float64Array(1), 1), RangeError);
  assert.throws(() => encodeSamples([1], [1], new Float64Array(1), 2), RangeError);
  assert.throws(() => encodeTombstones([{ ref: 1, minT: 0, maxT: Number.POSITIVE_INFINITY }]), RangeError);
  // A lone surrogate cannot survive UTF-8: refuse it rather than silently merge two series.
  assert.throws(() => encodeSeries([{ ref: 1, labels: Labels.from({ a: '\ud800' }) }]), TypeError);
});

test('a label value starting with a BOM keeps it', () => {
  const labels = Labels.from({ __name__: 'x', a: '\ufeffb' });
  const c = collector();
  decodeRecord(encodeSeries([{ ref: 3, labels }]), c.visitor);
  assert.deepEqual(c.events, [['series', 3, labels.key]]);
});

test('empty records are valid', () => {
  assert.deepEqual(decodeAll(encodeSamples([], [], new Float64Array(0), 0)), []);
  assert.deepEqual(decodeAll(encodeSeries([])), []);
  assert.deepEqual(decodeAll(encodeMetadata([])), []);
});

test('bad payloads throw WalCorruptError with a message', () => {
  assert.throws(() => decodeRecord(new Uint8Array([]), {}), WalCorruptError);
  assert.throws(() => decodeRecord(new Uint8Array([99]), {}), /unknown record type 99/);
  const good = encodeSamples([1, 2], [10, 20], new Float64Array(2), 2);
  assert.throws(() => decodeRecord(good.subarray(0, good.length - 1), {}), WalCorruptError);
  const trailing = new Uint8Array(good.length + 1);
  trailing.set(good);
  assert.throws(() => decodeRecord(trailing, {}), /trailing bytes/);
  // Labels out of order are not a label set.
  const unsorted = new Uint8Array([1, 1, 5, 2, 1, 0x62, 0, 1, 0x61, 0]);
  assert.throws(() => decodeRecord(unsorted, {}), /not sorted/);
});

test('random garbage never throws anything but WalCorruptError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => decodeOrCorrupt(bytes)),
    { numRuns: 5000 },
  );
  // Garbage behind a valid type byte gets past the first check.
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.uint8Array({ maxLength: 200 }), (type, rest) => {
      const bytes = new Uint8Array(rest.length + 1);
      bytes[0] = type;
      bytes.set(rest, 1);
      decodeOrCorrupt(bytes);
    }),
    { numRuns: 5000 },
  );
});

test('mutated and truncated records never throw anything but WalCorruptError', () => {
  fc.assert(
    fc.property(anyRecord, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (r, at, xor, cut) => {
      const bytes = r.payload.slice();
      bytes[at % bytes.length] ^= xor;
      decodeOrCorrupt(bytes);
      decodeOrCorrupt(r.payload.subarray(0, cut % (r.payload.length + 1)));
    }),
    { numRuns: 3000 },
  );
});
