// Buffers one series' samples and cuts a chunk every `maxSamples` samples or `maxSpanMs` of time,
// choosing the smaller encoding for each chunk.

import type { Chunk } from './chunk.ts';
import { isValidTimestamp, MAX_CHUNK_SAMPLES } from './chunk.ts';
import { encodeChunk } from './encode.ts';
import { ChunkAppendError } from './errors.ts';

/** Prometheus' DefaultSamplesPerChunk. */
export const DEFAULT_SAMPLES_PER_CHUNK = 120;
/** A chunk never spans more than this, so a sparse series still gets cut (Prometheus' block range). */
export const DEFAULT_MAX_SPAN_MS = 2 * 60 * 60 * 1000;

export interface ChunkBuilderOptions {
  maxSamples?: number;
  maxSpanMs?: number;
}

export class ChunkBuilder {
  private readonly maxSamples: number;
  private readonly maxSpanMs: number;
  private readonly ts: Float64Array;
  private readonly values: Float64Array;
  private n = 0;
  private lastT = -1;

  constructor(options: ChunkBuilderOptions = {}) {
    this.maxSamples = options.maxSamples ?? DEFAULT_SAMPLES_PER_CHUNK;
    this.maxSpanMs = options.maxSpanMs ?? DEFAULT_MAX_SPAN_MS;
    if (!(this.maxSamples >= 1 && this.maxSamples <= MAX_CHUNK_SAMPLES)) {
      throw new RangeError(`maxSamples must be 1–${MAX_CHUNK_SAMPLES}`);
    }
    this.ts = new Float64Array(this.maxSamples);
    this.values = new Float64Array(this.maxSamples);
  }

  /** Samples buffered in the open chunk. */
  get pending(): number {
    return this.n;
  }

  /**
   * Adds a sample. When it does not fit the open chunk (full, or past its time span), that chunk is
   * returned completed and the sample starts the next one. Throws ChunkAppendError when `t` is not an
   * integer ms ≥ 0 after the previous sample.
   */
  append(t: number, v: number): Chunk | undefined {
    if (!isValidTimestamp(t)) throw new ChunkAppendError(`invalid timestamp ${t}: need an integer ms ≥ 0`);
    if (t <= this.lastT) throw new ChunkAppendError(`out-of-order sample: t=${t} is not after ${this.lastT}`);
    let cut: Chunk | undefined;
    if (this.n === this.maxSamples || (this.n > 0 && t - this.ts[0] >= this.maxSpanMs)) cut = this.flush();
    this.ts[this.n] = t;
    this.values[this.n] = v;
    this.n++;
    this.lastT = t;
    return cut;
  }

  /** Completes the open chunk, if it has samples. Later appends must still be in order. */
  flush(): Chunk | undefined {
    if (this.n === 0) return undefined;
    const chunk = encodeChunk(this.ts, this.values, this.n);
    this.n = 0;
    return chunk;
  }
}
