// The project's WebAssembly modules (hand-written `.wat`, assembled into `*-wasm.ts` by `npm run
// wasm`) are instantiated here: Node has WebAssembly, but TypeScript declares it only in its DOM
// library, which this project does not load.

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
};

/** A module's exported memory, as much of it as is used here. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Adds `pages` of 64 KiB (detaching the old `buffer`); returns the previous size in pages. */
  grow(pages: number): number;
}

export const WASM_PAGE_BYTES = 64 * 1024;

/** Compiles a module once; each call of the result is a fresh instance (its own memory). */
export function wasmModule<Exports extends object>(bytes: Uint8Array): () => Exports {
  const module = new WebAssembly.Module(bytes);
  return () => new WebAssembly.Instance(module, {}).exports as Exports;
}

/** Grows `memory` (by whole pages) until it holds at least `bytes`. */
export function ensureMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
}

/**
 * Instances of a module used as scratch memory for one piece of work at a time: the same instance
 * for work that fits in `keepBytes` (memory never shrinks, so it stays that large), a fresh one,
 * left to the collector, for larger work, so that a rare large body does not keep its memory.
 */
export class ScratchInstances<Exports extends { readonly memory: WasmMemory }> {
  readonly #create: () => Exports;
  readonly #keepBytes: number;
  #kept: Exports | undefined;

  constructor(create: () => Exports, keepBytes = 8 << 20) {
    this.#create = create;
    this.#keepBytes = keepBytes;
  }

  /** An instance whose memory holds at least `bytes`. */
  take(bytes: number): Exports {
    let instance: Exports;
    if (bytes > this.#keepBytes) instance = this.#create();
    else instance = this.#kept ??= this.#create();
    ensureMemory(instance.memory, bytes);
    return instance;
  }
}
