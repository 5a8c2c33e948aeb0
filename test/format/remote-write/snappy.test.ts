// The one-pass snappy decoder (WebAssembly, snappy.wat): the inverse of a real encoder (snappyjs) on
// arbitrary and on highly repetitive bytes (long, overlapping and far copies), every element kind
// written by hand, and a clean error on anything damaged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compress } from 'snappyjs';
import {
  RemoteWriteDecodeError,
  snappyUncompress,
  snappyUncompressTransient,
} from '../../../src/format/remote-write/index.ts';

const LIMIT = 64 << 20;

/** Bytes built from repeated runs and patterns, so that the encoder emits every kind of copy. */
const repetitive = fc
  .array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 9000 })), {
    maxLength: 12,
  })
  .map((runs) => {
    const parts: number[] = [];
    for (const [pattern, length] of runs)
      for (let i = 0; i < length; i++) parts.push(pattern[i % pattern.length]);
    return Uint8Array.from(parts);
  });

test('decodes what snappyjs encodes, into new and into reused memory', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 5000 }), repetitive), (data) => {
      const block = compress(data);
      assert.deepEqual(snappyUncompress(block, LIMIT), data);
      assert.deepEqual(snappyUncompressTransient(block, LIMIT), data);
    }),
    { numRuns: 300 },
  );
});

/** A copy element of each kind: 1-byte offset (length 4-11, offset < 2048), 2-byte or 4-byte offset. */
type CopyKind = 1 | 2 | 4;

function copyElement(kind: CopyKind, offset: number, length: number): number[] {
  if (kind === 1) return [((offset >>> 8) << 5) | ((length - 4) << 2) | 1, offset & 0xff];
  if (kind === 2) return [((length - 1) << 2) | 2, offset & 0xff, offset >>> 8];
  return [
    ((length - 1) << 2) | 3,
    offset & 0xff,
    (offset >>> 8) & 0xff,
    (offset >>> 16) & 0xff,
    offset >>> 24,
  ];
}

/** A literal element (any length: the tag's 60-63 forms for the longer ones). */
function literalElement(bytes: Uint8Array): number[] {
  const n = bytes.length - 1;
  if (n < 60) return [n << 2, ...bytes];
  const extra: number[] = [];
  for (let v = n; v > 0; v >>>= 8) extra.push(v & 0xff);
  return [(59 + extra.length) << 2, ...extra, ...bytes];
}

/** A block of one literal and then copies, each `[kind, offset, length]`, and the bytes it holds. */
function literalThenCopies(literal: Uint8Array, copies: readonly (readonly [CopyKind, number, number])[]) {
  const expected = [...literal];
  const body = literalElement(literal);
  for (const [kind, offset, length] of copies) {
    body.push(...copyElement(kind, offset, length));
    for (let i = 0; i < length; i++) expected.push(expected[expected.length - offset]);
  }
  const preamble: number[] = [];
  let n = expected.length;
  for (; n >= 128; n = Math.floor(n / 128)) preamble.push((n & 0x7f) | 0x80);
  preamble.push(n);
  return { block: Uint8Array.from([...preamble, ...body]), expected: Uint8Array.from(expected) };
}

test('copies of every kind and length overlapping their source by every amount (word-wise copying)', () => {
  const copy = fc.oneof(
    fc.tuple(fc.constant<CopyKind>(1), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 4, max: 11 })),
    fc.tuple(
      fc.constantFrom<CopyKind>(2, 4),
      fc.integer({ min: 1, max: 16 }),
      fc.integer({ min: 1, max: 64 }),
    ),
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(copy, { maxLength: 40 }),
      (literal, copies) => {
        const { block, expected } = literalThenCopies(literal, copies);
        assert.deepEqual(snappyUncompress(block, LIMIT), expected);
        assert.deepEqual(snappyUncompressTransient(block, LIMIT), expected);
      },
    ),
    { numRuns: 500 },
  );
});

test('literals of every length form, and far copies with 1-, 2- and 4-byte offsets', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 70_000 }),
      fc.constantFrom<CopyKind>(1, 2, 4),
      fc.nat(),
      (literalLength, kind, at) => {
        const literal = new Uint8Array(literalLength).map((_, i) => (i * 31 + literalLength) & 0xff);
        const maxOffset = Math.min(literalLength, kind === 1 ? 2047 : kind === 2 ? 65535 : literalLength);
        const offset = 1 + (at % maxOffset);
        const length = kind === 1 ? 4 + (at % 8) : 1 + (at % 64);
        const { block, expected } = literalThenCopies(literal, [[kind, offset, length]]);
        assert.deepEqual(snappyUncompressTransient(block, LIMIT), expected);
      },
    ),
    { numRuns: 200 },
  );
});

test('a large output (beyond the memory kept between calls) decodes too, and small ones after it', () => {
  const data = new Uint8Array(9 << 20).map((_, i) => (i * 7919) % 251);
  assert.deepEqual(snappyUncompressTransient(compress(data), LIMIT), data);
  assert.deepEqual(snappyUncompress(compress(data), LIMIT), data);
  const small = Uint8Array.from([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  assert.deepEqual(snappyUncompressTransient(compress(small), LIMIT), small);
});

test('snappyUncompress returns memory of its own, which later calls leave alone', () => {
  const a = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const own = snappyUncompress(compress(a), LIMIT);
  const view = snappyUncompressTransient(compress(a), LIMIT);
  assert.notEqual(own.buffer, view.buffer);
  snappyUncompressTransient(compress(Uint8Array.from({ length: 300 }, (_, i) => (i * 3) & 0xff)), LIMIT);
  assert.deepEqual(own, a);
});

test('damaged blocks throw RemoteWriteDecodeError, never hang or return short data', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 3000 }), repetitive),
      fc.nat(),
      fc.nat(255),
      fc.boolean(),
      (data, at, byte, truncate) => {
        const block = compress(data).slice();
        const i = at % block.length;
        const damaged = truncate ? block.subarray(0, i) : block;
        if (!truncate) damaged[i] = byte;
        try {
          const out = snappyUncompressTransient(damaged, LIMIT);
          // A change that still decodes must give the announced length.
          assert.equal(out.length, data.length);
        } catch (err) {
          assert.ok(err instanceof RemoteWriteDecodeError, String(err));
          assert.match(err.message, /^snappy: /);
        }
      },
    ),
    { numRuns: 500 },
  );
});
