// Per-chunk encoding choice: try XOR and decimal, keep whichever is smaller.

import { type Chunk, Encoding } from './chunk.ts';
import { DecimalChunk, encodeDecimal } from './decimal-chunk.ts';
import { ChunkCorruptError } from './errors.ts';
import { XorChunk } from './xor-chunk.ts';

/** Encodes `n` samples from `start` as a Gorilla XOR chunk. Throws ChunkAppendError on bad timestamps. */
export function encodeXor(ts: ArrayLike<number>, values: Float64Array, start: number, n: number): XorChunk {
  const c = new XorChunk();
  for (let i = start; i < start + n; i++) c.append(ts[i], values[i]);
  return c;
}

/**
 * Encodes `n` samples (default: all) from `start` with the encoding that gives the fewest bytes.
 * Values must be in a Float64Array: a plain number[] would already have lost NaN payloads.
 */
export function encodeChunk(
  ts: ArrayLike<number>,
  values: Float64Array,
  n = values.length,
  start = 0,
): Chunk {
  const decimal = encodeDecimal(ts, values, start, n);
  const xor = encodeXor(ts, values, start, n);
  if (decimal !== undefined && decimal.bytes().length < xor.bytes().length) return decimal;
  return xor;
}

/** Encodes `n` samples as consecutive chunks of at most `perChunk` samples, each in its smaller encoding. */
export function encodeRuns(
  ts: ArrayLike<number>,
  values: Float64Array,
  n: number,
  perChunk: number,
): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < n; i += perChunk) out.push(encodeChunk(ts, values, Math.min(perChunk, n - i), i));
  return out;
}

/**
 * Opens a serialised chunk of any encoding (the first byte says which). `maxT`: its last timestamp,
 * when the caller knows it (a decimal chunk would otherwise decode every sample to find it).
 */
export function openChunk(bytes: Uint8Array, maxT?: number): Chunk {
  if (bytes.length === 0) throw new ChunkCorruptError('chunk truncated: no bytes');
  switch (bytes[0]) {
    case Encoding.XOR:
      return XorChunk.fromBytes(bytes);
    case Encoding.Decimal:
      return DecimalChunk.fromBytes(bytes, maxT);
    default:
      throw new ChunkCorruptError(`unknown chunk encoding ${bytes[0]}`);
  }
}
