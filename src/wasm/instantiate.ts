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
