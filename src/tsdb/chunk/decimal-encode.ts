// The decimal encoding of a chunk's samples computed by WebAssembly (decimal-encode.wat): the same
// bytes as decimal-chunk.ts's encodeDecimalBytes, for the recode that weighs every sealed chunk's
// decimal encoding in the workers. A differential property test holds the two to the same bytes.

import { ensureMemory, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { MAX_CHUNK_SAMPLES } from './chunk.ts';
import { checkTimestamps } from './decimal-chunk.ts';
import { WASM_BYTES } from './decimal-encode-wasm.ts';

interface Encoder {
  readonly memory: WasmMemory;
  readonly encode: (n: number, capacity: number) => number;
}

const newEncoder = wasmModule<Encoder>(WASM_BYTES);

/** encode's answer for timestamps that are not integers in [0, 2^53), increasing. */
const BAD_TIMESTAMP = -2;

/** Where the output starts, for a capacity (see the layout in decimal-encode.wat). */
const outputAt = (capacity: number) => 56 * capacity + 776;

export class DecimalEncoder {
  readonly #wasm = newEncoder();
  #capacity = 0;
  #buffer: ArrayBuffer | undefined;
  #ts = new Float64Array(0);
  #vs = new Float64Array(0);
  #u8 = new Uint8Array(0);

  /**
   * encodeDecimalBytes(ts, vs, 0, n): the decimal chunk of the first n samples, as a view of this
   * encoder's memory that the next encode overwrites, or undefined when some value is not an exact
   * decimal. Throws ChunkAppendError on bad timestamps, as encodeDecimalBytes does.
   */
  encode(ts: Float64Array, vs: Float64Array, n: number): Uint8Array | undefined {
    if (n > MAX_CHUNK_SAMPLES) checkTimestamps(ts, 0, n);
    if (n > this.#capacity) this.#capacity = Math.max(n, 2 * this.#capacity, 128);
    const capacity = this.#capacity;
    const memory = this.#wasm.memory;
    ensureMemory(memory, outputAt(capacity) + 16 * capacity + 64);
    if (memory.buffer !== this.#buffer || this.#ts.length !== capacity) {
      this.#buffer = memory.buffer;
      this.#ts = new Float64Array(memory.buffer, 0, capacity);
      this.#vs = new Float64Array(memory.buffer, 8 * capacity, capacity);
      this.#u8 = new Uint8Array(memory.buffer);
    }
    this.#ts.set(n === ts.length ? ts : ts.subarray(0, n));
    this.#vs.set(n === vs.length ? vs : vs.subarray(0, n));
    const length = this.#wasm.encode(n, capacity);
    if (length === BAD_TIMESTAMP) {
      // The module only says that one is; this says which, and throws.
      checkTimestamps(ts, 0, n);
      throw new Error('decimal-encode.wat refused timestamps that checkTimestamps takes');
    }
    if (length < 0) return undefined;
    const at = outputAt(capacity);
    return this.#u8.subarray(at, at + length);
  }
}
