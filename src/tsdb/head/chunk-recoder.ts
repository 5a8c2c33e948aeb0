// Recoding sealed chunks off the append path. Choosing a sealed chunk's encoding (recode.ts) costs
// more than appending its samples did; with a recoder attached, the head seals a chunk as the XOR
// chunk it already is, and the recoder has the choice made elsewhere — in practice a worker thread
// (recode-task.ts, run by a worker pool; db/offload.ts wires it) — and moves the chunk to the
// decimal encoding when that is smaller. Both hold the same samples, so readers never see a
// difference but the bytes; a chunk whose recode is lost (a worker died) simply stays XOR.
//
// Sealing is cheap because chunks sealed together share buffers: each is copied straight from the
// open-chunk memory into the batch being filled and is a SlicedChunk of it (one small object, no
// typed array or buffer of its own); when the answer comes, every chunk of the batch moves to its
// slice of the answer at once, or, staying XOR, to bytes of its own. At a block boundary every
// series seals together, tens of thousands of chunks in one pass, so this is the head's costliest
// moment: what each chunk allocates there is what the collector copies.

import type { OpenXorChunk } from '../chunk/open-xor-chunk.ts';
import { SlicedChunk } from '../chunk/sliced-chunk.ts';

/**
 * Recodes a batch of XOR chunks, given as their bytes one after another (chunk i ends at ends[i]);
 * resolves to the smaller encodings the same way, with an empty slot where XOR stays. The request's
 * buffers may be moved (transferred), not only read.
 */
export type RecodeBatch = (batch: RecodeRequest) => Promise<RecodeRequest>;

export interface RecodeRequest {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/**
 * Chunks waiting beyond this stay XOR (the far side is not keeping up): recoding only saves the
 * head memory, since blocks choose each chunk's encoding again, and must not take the CPU that
 * appends need.
 */
const MAX_WAITING = 50_000;
/** A batch goes when it has this many chunks, or this long after its first: few, larger messages. */
const BATCH_CHUNKS = 512;
const BATCH_DELAY_MS = 20;
/**
 * A batch's buffer is sized to the rate chunks are sealed at: twice what the last batch held, from
 * 16 KiB (a chunk or a few, as series sealing at their own times trickle in) to 512 KiB (room for
 * BATCH_CHUNKS full chunks of typical data, ~900 bytes each, as at a block boundary); a batch that
 * fills up doubles the next. A fixed 512 KiB would be allocated, zeroed and dropped every
 * BATCH_DELAY_MS for one chunk when seals trickle in.
 */
const MIN_BATCH_BYTES = 16 * 1024;
const MAX_BATCH_BYTES = 512 * 1024;

/** Chunks sealed into one buffer, on their way to be recoded. */
class Batch {
  readonly bytes: Uint8Array;
  used = 0;
  readonly chunks: SlicedChunk[] = [];
  /** Where each chunk ends in `bytes`. */
  readonly ends = new Uint32Array(BATCH_CHUNKS);

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
}

export class ChunkRecoder {
  readonly #recode: RecodeBatch;
  readonly #maxWaiting: number;
  #batch: Batch | undefined;
  /** Batches full before their time (sent after the commit that filled them). */
  #full: Batch[] = [];
  /** Chunks sealed and not answered yet (filling or in flight). */
  #waiting = 0;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** The next batch's buffer size (see MIN_BATCH_BYTES). */
  #batchBytes = MIN_BATCH_BYTES;
  /** Chunks moved to a smaller encoding (for tests and statistics). */
  recoded = 0;

  /** `maxWaiting`: chunks sealed and not answered beyond which chunks are sealed as XOR for good. */
  constructor(recode: RecodeBatch, maxWaiting = MAX_WAITING) {
    this.#recode = recode;
    this.#maxWaiting = maxWaiting;
  }

  /** Seals `open`'s samples as an XOR chunk (to be recoded); `open` is left as it was. */
  seal(open: OpenXorChunk): SlicedChunk {
    const size = open.byteLength;
    if (this.#closed || this.#waiting >= this.#maxWaiting) return sealedAlone(open, size);
    let batch = this.#batch;
    if (batch === undefined || batch.used + size > batch.bytes.length) {
      if (batch !== undefined) this.#sendSoon(batch);
      batch = new Batch(Math.max(this.#batchBytes, size));
      this.#batch = batch;
      this.#timer ??= setTimeout(() => this.#flush(), BATCH_DELAY_MS).unref();
    }
    const start = batch.used;
    batch.used += open.copyInto(batch.bytes, start);
    const chunk = new SlicedChunk(batch.bytes, start, batch.used, open.numSamples, open.minT, open.maxT);
    batch.ends[batch.chunks.length] = batch.used;
    batch.chunks.push(chunk);
    this.#waiting++;
    if (batch.chunks.length >= BATCH_CHUNKS) this.#sendSoon(batch);
    return chunk;
  }

  /** Stops sending (chunks not sent yet stay XOR); chunks in flight are moved if they come back. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unsent = this.#batch === undefined ? this.#full : [...this.#full, this.#batch];
    this.#batch = undefined;
    this.#full = [];
    for (const batch of unsent) {
      this.#waiting -= batch.chunks.length;
      for (const c of batch.chunks) c.moveToOwnBuffer();
    }
  }

  /** Takes `batch` out of filling, to be sent after the commit that filled it. */
  #sendSoon(batch: Batch): void {
    if (batch === this.#batch) this.#batch = undefined;
    // Full before its time: seals are coming fast.
    this.#batchBytes = Math.min(MAX_BATCH_BYTES, 2 * batch.bytes.length);
    this.#full.push(batch);
    // Not now: a send must not run inside a commit.
    if (!this.#scheduled) setImmediate(() => this.#flush());
    this.#scheduled = true;
  }

  /** Sends every batch sealed so far. */
  #flush(): void {
    this.#scheduled = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches = this.#full;
    this.#full = [];
    const partial = this.#batch;
    if (partial !== undefined) {
      batches.push(partial);
      // Sent before it filled: the next one need only hold about as much again.
      this.#batchBytes = Math.min(MAX_BATCH_BYTES, Math.max(MIN_BATCH_BYTES, 2 * partial.used));
    }
    this.#batch = undefined;
    for (const batch of batches) this.#send(batch);
  }

  #send(batch: Batch): void {
    const { chunks } = batch;
    if (chunks.length === 0) return;
    // A copy goes: the chunks read the batch's own bytes until the answer comes.
    const bytes = batch.bytes.slice(0, batch.used);
    const ends = batch.ends.slice(0, chunks.length);
    this.#recode({ bytes, ends }).then(
      (out) => {
        this.#waiting -= chunks.length;
        let start = 0;
        for (let i = 0; i < chunks.length; i++) {
          const end = out.ends[i];
          // The answer's buffer is shared by the batch's recoded chunks: chunks sealed together
          // are dropped together (at the same block cut), and one buffer costs less than many.
          if (end > start) {
            chunks[i].moveTo(out.bytes, start, end);
            this.recoded++;
          } else chunks[i].moveToOwnBuffer();
          start = end;
        }
      },
      () => {
        // Lost (the worker died, the pool closed): those chunks stay XOR.
        this.#waiting -= chunks.length;
        for (const c of chunks) c.moveToOwnBuffer();
      },
    );
  }
}

/** `open`'s samples as an XOR chunk with bytes of its own (`size`: open.byteLength). */
function sealedAlone(open: OpenXorChunk, size: number): SlicedChunk {
  const bytes = new Uint8Array(size);
  open.copyInto(bytes, 0);
  return new SlicedChunk(bytes, 0, size, open.numSamples, open.minT, open.maxT);
}
