// Copies of many small byte ranges packed into shared buffers. A reader snapshotting the open chunk
// of thousands of series would otherwise allocate an ArrayBuffer per series (each with a backing
// store V8's collector must track and free); views into a few 64 KiB buffers cost a fraction.

const SLAB_BYTES = 64 * 1024;

export class CopySlab {
  #slab = new Uint8Array(0);
  #used = 0;

  /** A copy of `bytes` that stays valid as long as the returned view is referenced. */
  copy(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (this.#used + n > this.#slab.length) {
      // Larger copies get a buffer of their own; the current slab keeps serving small ones.
      if (n > SLAB_BYTES / 4) return bytes.slice();
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#used = 0;
    }
    const out = this.#slab.subarray(this.#used, this.#used + n);
    out.set(bytes);
    this.#used += n;
    return out;
  }
}
