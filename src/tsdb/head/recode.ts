// Choosing a sealed chunk's encoding: an open chunk is Gorilla XOR (appendable in place); once full,
// the decimal encoding of the same samples is tried and the smaller one kept. Shared by the head
// (synchronously) and by the recode task that does the same in a worker thread (recode-task.ts).

import type { Chunk } from '../chunk/chunk.ts';
import { DecimalChunk, encodeDecimalBytes } from '../chunk/decimal-chunk.ts';
import type { XorChunk } from '../chunk/xor-chunk.ts';

// Scratch space for decoding a chunk; shared because recoding is synchronous.
let scratchT = new Float64Array(128);
let scratchV = new Float64Array(128);

/**
 * The bytes of `xor`'s samples in the decimal encoding when they are fewer, else undefined. A view
 * of a shared buffer that the next recode overwrites: copy it to keep it.
 */
export function smallerDecimalBytes(xor: XorChunk): Uint8Array | undefined {
  const n = xor.numSamples;
  if (scratchT.length < n) {
    scratchT = new Float64Array(n);
    scratchV = new Float64Array(n);
  }
  const it = xor.iterator();
  for (let i = 0; it.next(); i++) {
    scratchT[i] = it.t;
    scratchV[i] = it.v;
  }
  const decimal = encodeDecimalBytes(scratchT, scratchV, 0, n);
  return decimal !== undefined && decimal.length < xor.bytes().length ? decimal : undefined;
}

/** The decimal encoding of `xor`'s samples when it takes fewer bytes, else undefined. */
export function smallerDecimal(xor: XorChunk): Chunk | undefined {
  const bytes = smallerDecimalBytes(xor);
  if (bytes === undefined) return undefined;
  const n = xor.numSamples;
  return new DecimalChunk(bytes.slice(), n, scratchT[0], scratchT[n - 1]);
}

/** `xor` or its decimal encoding, whichever is smaller. */
export function smallerEncoding(xor: XorChunk): Chunk {
  return smallerDecimal(xor) ?? xor;
}
