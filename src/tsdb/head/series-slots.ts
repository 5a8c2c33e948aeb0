// The numbers every append reads and writes for its series — the newest timestamp, the newest
// timestamp pending in an appender, where the open chunk's block range ends, the newest value's
// bits, and where the open chunk's state record is — kept for all of the head's series in one
// Float64Array, 40 bytes a series. As fields of MemSeries each double would be a heap number of its
// own, apart from the object, and the record's offset one more object away: with thousands of
// series per request, every one of those is a cache miss; here they share one or two lines.

/** A slot's doubles: [LAST_T, PENDING_T, OPEN_LIMIT, the value's bits, the open chunk's record]. */
export const SLOT_F64 = 5;
export const LAST_T = 0;
export const PENDING_T = 1;
export const OPEN_LIMIT = 2;
/** Index of the value's high 32 bits in `u32` from the slot's u32 index (`2 * at`); the low follow. */
export const LAST_HI_U32 = 6;
/** Index in `u32`, from `2 * at`, of the open chunk's state record offset (0: no open chunk). */
export const OPEN_STATE_U32 = 8;

export class SeriesSlots {
  f64: Float64Array;
  /** The same memory as 32-bit words (made again with `f64` when it grows). */
  u32: Uint32Array;
  readonly #free: number[] = [];
  #next = 0;

  constructor(capacity = 64) {
    this.f64 = new Float64Array(capacity * SLOT_F64);
    this.u32 = new Uint32Array(this.f64.buffer);
  }

  /** A slot for a new series, its numbers those of an empty one: its first index in `f64`. */
  alloc(): number {
    let at = this.#free.pop();
    if (at === undefined) {
      at = this.#next;
      this.#next += SLOT_F64;
      if (this.#next > this.f64.length) this.#grow();
    }
    const f64 = this.f64;
    f64[at + LAST_T] = Number.NEGATIVE_INFINITY;
    f64[at + PENDING_T] = Number.NEGATIVE_INFINITY;
    f64[at + OPEN_LIMIT] = 0;
    this.u32[2 * at + LAST_HI_U32] = 0;
    this.u32[2 * at + LAST_HI_U32 + 1] = 0;
    this.u32[2 * at + OPEN_STATE_U32] = 0;
    return at;
  }

  /** Gives back the slot at `at`, for a later series. */
  free(at: number): void {
    this.#free.push(at);
  }

  /** Slots in use. */
  get size(): number {
    return this.#next / SLOT_F64 - this.#free.length;
  }

  #grow(): void {
    const f64 = new Float64Array(this.f64.length * 2);
    // Copied as words: a Float64Array copy may canonicalise the NaN bits that hold a value's halves.
    new Uint32Array(f64.buffer).set(this.u32);
    this.f64 = f64;
    this.u32 = new Uint32Array(f64.buffer);
  }
}
