// The one-pass snappy decoder: the inverse of a real encoder (snappyjs) on arbitrary and on highly
// repetitive bytes (long, overlapping and far copies), and a clean error on anything damaged.

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

/** A block of one literal and then 2-byte-offset copies, each `[offset, length]` (length 1–64), and its bytes. */
function literalThenCopies(literal: Uint8Array, copies: readonly (readonly [number, number])[]) {
  const expected = [...literal];
  const body = [(literal.length - 1) << 2, ...literal];
  for (const [offset, length] of copies) {
    body.push(((length - 1) << 2) | 2, offset & 0xff, offset >>> 8);
    for (let i = 0; i < length; i++) expected.push(expected[expected.length - offset]);
  }
  const preamble: number[] = [];
  let n = expected.length;
  for (; n >= 128; n = Math.floor(n / 128)) preamble.push((n & 0x7f) | 0x80);
  preamble.push(n);
  return { block: Uint8Array.from([...preamble, ...body]), expected: Uint8Array.from(expected) };
}

test('copies of every length overlapping their source by every amount (word-wise copying)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 64 })), { maxLength: 40 }),
      (literal, copies) => {
        const { block, expected } = literalThenCopies(literal, copies);
        assert.deepEqual(snappyUncompress(block, LIMIT), expected);
        assert.deepEqual(snappyUncompressTransient(block, LIMIT), expected);
      },
    ),
    { numRuns: 500 },
  );
});

test('a large output (beyond the reused scratch) decodes too', () => {
  const data = new Uint8Array(6 << 20).map((_, i) => (i * 7919) % 251);
  assert.deepEqual(snappyUncompressTransient(compress(data), LIMIT), data);
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
