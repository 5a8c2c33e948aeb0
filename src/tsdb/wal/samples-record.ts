// The WAL's samples records encoded by WebAssembly (samples-record.wat), byte for byte as the JS
// encoder in record.ts writes them: the columns are copied into the module's memory and the record
// out of it. Columns it does not take (not Float64Arrays, or holding what the JS encoder refuses or
// writes with absolute timestamps) are left to that encoder.

import { ensureMemory, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { WASM_BYTES } from './samples-record-wasm.ts';

interface SamplesRecordExports {
  readonly memory: WasmMemory;
  readonly encode: (n: number, out: number) => number;
}

const instance = wasmModule<SamplesRecordExports>(WASM_BYTES)();

/** Commits larger than this are encoded in JS (the memory would keep their size). */
const MAX_SAMPLES = 1 << 16;

/** The record for samples 0..n-1 of the columns, or undefined when the JS encoder must write it. */
export function encodeSamplesRecord(
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  values: Float64Array,
  n: number,
): Uint8Array | undefined {
  if (!(refs instanceof Float64Array && ts instanceof Float64Array) || n > MAX_SAMPLES) return undefined;
  const out = 24 * n;
  // Worst case: a 27-byte header, then 8 value bytes and two 9-byte varints per sample.
  ensureMemory(instance.memory, out + 27 + 26 * n);
  const buffer = instance.memory.buffer;
  new Float64Array(buffer, 0, n).set(refs.subarray(0, n));
  new Float64Array(buffer, 8 * n, n).set(ts.subarray(0, n));
  // Same-type set() copies bytes: NaN payloads are kept.
  new Float64Array(buffer, 16 * n, n).set(values.subarray(0, n));
  const length = instance.encode(n, out);
  return length < 0 ? undefined : new Uint8Array(buffer, out, length).slice();
}
