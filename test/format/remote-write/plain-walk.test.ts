// The WebAssembly walk of plain remote_write bodies (plain-walk.wat) gives what the JS decoder gives,
// bit for bit, and leaves every other body to it: a keyed decode (which walks when it can) and a
// decode without keys (which never does) must agree on every body, damaged ones included.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Writer } from 'protobufjs';
import {
  decodeWriteRequestColumns,
  encodeWriteRequestProto,
  RemoteWriteDecodeError,
  type SeriesInput,
  snappyCompress,
} from '../../../src/format/remote-write/index.ts';
import { walkPlain } from '../../../src/format/remote-write/plain-walk.ts';
import { float64s, labelSet, sameBits, timestamps } from './arbitraries.ts';
import { labelField, plainKeys, sampleField } from './helpers.ts';

const LIMIT = { maxDecompressedBytes: 64 << 20 };

/** Series as senders write them: labels and samples, nothing else. */
const plainSeries: fc.Arbitrary<SeriesInput> = fc.integer({ min: 0, max: 12 }).chain((n) =>
  fc.record({
    labels: labelSet,
    // Zero timestamps and values too: encoders leave zero fields out.
    timestamps: fc.oneof(
      timestamps(n).map((t) => t.map((x) => Math.abs(x))),
      fc.constant(new Float64Array(n)),
    ),
    values: fc.oneof(float64s(n), fc.constant(new Float64Array(n))),
  }),
);

/**
 * Decodes `proto` with keys and without; both must fail or both give the same columns. (Not always
 * with the same message: with keys, a series' labels are decoded after its other fields, so when a
 * body has two faults the keyed decode may name the other one first.)
 */
function assertSameDecode(proto: Uint8Array, keys = plainKeys()): void {
  const body = snappyCompress(proto);
  let plain: ReturnType<typeof decodeWriteRequestColumns> | RemoteWriteDecodeError;
  let keyed: ReturnType<typeof decodeWriteRequestColumns> | RemoteWriteDecodeError;
  try {
    plain = decodeWriteRequestColumns(body, LIMIT);
  } catch (err) {
    assert.ok(err instanceof RemoteWriteDecodeError);
    plain = err;
  }
  try {
    keyed = decodeWriteRequestColumns(body, { ...LIMIT, seriesKeys: keys });
  } catch (err) {
    assert.ok(err instanceof RemoteWriteDecodeError);
    keyed = err;
  }
  if (plain instanceof Error || keyed instanceof Error) {
    assert.equal(keyed instanceof Error, plain instanceof Error, `${keyed} / ${plain}`);
    return;
  }
  assert.equal(keyed.ids?.length, plain.labels.length);
  for (const [i, l] of plain.labels.entries()) assert.ok(keys.labels[keyed.ids![i]].equals(l));
  assert.deepEqual([...keyed.ends], [...plain.ends]);
  assert.deepEqual([...keyed.histogramCounts], [...plain.histogramCounts]);
  assert.ok(sameBits(keyed.values, plain.values));
  assert.deepEqual([...keyed.timestamps], [...plain.timestamps]);
  assert.equal(keyed.metadata.length, plain.metadata.length);
  assert.equal(keyed.exemplars, plain.exemplars);
}

test('plain bodies are walked, and give what the JS decoder gives', () => {
  fc.assert(
    fc.property(fc.array(plainSeries, { maxLength: 10 }), (series) => {
      const proto = encodeWriteRequestProto({ series });
      const walked = walkPlain(proto);
      assert.ok(walked !== undefined, 'a plain body is walked');
      assert.equal(walked.series, series.length);
      const keys = plainKeys();
      // Twice: the second time every series is known by its bytes.
      assertSameDecode(proto, keys);
      assertSameDecode(proto, keys);
    }),
    { numRuns: 300 },
  );
});

/** A WriteRequest of one series whose fields `fields` writes. */
function seriesOf(fields: (w: Writer) => void): Uint8Array {
  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  fields(w);
  w.ldelim();
  return w.finish();
}

/** A WriteRequest of one series `x` whose single Sample field holds `sample` as written. */
function withSample(sample: (w: Writer) => void): Uint8Array {
  return seriesOf((w) => {
    labelField(w, '__name__', 'x');
    w.uint32((2 << 3) | 2).fork();
    sample(w);
    w.ldelim();
  });
}

test('samples with fields left out, repeated or swapped are read as protobuf says', () => {
  const cases: [string, (w: Writer) => void, number, number][] = [
    ['empty', () => {}, 0, 0],
    ['value only', (w) => w.uint32((1 << 3) | 1).double(2.5), 0, 2.5],
    ['timestamp only', (w) => w.uint32(2 << 3).int64(1234), 1234, 0],
    [
      'timestamp first',
      (w) =>
        w
          .uint32(2 << 3)
          .int64(7)
          .uint32((1 << 3) | 1)
          .double(1),
      7,
      1,
    ],
    [
      'repeated: the last counts',
      (w) =>
        w
          .uint32((1 << 3) | 1)
          .double(1)
          .uint32((1 << 3) | 1)
          .double(3)
          .uint32(2 << 3)
          .int64(5)
          .uint32(2 << 3)
          .int64(9),
      9,
      3,
    ],
    ['largest exact timestamp', (w) => w.uint32(2 << 3).int64(2 ** 53 - 1), 2 ** 53 - 1, 0],
  ];
  for (const [what, sample, t, v] of cases) {
    const proto = withSample(sample);
    const walked = walkPlain(proto);
    assert.ok(walked !== undefined, what);
    assert.deepEqual([...walked.timestamps], [t], what);
    assert.deepEqual([...walked.values], [v], what);
    assertSameDecode(proto);
  }
});

test('anything else is left to the JS decoder', () => {
  const name = (w: Writer) => labelField(w, '__name__', 'x');
  const sample = (w: Writer) => sampleField(w, 1, 5);
  const cases: [string, Uint8Array][] = [
    [
      'metadata',
      encodeWriteRequestProto({
        series: [],
        metadata: [{ metricFamilyName: 'x', type: 'counter', help: '', unit: '' }],
      }),
    ],
    [
      'exemplars',
      encodeWriteRequestProto({
        series: [
          {
            labels: labelSetOf('x'),
            timestamps: new Float64Array([1]),
            values: new Float64Array([1]),
            exemplars: {
              labels: [labelSetOf('e')],
              timestamps: new Float64Array([1]),
              values: new Float64Array([1]),
            },
          },
        ],
      }),
    ],
    [
      'a native histogram',
      encodeWriteRequestProto({
        series: [
          {
            labels: labelSetOf('x'),
            timestamps: new Float64Array(0),
            values: new Float64Array(0),
            histogramCount: 1,
          },
        ],
      }),
    ],
    ['no labels', seriesOf(sample)],
    [
      'labels after samples',
      seriesOf((w) => {
        sample(w);
        name(w);
      }),
    ],
    [
      'an unknown series field',
      seriesOf((w) => {
        name(w);
        w.uint32((9 << 3) | 0).uint32(1);
      }),
    ],
    ['a negative timestamp', withSample((w) => w.uint32(2 << 3).int64(-1))],
    ['a timestamp of 2^53', withSample((w) => w.uint32(2 << 3).int64(2 ** 53))],
    ['an unknown sample field', withSample((w) => w.uint32((3 << 3) | 0).uint32(1))],
    ['a value cut short', withSample((w) => w.uint32((1 << 3) | 1).uint32(7))],
    ['an unknown request field', Uint8Array.of(0x10, 0x01)],
    ['a series overrunning the body', Uint8Array.of(0x0a, 0x05, 0x0a, 0x00)],
  ];
  for (const [what, proto] of cases) {
    assert.equal(walkPlain(proto), undefined, what);
    assertSameDecode(proto);
  }
});

test('damaged plain bodies: the walk and the JS decoder agree on what they hold or fail alike', () => {
  fc.assert(
    fc.property(
      fc.array(plainSeries, { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      (series, flips, cut) => {
        const proto = encodeWriteRequestProto({ series }).slice();
        for (const [at, b] of flips) proto[at % proto.length] = b;
        assertSameDecode(proto);
        assertSameDecode(proto.subarray(0, cut % (proto.length + 1)));
      },
    ),
    { numRuns: 500 },
  );
});

function labelSetOf(name: string) {
  return fc.sample(labelSet, { numRuns: 1, seed: name.length })[0].with('__name__', name);
}
