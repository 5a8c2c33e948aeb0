// A whole XOR chunk decoded into timestamp and value columns by WebAssembly (xor-decode.wat), for
// work that reads every sample of many chunks (the recode that weighs their decimal encoding): the
// JS iterator reads bit by bit through an object per chunk, at a quarter of that work.

import { ensureMemory, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { XorChunk } from './xor-chunk.ts';
import { WASM_BYTES } from './xor-decode-wasm.ts';

interface Decoder {
  readonly memory: WasmMemory;
  readonly decode: (at: number, len: number, ts: number, vs: number) => number;
}

const newDecoder = wasmModule<Decoder>(WASM_BYTES);

/** The reader loads up to 7 bytes past the chunk. */
const SPARE_BYTES = 8;

/**
 * Decodes chunks into columns in one memory: timestamps from 0, values from 8·capacity, the chunk
 * after them. Views are made again only when the layout or the memory changes.
 */
export class XorColumnDecoder {
  readonly #wasm = newDecoder();
  #capacity = 0;
  #buffer: ArrayBuffer | undefined;
  #u8 = new Uint8Array(0);
  /** Timestamps of the chunk decoded last, from index 0; valid until the next decode. */
  ts = new Float64Array(0);
  /** Values of the chunk decoded last, from index 0, bit for bit. */
  vs = new Float64Array(0);

  /**
   * Decodes the XOR chunk `bytes` (tag, count, bit stream) into `ts` and `vs`; returns its sample
   * count. A chunk that is not consistent is read by the JS iterator, which throws ChunkCorruptError.
   */
  decode(bytes: Uint8Array): number {
    const n = bytes.length >= 3 ? (bytes[1] << 8) | bytes[2] : 0;
    if (n > this.#capacity) this.#capacity = Math.max(n, 2 * this.#capacity, 128);
    const at = 16 * this.#capacity;
    const memory = this.#wasm.memory;
    const needed = at + bytes.length + SPARE_BYTES;
    ensureMemory(memory, needed);
    if (memory.buffer !== this.#buffer || this.ts.length !== this.#capacity) {
      this.#buffer = memory.buffer;
      this.#u8 = new Uint8Array(memory.buffer);
      this.ts = new Float64Array(memory.buffer, 0, this.#capacity);
      this.vs = new Float64Array(memory.buffer, 8 * this.#capacity, this.#capacity);
    }
    this.#u8.set(bytes, at);
    if (this.#wasm.decode(at, bytes.length, 0, 8 * this.#capacity) === n) return n;
    // Throws what is wrong; were it to read the chunk whole after all, its columns are as good.
    const it = XorChunk.fromBytes(bytes).iterator();
    for (let i = 0; it.next(); i++) {
      this.ts[i] = it.t;
      this.vs[i] = it.v;
    }
    return n;
  }
}
