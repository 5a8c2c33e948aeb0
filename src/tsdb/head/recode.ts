// Choosing a sealed chunk's encoding: an open chunk is Gorilla XOR (appendable in place); once full,
// the decimal encoding of the same samples is tried and the smaller one kept. Shared by the head
// (synchronously) and by the recode task that does the same in a worker thread (recode-task.ts).

import type { Chunk } from '../chunk/chunk.ts';
import { DecimalChunk } from '../chunk/decimal-chunk.ts';
import { DecimalEncoder } from '../chunk/decimal-encode.ts';
import type { XorChunk } from '../chunk/xor-chunk.ts';
import { XorColumnDecoder } from '../chunk/xor-decode.ts';

// One decoder and one encoder, both WebAssembly, for every recode in this thread (recoding is
// synchronous).
const columns = new XorColumnDecoder();
const decimal = new DecimalEncoder();

/**
 * The samples of the XOR chunk `xorBytes` in the decimal encoding when that takes fewer bytes, else
 * undefined. A view of a shared buffer that the next recode overwrites: copy it to keep it.
 */
export function smallerDecimalBytes(xorBytes: Uint8Array): Uint8Array | undefined {
  return weigh(xorBytes)?.bytes;
}

/** The decimal encoding of `xor`'s samples when it takes fewer bytes, else undefined. */
export function smallerDecimal(xor: XorChunk): Chunk | undefined {
  const better = weigh(xor.bytes());
  if (better === undefined) return undefined;
  return new DecimalChunk(better.bytes.slice(), better.n, better.minT, better.maxT);
}

/** The decimal encoding's bytes (shared, see smallerDecimalBytes) and span, when they are fewer. */
function weigh(
  xorBytes: Uint8Array,
): { bytes: Uint8Array; n: number; minT: number; maxT: number } | undefined {
  const n = columns.decode(xorBytes);
  const { ts, vs } = columns;
  const bytes = decimal.encode(ts, vs, n);
  if (bytes === undefined || bytes.length >= xorBytes.length) return undefined;
  return { bytes, n, minT: ts[0], maxT: ts[n - 1] };
}

/** `xor` or its decimal encoding, whichever is smaller. */
export function smallerEncoding(xor: XorChunk): Chunk {
  return smallerDecimal(xor) ?? xor;
}
