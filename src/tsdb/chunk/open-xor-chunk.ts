// The head's appendable chunk: an XOR chunk whose state and bytes live in an OpenChunkMemory and
// are appended to by WebAssembly (xor-append.wat). The bytes are those XorChunk writes for the same
// samples, bit for bit; readers get them as a read-only XorChunk (toChunk(), snapshot()). The region
// is the memory's until release(): a chunk that is dropped without it stays allocated.

import { Encoding, isValidTimestamp, MAX_CHUNK_SAMPLES } from './chunk.ts';
import type { CopySlab } from './copy-slab.ts';
import { ChunkAppendError } from './errors.ts';
import { hiBits, loBits } from './float-bits.ts';
import { type OpenChunkMemory, STATE_BYTES } from './open-chunk-memory.ts';
import { XorChunk } from './xor-chunk.ts';

// The state record's fields (see xor-append.wat), as indexes into the memory's i32 and f64 views.
const BASE = 0;
const CAP = 1;
const BITS = 2;
const COUNT = 3;
const FIRST_T = 2;
const LAST_T = 3;
const LEADING = 12;
/** The high half of the record's unfinished word (`acc`, an i64 at byte 56). */
const ACC_HIGH = 15;
const NO_WINDOW = 0xff;
/** Header: the encoding tag and the 16-bit sample count, then the bit stream. */
const HEADER_BITS = 24;
/**
 * A new chunk's region: room for its first ~25 samples of typical data. It doubles as needed (to
 * 1 KiB for 120 samples); starting smaller saved nothing, as the regions it outgrew then wait in
 * the memory for the next new chunks (846 bytes per active series in bench tsdb (c), against 943
 * starting at 32).
 */
const FIRST_REGION = 128;

const NEEDS_ROOM = 1;

export class OpenXorChunk {
  readonly #memory: OpenChunkMemory;
  /** The state record's offset; 0 once released. */
  #state: number;

  constructor(memory: OpenChunkMemory) {
    this.#memory = memory;
    const state = memory.alloc(STATE_BYTES);
    this.#state = state;
    this.#start(memory.alloc(FIRST_REGION, false));
  }

  /**
   * Empties the chunk for new samples, keeping its record: what sealing does once the bytes are
   * copied out (cheaper than release() and a new chunk, and no object for the collector).
   */
  restart(): void {
    const memory = this.#memory;
    const s = this.#state >> 2;
    const cap = memory.i32[s + CAP];
    let region = memory.i32[s + BASE];
    // The region's old bytes may stay: appends write whole words and read back none.
    if (cap !== FIRST_REGION) {
      memory.free(region, cap);
      region = memory.alloc(FIRST_REGION, false);
    }
    memory.u8.fill(0, this.#state, this.#state + STATE_BYTES);
    this.#start(region);
  }

  /** Sets up the (zeroed) record for an empty chunk whose bytes go to `region`. */
  #start(region: number): void {
    const i32 = this.#memory.i32;
    const s = this.#state >> 2;
    i32[s + BASE] = region;
    i32[s + CAP] = FIRST_REGION;
    i32[s + BITS] = HEADER_BITS;
    i32[s + LEADING] = NO_WINDOW;
    // The stream's first word starts with the encoding's tag byte.
    i32[s + ACC_HIGH] = Encoding.XOR << 24;
  }

  get numSamples(): number {
    return this.#memory.i32[(this.#state >> 2) + COUNT];
  }

  /**
   * The state record's offset (0 once released), for OpenChunkMemory.append directly: the head's
   * usual append (see MemSeries.appendInOrderRun), which comes back here only when that refuses.
   */
  get state(): number {
    return this.#state;
  }

  /** Timestamp of the first sample (NaN while empty). */
  get minT(): number {
    return this.numSamples === 0 ? Number.NaN : this.#memory.f64[(this.#state >> 3) + FIRST_T];
  }

  /** Timestamp of the last sample (NaN while empty). */
  get maxT(): number {
    return this.numSamples === 0 ? Number.NaN : this.#memory.f64[(this.#state >> 3) + LAST_T];
  }

  /**
   * Appends row `i` of `ts`/`vs`; `ts[i]` must be an integer ms timestamp after the previous one.
   * The value goes over as its two 32-bit halves, so that NaN payloads (staleness markers) arrive
   * bit for bit.
   */
  appendAt(ts: Float64Array, vs: Float64Array, i: number): void {
    const t = ts[i];
    const v = vs[i];
    const hi = hiBits(v);
    const lo = loBits(v);
    const memory = this.#memory;
    let status = memory.append(this.#state, t, hi, lo, MAX_CHUNK_SAMPLES, Number.POSITIVE_INFINITY);
    if (status === NEEDS_ROOM) {
      this.#grow();
      status = memory.append(this.#state, t, hi, lo, MAX_CHUNK_SAMPLES, Number.POSITIVE_INFINITY);
    }
    if (status !== 0) throw this.#appendError(t);
  }

  /** A read-only copy of the chunk as it is now. */
  toChunk(): XorChunk {
    return XorChunk.fromBytes(this.#patched(this.#view().slice()), this.maxT);
  }

  /** The length of the chunk's bytes (as toChunk() has them). */
  get byteLength(): number {
    return (this.#memory.i32[(this.#state >> 2) + BITS] + 7) >>> 3;
  }

  /** Copies the chunk's bytes (as toChunk() has them) into `target` at `at`; returns their length. */
  copyInto(target: Uint8Array, at: number): number {
    const bytes = this.#view();
    target.set(bytes, at);
    this.#patched(target, at);
    return bytes.length;
  }

  /** {@link toChunk}, its bytes packed into `slab`. */
  snapshot(slab: CopySlab): XorChunk {
    return XorChunk.fromBytes(this.#patched(slab.copy(this.#view())), this.maxT);
  }

  /** Gives the record and the region back to the memory; the chunk is unusable afterwards. */
  release(): void {
    const state = this.#state;
    if (state === 0) return;
    const i32 = this.#memory.i32;
    this.#memory.free(i32[(state >> 2) + BASE], i32[(state >> 2) + CAP]);
    this.#memory.free(state, STATE_BYTES);
    this.#state = 0;
  }

  /** The bytes written so far, in the memory (valid until the next append or allocation). */
  #view(): Uint8Array {
    this.#memory.flush(this.#state);
    const i32 = this.#memory.i32;
    const base = i32[(this.#state >> 2) + BASE];
    return this.#memory.u8.subarray(base, base + ((i32[(this.#state >> 2) + BITS] + 7) >>> 3));
  }

  /** Writes the sample count into the header of a copy of the bytes starting at `at`. */
  #patched(copy: Uint8Array, at = 0): Uint8Array {
    const n = this.numSamples;
    copy[at + 1] = n >>> 8;
    copy[at + 2] = n & 0xff;
    return copy;
  }

  /** Moves the bytes to a region twice the size. */
  #grow(): void {
    const memory = this.#memory;
    const s = this.#state >> 2;
    const base = memory.i32[s + BASE];
    const cap = memory.i32[s + CAP];
    // The last, unfinished word is in the record; its bytes here may lag it (they are written again).
    const used = (memory.i32[s + BITS] + 7) >>> 3;
    const next = memory.alloc(cap * 2, false);
    // alloc may have grown the memory: read the views after it.
    memory.u8.copyWithin(next, base, base + used);
    memory.free(base, cap);
    memory.i32[s + BASE] = next;
    memory.i32[s + CAP] = cap * 2;
  }

  #appendError(t: number): ChunkAppendError {
    const n = this.numSamples;
    if (!isValidTimestamp(t)) return new ChunkAppendError(`invalid timestamp ${t}: need an integer ms ≥ 0`);
    if (n >= MAX_CHUNK_SAMPLES) return new ChunkAppendError('chunk full');
    return new ChunkAppendError(`out-of-order sample: t=${t} is not after ${this.maxT}`);
  }
}
