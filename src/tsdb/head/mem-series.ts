// One series in the head: sealed chunks (each in whichever encoding is smaller), the open chunk
// being appended (Gorilla XOR, appendable in place, so an active series costs its compressed bytes
// plus a few fields rather than a raw sample buffer), and any out-of-order samples.

import { Labels } from '../../model/labels.ts';
import type { ByteArena } from '../chunk/byte-arena.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { encodeDecimal } from '../chunk/decimal-chunk.ts';
import { fromHiLo, hiBits, loBits } from '../chunk/float-bits.ts';
import { XorChunk } from '../chunk/xor-chunk.ts';
import { AppendStatus } from './append-status.ts';
import type { OooSamples } from './ooo-samples.ts';

export interface ChunkLimits {
  /** Samples per chunk (Prometheus: 120). */
  readonly maxSamples: number;
  /** Chunks never cross a multiple of this (the block range), so blocks can be cut cleanly. */
  readonly blockRangeMs: number;
  /** Where open chunks keep their bytes (shared slabs, not an array per series). */
  readonly arena?: ByteArena;
}

/** Shared by every series until its first chunk is sealed (an empty array per series adds up). */
const NO_CHUNKS: Chunk[] = [];

// Scratch space for re-encoding a sealed chunk; shared because sealing is synchronous.
let scratchT = new Float64Array(128);
let scratchV = new Float64Array(128);

export class MemSeries {
  readonly ref: number;
  /** The label set in its compact form (see Labels.fromFlat), shared with the series index. */
  readonly flatLabels: readonly string[];
  /** Sealed in-order chunks, oldest first. */
  sealed: Chunk[] = NO_CHUNKS;
  open: XorChunk | undefined;
  /** End (exclusive) of the block range the open chunk belongs to. */
  openLimit = 0;
  /** Newest in-order timestamp; -Infinity while empty. */
  lastT = Number.NEGATIVE_INFINITY;
  // Bits of the newest in-order value, for the duplicate rule without boxing a NaN.
  lastHi = 0;
  lastLo = 0;
  /** Newest timestamp accepted by an appender but not yet committed. */
  pendingT = Number.NEGATIVE_INFINITY;
  ooo: OooSamples | undefined;
  /** Whether a series record for this ref is in the WAL. */
  logged = false;
  /** Set when the head forgets the series; a holder of this object must look the labels up again. */
  removed = false;

  constructor(ref: number, flatLabels: readonly string[]) {
    this.ref = ref;
    this.flatLabels = flatLabels;
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

  /** Appends an in-order sample (t > lastT, checked by the caller). */
  appendInOrder(t: number, v: number, limits: ChunkLimits): void {
    if (this.open !== undefined && (this.open.numSamples >= limits.maxSamples || t >= this.openLimit))
      this.seal();
    if (this.open === undefined) {
      this.open = new XorChunk(limits.arena);
      this.openLimit = (Math.floor(t / limits.blockRangeMs) + 1) * limits.blockRangeMs;
    }
    this.open.append(t, v);
    this.lastT = t;
    this.lastHi = hiBits(v);
    this.lastLo = loBits(v);
  }

  /** Seals the open chunk in the smaller of the XOR and decimal encodings. */
  seal(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    const n = open.numSamples;
    const xor = XorChunk.fromBytes(open.bytes());
    open.release();
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
    const best = decimal !== undefined && decimal.bytes().length < xor.bytes().length ? decimal : xor;
    if (this.sealed === NO_CHUNKS) this.sealed = [best];
    else this.sealed.push(best);
  }

  /** Drops the open chunk, giving its bytes back to the arena. */
  dropOpen(): void {
    this.open?.release();
    this.open = undefined;
  }

  /** In-order chunks (sealed, then a snapshot of the open one) overlapping [minT, maxT]. */
  inOrderChunks(minT: number, maxT: number, out: Chunk[]): void {
    for (const c of this.sealed) if (c.maxT >= minT && c.minT <= maxT) out.push(c);
    const open = this.open;
    if (open !== undefined && open.numSamples > 0 && this.lastT >= minT && open.minT <= maxT) {
      out.push(XorChunk.fromBytes(open.bytes()));
    }
  }
}
