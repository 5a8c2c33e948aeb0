// A read-only chunk whose bytes are a slice of a buffer it shares with other chunks, and which can
// move to another slice holding the same samples (in either encoding). The head seals chunks this
// way (head/chunk-recoder.ts): into the batch that goes to be recoded, then into the batch's answer,
// so that sealing thousands of chunks at once costs one small object each, not an object, a typed
// array view and a buffer. The span and count are known when sealing, so no header is parsed.

import { type Chunk, Encoding, type SampleIterator } from './chunk.ts';
import { DecimalIterator } from './decimal-chunk.ts';
import { ChunkCorruptError } from './errors.ts';
import { XorIterator } from './xor-chunk.ts';

export class SlicedChunk implements Chunk {
  #buffer: Uint8Array;
  #start: number;
  #end: number;
  readonly numSamples: number;
  readonly minT: number;
  readonly maxT: number;

  /** `buffer[start, end)` holds a chunk of `numSamples` samples from `minT` to `maxT`. */
  constructor(
    buffer: Uint8Array,
    start: number,
    end: number,
    numSamples: number,
    minT: number,
    maxT: number,
  ) {
    this.#buffer = buffer;
    this.#start = start;
    this.#end = end;
    this.numSamples = numSamples;
    this.minT = minT;
    this.maxT = maxT;
  }

  get encoding(): Encoding {
    return this.#buffer[this.#start] as Encoding;
  }

  /** A view of the chunk's slice as it is now (a later move does not change the view). */
  bytes(): Uint8Array {
    return this.#buffer.subarray(this.#start, this.#end);
  }

  iterator(): SampleIterator {
    const bytes = this.bytes();
    switch (bytes[0]) {
      case Encoding.XOR:
        return new XorIterator(bytes);
      case Encoding.Decimal:
        return new DecimalIterator(bytes);
      default:
        throw new ChunkCorruptError(`unknown chunk encoding ${bytes[0]}`);
    }
  }

  /**
   * Moves to `buffer[start, end)`, which must hold the same samples. Readers holding a view or an
   * iterator keep reading the old slice, which stays valid as long as they hold it.
   */
  moveTo(buffer: Uint8Array, start: number, end: number): void {
    this.#buffer = buffer;
    this.#start = start;
    this.#end = end;
  }

  /** Moves the bytes to a buffer of their own, letting go of the shared one. */
  moveToOwnBuffer(): void {
    const own = this.bytes().slice();
    this.moveTo(own, 0, own.length);
  }
}
