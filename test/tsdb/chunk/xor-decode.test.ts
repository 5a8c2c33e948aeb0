// The WebAssembly XOR decoder (xor-decode.wat) reads every chunk the JS encoder writes as the JS
// iterator does — every timestamp bucket and XOR window, NaN payloads bit for bit — and a damaged
// chunk either reads the same both ways or fails with the iterator's ChunkCorruptError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChunkCorruptError } from '../../../src/tsdb/chunk/errors.ts';
import { hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import { XorChunk } from '../../../src/tsdb/chunk/xor-chunk.ts';
import { XorColumnDecoder } from '../../../src/tsdb/chunk/xor-decode.ts';
import { xorSamples } from './arbitraries.ts';

/** The iterator's samples as [t, hi, lo] rows, or the error it throws. */
function iterate(bytes: Uint8Array): number[][] | Error {
  const rows: number[][] = [];
  try {
    const it = XorChunk.fromBytes(bytes).iterator();
    while (it.next()) rows.push([it.t, hiBits(it.v), loBits(it.v)]);
    return rows;
  } catch (err) {
    return err as Error;
  }
}

/** The decoder's samples as [t, hi, lo] rows, or the error it throws. */
function decode(decoder: XorColumnDecoder, bytes: Uint8Array): number[][] | Error {
  try {
    const n = decoder.decode(bytes);
    return Array.from({ length: n }, (_, i) => [decoder.ts[i], hiBits(decoder.vs[i]), loBits(decoder.vs[i])]);
  } catch (err) {
    return err as Error;
  }
}

function encode(rows: readonly (readonly [number, number])[]): Uint8Array {
  const c = new XorChunk();
  for (const [t, v] of rows) c.append(t, v);
  return c.bytes();
}

test('reads what the encoder wrote, as the iterator does', () => {
  const decoder = new XorColumnDecoder();
  fc.assert(
    fc.property(xorSamples, (rows) => {
      const bytes = encode(rows);
      const want = iterate(bytes);
      assert.ok(!(want instanceof Error));
      assert.deepEqual(decode(decoder, bytes), want);
    }),
    { numRuns: 600 },
  );
});

test('a damaged chunk reads as the iterator reads it, or fails as it does', () => {
  const decoder = new XorColumnDecoder();
  let failed = 0;
  fc.assert(
    fc.property(
      xorSamples,
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }),
      fc.nat(),
      (rows, edits, cut) => {
        const bytes = encode(rows).slice();
        for (const [at, byte] of edits) if (bytes.length > 3) bytes[3 + (at % (bytes.length - 3))] = byte;
        const damaged = cut % 3 === 0 ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes;
        const want = iterate(damaged);
        const got = decode(decoder, damaged);
        if (want instanceof Error) {
          failed++;
          assert.ok(got instanceof ChunkCorruptError, `the decoder read ${JSON.stringify(got)}`);
          assert.equal(got.message, want.message);
        } else assert.deepEqual(got, want);
      },
    ),
    { numRuns: 800 },
  );
  assert.ok(failed > 50, `only ${failed} damaged chunks failed`);
});

test('a long chunk, then short ones: the columns make room and stay right', () => {
  const decoder = new XorColumnDecoder();
  const long = Array.from({ length: 1000 }, (_, i) => [1_000 + i * 15_000 + (i % 7), Math.sin(i)] as const);
  for (const rows of [long.slice(0, 3), long, long.slice(0, 1), [], long.slice(0, 130)]) {
    const bytes = encode(rows);
    assert.deepEqual(decode(decoder, bytes), iterate(bytes));
  }
});
