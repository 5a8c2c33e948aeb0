// One series in the head: sealed chunks (each in whichever encoding is smaller), the open chunk
// being appended (Gorilla XOR, appendable in place, so an active series costs its compressed bytes
// plus a few fields rather than a raw sample buffer), and any out-of-order samples.

import { Labels } from '../../model/labels.ts';
import { type Chunk, isValidTimestamp } from '../chunk/chunk.ts';
import type { CopySlab } from '../chunk/copy-slab.ts';
import { fromHiLo, hiBits, loBits } from '../chunk/float-bits.ts';
import type { OpenChunkMemory } from '../chunk/open-chunk-memory.ts';
import { OpenXorChunk } from '../chunk/open-xor-chunk.ts';
import { AppendStatus } from './append-status.ts';
import type { ChunkRecoder } from './chunk-recoder.ts';
import type { OooSamples } from './ooo-samples.ts';
import { smallerEncoding } from './recode.ts';
import { sameBits } from './sample-buffer.ts';
import {
  LAST_HI_U32,
  LAST_T,
  OPEN_LIMIT,
  OPEN_STATE_U32,
  PENDING_T,
  SeriesSlots,
  SLOT_F64,
} from './series-slots.ts';

/** One-row columns for appendInOrder(t, v), which goes through appendInOrderRun. */
const ONE_T = new Float64Array(1);
const ONE_V = new Float64Array(1);
export interface ChunkLimits {
  /** Samples per chunk (Prometheus: 120). */
  readonly maxSamples: number;
  /** Chunks never cross a multiple of this (the block range), so blocks can be cut cleanly. */
  readonly blockRangeMs: number;
  /** Where open chunks keep their state and bytes (one memory, not an array per series). */
  readonly openChunks: OpenChunkMemory;
  /** Chooses sealed chunks' encodings off the append path; synchronously when absent. */
  recoder?: ChunkRecoder;
}

/** Shared by every series until its first chunk is sealed (an empty array per series adds up). */
const NO_CHUNKS: Chunk[] = [];

export class MemSeries {
  // The fields every append reads come first: V8 lays an object's fields out in the order they are
  // declared, and these then share the cache line of the object's header.
  /** Set when the head forgets the series; a holder of this object must look the labels up again. */
  removed = false;
  /** Where the series' hot numbers are (see series-slots.ts): the slots, and its slot's first index. */
  #slots: SeriesSlots;
  #at: number;
  readonly ref: number;
  #open: OpenXorChunk | undefined;
  /** The label set in its compact form (see Labels.fromFlat), shared with the series index. */
  readonly flatLabels: readonly string[];
  /** Sealed in-order chunks, oldest first. */
  sealed: Chunk[] = NO_CHUNKS;
  ooo: OooSamples | undefined;
  /** Whether a series record for this ref is in the WAL. */
  logged = false;

  constructor(ref: number, flatLabels: readonly string[], slots: SeriesSlots) {
    this.ref = ref;
    this.flatLabels = flatLabels;
    this.#slots = slots;
    this.#at = slots.alloc();
  }

  /** The chunk being appended to. */
  get open(): OpenXorChunk | undefined {
    return this.#open;
  }

  /** Sets the open chunk, and its record's offset in the slot for appends. */
  #setOpen(open: OpenXorChunk | undefined): void {
    this.#open = open;
    this.#slots.u32[2 * this.#at + OPEN_STATE_U32] = open === undefined ? 0 : open.state;
  }

  /** Newest in-order timestamp; -Infinity while empty. */
  get lastT(): number {
    return this.#slots.f64[this.#at + LAST_T];
  }

  /** Newest timestamp accepted by an appender but not yet committed. */
  get pendingT(): number {
    return this.#slots.f64[this.#at + PENDING_T];
  }

  /** End (exclusive) of the block range the open chunk belongs to. */
  get openLimit(): number {
    return this.#slots.f64[this.#at + OPEN_LIMIT];
  }

  // Bits of the newest in-order value, for the duplicate rule without boxing a NaN.
  get lastHi(): number {
    return this.#slots.u32[2 * this.#at + LAST_HI_U32];
  }

  get lastLo(): number {
    return this.#slots.u32[2 * this.#at + LAST_HI_U32 + 1];
  }

  /**
   * The end of the run of rows from `from` (before `to`) whose timestamps are each valid and after
   * the newest sample: stored, and with `pending` also staged. The hot paths ask this rather than
   * read lastT and pendingT: a getter that returns a double allocates it (a heap number) whenever
   * it is not inlined, and they ran hundreds of times per request.
   */
  inOrderEnd(ts: Float64Array, from: number, to: number, pending: boolean): number {
    const f64 = this.#slots.f64;
    const at = this.#at;
    let newest = f64[at + LAST_T];
    if (pending && f64[at + PENDING_T] > newest) newest = f64[at + PENDING_T];
    let i = from;
    while (i < to && ts[i] > newest && isValidTimestamp(ts[i])) newest = ts[i++];
    return i;
  }

  /** Makes row `i`'s timestamp the newest pending one if it is newer; true when none was pending. */
  stagePending(ts: Float64Array, i: number): boolean {
    const f64 = this.#slots.f64;
    const at = this.#at + PENDING_T;
    const first = f64[at] === Number.NEGATIVE_INFINITY;
    if (ts[i] > f64[at]) f64[at] = ts[i];
    return first;
  }

  /** No sample pending any more (the appender committed or rolled back). */
  clearPending(): void {
    this.#slots.f64[this.#at + PENDING_T] = Number.NEGATIVE_INFINITY;
  }

  /** Records the newest in-order sample. */
  #setLast(t: number, v: number): void {
    const slots = this.#slots;
    const at = this.#at;
    slots.f64[at + LAST_T] = t;
    slots.u32[2 * at + LAST_HI_U32] = hiBits(v);
    slots.u32[2 * at + LAST_HI_U32 + 1] = loBits(v);
  }

  /**
   * Gives the series' slot back (the head forgets the series); its numbers move to slots of its
   * own, for whoever still holds this object.
   */
  detach(): void {
    const own = new SeriesSlots(1);
    const at = own.alloc();
    own.u32.set(this.#slots.u32.subarray(2 * this.#at, 2 * (this.#at + SLOT_F64)), 2 * at);
    this.#slots.free(this.#at);
    this.#slots = own;
    this.#at = at;
  }

  /** The label set, built on each call: the series keeps only the compact form. */
  get labels(): Labels {
    return Labels.fromFlat(this.flatLabels);
  }

  get lastValue(): number {
    return fromHiLo(this.lastHi, this.lastLo);
  }

  get minT(): number {
    let m =
      this.sealed.length > 0
        ? this.sealed[0].minT
        : this.open !== undefined
          ? this.open.minT
          : Number.POSITIVE_INFINITY;
    if (this.ooo !== undefined) m = Math.min(m, this.ooo.minT);
    return m;
  }

  get isEmpty(): boolean {
    return (
      this.sealed.length === 0 && this.open === undefined && (this.ooo === undefined || this.ooo.isEmpty)
    );
  }

  /** Whether (t, v) repeats the newest sample exactly (a no-op) or conflicts with it. */
  compareLast(t: number, v: number): AppendStatus {
    if (t !== this.lastT) return AppendStatus.Ok;
    return hiBits(v) === this.lastHi && loBits(v) === this.lastLo
      ? AppendStatus.Duplicate
      : AppendStatus.DuplicateTimestamp;
  }

  /**
   * Whether (t, v) repeats a stored sample of any kind (in-order, open, out-of-order) exactly or
   * conflicts with one. Decodes the chunks that span `t`, so it is for the rare out-of-order path.
   */
  compareStored(t: number, v: number): AppendStatus {
    if (t === this.lastT) return this.compareLast(t, v);
    const chunks: Chunk[] = [];
    this.inOrderChunks(t, t, chunks);
    if (this.ooo !== undefined) {
      const inBuffer = this.ooo.compare(t, v);
      if (inBuffer !== AppendStatus.Ok) return inBuffer;
      for (const c of this.ooo.chunks) if (c.minT <= t && c.maxT >= t) chunks.push(c);
    }
    for (const c of chunks) {
      const it = c.iterator();
      while (it.next()) {
        if (it.t < t) continue;
        if (it.t > t) break;
        return sameBits(it.v, v) ? AppendStatus.Duplicate : AppendStatus.DuplicateTimestamp;
      }
    }
    return AppendStatus.Ok;
  }

  /**
   * Appends rows [from, to) of `ts`/`vs`, in order after lastT (checked by the caller). The doubles
   * are read here, never boxed for a call (see HeadAppender.appendRows).
   */
  appendInOrderRun(ts: Float64Array, vs: Float64Array, from: number, to: number, limits: ChunkLimits): void {
    // Usually one call into WebAssembly per sample, with what it needs from the slot: the chunk's
    // object is not read (another cache miss per series) unless the append needs a new chunk, a
    // sealed one or more room (appendAt does the same then).
    const memory = limits.openChunks;
    const max = limits.maxSamples;
    const slots = this.#slots;
    const at = this.#at;
    for (let i = from; i < to; i++) {
      // Read each time: a new chunk may have started at the previous row.
      const state = slots.u32[2 * at + OPEN_STATE_U32];
      const v = vs[i];
      if (
        state === 0 ||
        memory.append(state, ts[i], hiBits(v), loBits(v), max, slots.f64[at + OPEN_LIMIT]) !== 0
      )
        this.#appendInNewOrGrown(ts, vs, i, limits);
    }
    this.#setLast(ts[to - 1], vs[to - 1]);
  }

  /** Appends row `i`, which needs a chunk started, the open one sealed first, or more room. */
  #appendInNewOrGrown(ts: Float64Array, vs: Float64Array, i: number, limits: ChunkLimits): void {
    const t = ts[i];
    let open = this.#open;
    if (open === undefined) {
      open = new OpenXorChunk(limits.openChunks);
      this.#setOpen(open);
    } else if (open.numSamples >= limits.maxSamples || t >= this.openLimit) {
      // Sealed, and the same open chunk started again (see OpenXorChunk.restart).
      this.#addSealed(open, limits.recoder);
      open.restart();
    } else {
      // Only more room: appendAt grows the region.
      open.appendAt(ts, vs, i);
      return;
    }
    // A chunk starts: it ends with the block range `t` is in.
    this.#slots.f64[this.#at + OPEN_LIMIT] = (Math.floor(t / limits.blockRangeMs) + 1) * limits.blockRangeMs;
    open.appendAt(ts, vs, i);
  }

  /** Appends an in-order sample (t > lastT, checked by the caller). */
  appendInOrder(t: number, v: number, limits: ChunkLimits): void {
    ONE_T[0] = t;
    ONE_V[0] = v;
    this.appendInOrderRun(ONE_T, ONE_V, 0, 1, limits);
  }

  /** Seals the open chunk in the smaller of the XOR and decimal encodings, chosen now. */
  seal(): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#setOpen(undefined);
    this.#addSealed(open);
    open.release();
  }

  /**
   * Adds `open`'s samples to the sealed chunks (leaving `open` as it was), in the smaller encoding:
   * chosen now, or, given a recoder, as XOR now and the smaller one when the recoder has chosen.
   */
  #addSealed(open: OpenXorChunk, recoder?: ChunkRecoder): void {
    const chunk = recoder === undefined ? smallerEncoding(open.toChunk()) : recoder.seal(open);
    if (this.sealed === NO_CHUNKS) this.sealed = [chunk];
    else this.sealed.push(chunk);
  }

  /** Drops the open chunk, giving its record and bytes back to the open-chunk memory. */
  dropOpen(): void {
    this.#open?.release();
    this.#setOpen(undefined);
  }

  /**
   * In-order chunks (sealed, then a snapshot of the open one) overlapping [minT, maxT]. A reader
   * snapshotting many series passes a `slab` to pack the open chunks' copies into.
   */
  inOrderChunks(minT: number, maxT: number, out: Chunk[], slab?: CopySlab): void {
    // Sealed chunks are in time order without overlap: find the first one that ends at or after
    // minT from the newest end (queries mostly read recent data), then take chunks up to maxT.
    const sealed = this.sealed;
    let first = sealed.length;
    while (first > 0 && sealed[first - 1].maxT >= minT) first--;
    for (let i = first; i < sealed.length && sealed[i].minT <= maxT; i++) out.push(sealed[i]);
    const open = this.open;
    if (open !== undefined && open.numSamples > 0 && this.lastT >= minT && open.minT <= maxT) {
      out.push(slab === undefined ? open.toChunk() : open.snapshot(slab));
    }
  }
}
