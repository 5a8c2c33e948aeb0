// Choosing a sealed chunk's encoding: an open chunk is Gorilla XOR (appendable in place); once full,
// the decimal encoding of the same samples is tried and the smaller one kept. Shared by the head
// (synchronously) and by the recode task that does the same in a worker thread (recode-task.ts).

import type { Chunk } from '../chunk/chunk.ts';
import { encodeDecimal } from '../chunk/decimal-chunk.ts';
import type { XorChunk } from '../chunk/xor-chunk.ts';

// Scratch space for decoding a chunk; shared because recoding is synchronous.
let scratchT = new Float64Array(128);
let scratchV = new Float64Array(128);

/** The decimal encoding of `xor`'s samples when it takes fewer bytes, else undefined. */
export function smallerDecimal(xor: XorChunk): Chunk | undefined {
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
  const decimal = encodeDecimal(scratchT, scratchV, 0, n);
  return decimal !== undefined && decimal.bytes().length < xor.bytes().length ? decimal : undefined;
}

/** `xor` or its decimal encoding, whichever is smaller. */
export function smallerEncoding(xor: XorChunk): Chunk {
  return smallerDecimal(xor) ?? xor;
}
