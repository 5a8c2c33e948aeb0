// Shared slabs for the head's open chunks. V8 spends ~240 bytes on every Uint8Array (the view, its
// ArrayBuffer and the backing-store record) beyond the bytes themselves, more than an open chunk's
// data; with one array per active series that overhead would dominate the head's memory. An arena
// hands out power-of-two regions of 64 KiB slabs instead, and takes them back when a chunk is sealed.
// Slabs are kept for reuse once allocated (the head's peak, not its history, decides their number).

const MIN_REGION = 32;
const SLAB_BYTES = 64 * 1024;

export class ByteArena {
  /** Per size class (32 << k): free regions as parallel lists of slab and offset. */
  readonly #freeSlabs: Uint8Array[][] = [];
  readonly #freeOffsets: number[][] = [];
  /** Per size class, the slab being carved and the next offset in it. */
  readonly #current: (Uint8Array | undefined)[] = [];
  readonly #next: number[] = [];
  #slabBytes = 0;

  /** Bytes held in slabs (used and free). */
  get bytes(): number {
    return this.#slabBytes;
  }

  /** Size of the region `alloc` gives for a request of `bytes`. */
  static regionSize(bytes: number): number {
    let size = MIN_REGION;
    while (size < bytes) size *= 2;
    return size;
  }

  /**
   * A zeroed region of `size` bytes (a power of two ≥ 32, see {@link regionSize}); the slab is in
   * `slab`, the region starts at `offset` (read them right after the call).
   */
  alloc(size: number): void {
    const k = classOf(size);
    const slabs = this.#freeSlabs[k];
    if (slabs !== undefined && slabs.length > 0) {
      this.slab = slabs.pop()!;
      this.offset = this.#freeOffsets[k].pop()!;
      this.slab.fill(0, this.offset, this.offset + size);
      return;
    }
    if (size > SLAB_BYTES) {
      // Larger than a slab: a region of its own.
      this.slab = new Uint8Array(size);
      this.offset = 0;
      this.#slabBytes += size;
      return;
    }
    let slab = this.#current[k];
    if (slab === undefined || this.#next[k] + size > slab.length) {
      slab = new Uint8Array(SLAB_BYTES);
      this.#current[k] = slab;
      this.#next[k] = 0;
      this.#slabBytes += SLAB_BYTES;
    }
    this.slab = slab;
    this.offset = this.#next[k];
    this.#next[k] += size;
  }

  /** Results of the last {@link alloc}. */
  slab: Uint8Array = new Uint8Array(0);
  offset = 0;

  free(slab: Uint8Array, offset: number, size: number): void {
    const k = classOf(size);
    if (this.#freeSlabs[k] === undefined) {
      this.#freeSlabs[k] = [];
      this.#freeOffsets[k] = [];
    }
    this.#freeSlabs[k].push(slab);
    this.#freeOffsets[k].push(offset);
  }
}

function classOf(size: number): number {
  return 31 - Math.clz32(size / MIN_REGION);
}
