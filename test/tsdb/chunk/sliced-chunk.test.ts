// SlicedChunk: a chunk read from a slice of a shared buffer — either encoding, told by its first
// byte — that moves to another slice holding the same samples, while readers of the old one go on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Encoding } from '../../../src/tsdb/chunk/chunk.ts';
import { encodeDecimal } from '../../../src/tsdb/chunk/decimal-chunk.ts';
import { encodeXor } from '../../../src/tsdb/chunk/encode.ts';
import { ChunkCorruptError } from '../../../src/tsdb/chunk/errors.ts';
import { SlicedChunk } from '../../../src/tsdb/chunk/sliced-chunk.ts';

const ts = Array.from({ length: 50 }, (_, i) => 1_000 + i * 15_000);
const vs = Float64Array.from(ts, (_, i) => Math.round(i * 2.5 * 10) / 10);
const xor = encodeXor(ts, vs, 0, ts.length).bytes();
const decimal = encodeDecimal(ts, vs, 0, ts.length)!.bytes();

function read(c: { iterator(): { next(): boolean; t: number; v: number } }): number[][] {
  const out: number[][] = [];
  const it = c.iterator();
  while (it.next()) out.push([it.t, it.v]);
  return out;
}

const expected = ts.map((t, i) => [t, vs[i]]);

/** `bytes` at `at` in a buffer with other bytes around it. */
function placed(bytes: Uint8Array, at: number): Uint8Array {
  const buffer = new Uint8Array(at + bytes.length + 7).fill(0xab);
  buffer.set(bytes, at);
  return buffer;
}

test('reads its slice in either encoding, with the span and count it was given', () => {
  for (const [bytes, encoding] of [
    [xor, Encoding.XOR],
    [decimal, Encoding.Decimal],
  ] as const) {
    const c = new SlicedChunk(placed(bytes, 13), 13, 13 + bytes.length, ts.length, ts[0], ts[ts.length - 1]);
    assert.equal(c.encoding, encoding);
    assert.deepEqual(c.bytes(), bytes);
    assert.deepEqual(read(c), expected);
    assert.deepEqual([c.numSamples, c.minT, c.maxT], [50, ts[0], ts[49]]);
  }
});

test('moves to another slice; views and iterators taken before it read the old one', () => {
  const c = new SlicedChunk(placed(xor, 5), 5, 5 + xor.length, ts.length, ts[0], ts[49]);
  const oldView = c.bytes();
  const oldIterator = c.iterator();
  const answer = placed(decimal, 40);
  c.moveTo(answer, 40, 40 + decimal.length);
  assert.equal(c.encoding, Encoding.Decimal);
  assert.deepEqual(c.bytes(), decimal);
  assert.deepEqual(read(c), expected);
  assert.deepEqual(oldView, xor);
  const rest: number[][] = [];
  while (oldIterator.next()) rest.push([oldIterator.t, oldIterator.v]);
  assert.deepEqual(rest, expected);
  // Its own bytes: a buffer just as long, no longer the shared one.
  c.moveToOwnBuffer();
  assert.deepEqual(c.bytes(), decimal);
  assert.equal(c.bytes().buffer.byteLength, decimal.length);
  assert.notEqual(c.bytes().buffer, answer.buffer);
  assert.deepEqual(read(c), expected);
});

test('an unknown encoding is a corrupt chunk', () => {
  const c = new SlicedChunk(Uint8Array.of(9, 0, 1), 0, 3, 1, 0, 0);
  assert.throws(() => c.iterator(), ChunkCorruptError);
});
