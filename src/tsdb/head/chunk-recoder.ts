// Recoding sealed chunks off the append path. Choosing a sealed chunk's encoding (recode.ts) costs
// more than appending its samples did; with a recoder attached, the head seals a chunk as the XOR
// chunk it already is, and the recoder has the choice made elsewhere — in practice a worker thread
// (recode-task.ts, run by a worker pool; db/offload.ts wires it) — and swaps the decimal chunk in
// when it is smaller and the XOR chunk is still where it was sealed. Both hold the same samples, so
// readers never see a difference but the bytes; a chunk whose recode is lost (a worker died, the
// series was cut or deleted meanwhile) simply stays XOR.

import type { Chunk } from '../chunk/chunk.ts';
import { CopySlab } from '../chunk/copy-slab.ts';
import { openChunk } from '../chunk/encode.ts';
import { XorChunk } from '../chunk/xor-chunk.ts';
import type { MemSeries } from './mem-series.ts';
import { smallerEncoding } from './recode.ts';

/**
 * Recodes a batch of XOR chunks, given as their bytes one after another (chunk i ends at ends[i]);
 * resolves to the smaller encodings the same way, with an empty slot where XOR stays.
 */
export type RecodeBatch = (batch: RecodeRequest) => Promise<RecodeRequest>;

export interface RecodeRequest {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** Chunks waiting beyond this are recoded on the spot (the far side is not keeping up). */
const MAX_WAITING = 50_000;
/** A batch goes when it has this many chunks, or this long after its first: few, larger messages. */
const BATCH_CHUNKS = 512;
const BATCH_DELAY_MS = 20;

export class ChunkRecoder {
  /**
   * Where the head seals the chunks it submits (see MemSeries.seal): their XOR bytes share 64 KiB
   * slabs instead of an ArrayBuffer each, since most are replaced within milliseconds. A chunk that
   * stays XOR gets bytes of its own when its answer comes, so that it does not hold a slab.
   */
  readonly slab = new CopySlab();
  readonly #recode: RecodeBatch;
  #queue: { series: MemSeries; chunk: XorChunk }[] = [];
  /** Chunks handed over and not answered yet (queued or in flight). */
  #waiting = 0;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Chunks swapped for a smaller encoding (for tests and statistics). */
  recoded = 0;

  constructor(recode: RecodeBatch) {
    this.#recode = recode;
  }

  /** Takes a just-sealed XOR chunk of `series` (already in its sealed list). */
  submit(series: MemSeries, chunk: XorChunk): void {
    if (this.#closed || this.#waiting >= MAX_WAITING) {
      this.#settle(series, chunk, smallerEncoding(chunk));
      return;
    }
    this.#queue.push({ series, chunk });
    this.#waiting++;
    if (this.#queue.length >= BATCH_CHUNKS) {
      // After the commit that filled it (a recode must not run inside one).
      if (!this.#scheduled) setImmediate(() => this.#flush());
      this.#scheduled = true;
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), BATCH_DELAY_MS);
      this.#timer.unref();
    }
  }

  /** Stops sending (queued chunks stay XOR); chunks in flight are swapped in if they come back. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting -= this.#queue.length;
    for (const { series, chunk } of this.#queue) this.#settle(series, chunk, chunk);
    this.#queue = [];
  }

  #flush(): void {
    this.#scheduled = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    let size = 0;
    for (const b of batch) size += b.chunk.bytes().length;
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(batch.length);
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      const b = batch[i].chunk.bytes();
      bytes.set(b, at);
      at += b.length;
      ends[i] = at;
    }
    this.#recode({ bytes, ends }).then(
      (out) => {
        this.#waiting -= batch.length;
        let start = 0;
        for (let i = 0; i < batch.length; i++) {
          const end = out.ends[i];
          const { series, chunk } = batch[i];
          // The same samples: the XOR chunk's last timestamp is the recoded one's. The recoded
          // chunks are views of the answer's buffer: chunks sealed together are dropped together
          // (at the same block cut), and one buffer per batch costs less than one per chunk.
          const better = end > start ? openChunk(out.bytes.subarray(start, end), chunk.maxT) : chunk;
          this.#settle(series, chunk, better);
          start = end;
        }
      },
      () => {
        // Lost (the worker died, the pool closed): those chunks stay XOR.
        this.#waiting -= batch.length;
        for (const { series, chunk } of batch) this.#settle(series, chunk, chunk);
      },
    );
  }

  /**
   * Puts the chosen encoding in the XOR chunk's place; when that is the XOR chunk itself, a copy of
   * it with bytes of its own, which lets go of the slab it was sealed into.
   */
  #settle(series: MemSeries, xor: XorChunk, better: Chunk): void {
    if (better !== xor) {
      if (this.#swap(series, xor, better)) this.recoded++;
    } else {
      this.#swap(series, xor, XorChunk.fromBytes(xor.bytes().slice(), xor.maxT));
    }
  }

  /** Puts `next` where `chunk` is in the series' sealed list; false when it is no longer there. */
  #swap(series: MemSeries, chunk: XorChunk, next: Chunk): boolean {
    if (series.removed) return false;
    // Usually the last sealed chunk; gone when the head was cut or the range deleted meanwhile.
    const i = series.sealed.lastIndexOf(chunk);
    if (i < 0) return false;
    series.sealed[i] = next;
    return true;
  }
}
