// The small interface every chunk encoding implements (Prometheus chunkenc style).

/** First byte of every serialised chunk. */
export const Encoding = {
  XOR: 1,
  Decimal: 2,
} as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** The most samples one chunk may hold (the XOR header stores the count in 16 bits). */
export const MAX_CHUNK_SAMPLES = 0xffff;

/**
 * Walks a chunk's samples without allocating per sample: call `next()`, then read `t` and `v`.
 * `v` is bit-exact (NaN payloads included) as long as it is not stored into a plain `number[]`.
 */
export interface SampleIterator {
  /** Advances to the next sample; false when there are no more. Throws ChunkCorruptError on bad bytes. */
  next(): boolean;
  /** Timestamp of the current sample, in ms since the epoch. */
  readonly t: number;
  /** Value of the current sample. */
  readonly v: number;
}

export interface Chunk {
  readonly encoding: Encoding;
  readonly numSamples: number;
  /** Timestamp of the first sample (NaN when empty). */
  readonly minT: number;
  /** Timestamp of the last sample (NaN when empty). */
  readonly maxT: number;
  /** The serialised chunk, encoding tag byte first. */
  bytes(): Uint8Array;
  iterator(): SampleIterator;
}

/** Timestamps are integer ms since the epoch; this bound keeps every delta-of-delta a safe integer. */
export function isValidTimestamp(t: number): boolean {
  return Number.isSafeInteger(t) && t >= 0;
}
