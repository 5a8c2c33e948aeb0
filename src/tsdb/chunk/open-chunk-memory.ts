// Where the head's open chunks live: one WebAssembly memory holding every open chunk's state record
// and bytes, and the module that appends to them (xor-append.wat). Regions are powers of two from
// 32 bytes, carved out of 64 KiB pages per size, and kept for reuse when given back (the head's
// peak, not its history, decides the memory's size: WebAssembly memory never shrinks). Compared
// with a Uint8Array per chunk this saves V8's ~240 bytes of bookkeeping per array, and it keeps a
// series' appends to two places in memory (its record and its bytes) instead of four objects.

import { WASM_PAGE_BYTES, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { WASM_BYTES } from './xor-append-wasm.ts';

interface XorAppendExports {
  readonly memory: WasmMemory;
  readonly append: (state: number, t: number, hi: number, lo: number, max: number, limit: number) => number;
  readonly flush: (state: number) => void;
}

const newInstance = wasmModule<XorAppendExports>(WASM_BYTES);

const MIN_REGION = 32;
/** A state record's size (see xor-append.wat). */
export const STATE_BYTES = 64;

export class OpenChunkMemory {
  readonly #instance = newInstance();
  /** The append function of xor-append.wat. */
  readonly append = this.#instance.append;
  /** Completes a chunk's bytes in its region (appends keep the last, unfinished 8 bytes in its record). */
  readonly flush = this.#instance.flush;
  /** Views of the memory, made again whenever it grows. */
  u8 = new Uint8Array(0);
  i32 = new Int32Array(0);
  f64 = new Float64Array(0);
  /** Per size class (32 << k): offsets of free regions, the page being carved and where next. */
  readonly #free: number[][] = [];
  readonly #current: number[] = [];
  readonly #next: number[] = [];
  /** Pages handed out so far; page 0 is never used, so that no region starts at offset 0. */
  #pages = 1;

  constructor() {
    this.#refresh();
  }

  /** Bytes held in pages (used and free). */
  get bytes(): number {
    return (this.#pages - 1) * WASM_PAGE_BYTES;
  }

  /**
   * A region of `size` bytes (a power of two ≥ 32): its offset. Zeroed unless `zeroed` is false (for
   * chunk bytes, which appends write a whole word at a time and never read back).
   */
  alloc(size: number, zeroed = true): number {
    const k = classOf(size);
    const free = this.#free[k];
    if (free !== undefined && free.length > 0) {
      const at = free.pop()!;
      if (zeroed) this.u8.fill(0, at, at + size);
      return at;
    }
    if (size >= WASM_PAGE_BYTES) return this.#takePages(size / WASM_PAGE_BYTES);
    let at = this.#next[k];
    if (at === undefined || at + size > this.#current[k] + WASM_PAGE_BYTES) {
      at = this.#takePages(1);
      this.#current[k] = at;
    }
    this.#next[k] = at + size;
    return at;
  }

  /** Gives back the region of `size` bytes at `at`. */
  free(at: number, size: number): void {
    const k = classOf(size);
    if (this.#free[k] === undefined) this.#free[k] = [];
    this.#free[k].push(at);
  }

  /** `count` fresh (zero) pages: the offset of the first. Throws (and takes nothing) when the memory cannot grow. */
  #takePages(count: number): number {
    const have = this.#instance.memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (this.#pages + count > have) {
      const need = this.#pages + count - have;
      // By an eighth at least: fewer grows (each makes every view again) — unless only less fits.
      try {
        this.#instance.memory.grow(Math.max(need, Math.ceil(have / 8)));
      } catch {
        this.#instance.memory.grow(need);
      }
      this.#refresh();
    }
    const at = this.#pages * WASM_PAGE_BYTES;
    this.#pages += count;
    return at;
  }

  #refresh(): void {
    const buffer = this.#instance.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }
}

function classOf(size: number): number {
  return 31 - Math.clz32(size / MIN_REGION);
}
