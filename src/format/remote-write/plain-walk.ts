// The fast path of the remote_write 1.0 decoder: plain-walk.wat walks a body written the way
// senders write it and hands back each series' Label bytes and its samples as columns; for any
// other body it gives up and decode.ts walks it in JS. The body is copied into the module's memory.

import { ScratchInstances, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { WASM_BYTES } from './plain-walk-wasm.ts';

interface Walker {
  readonly memory: WasmMemory;
  readonly walk: (len: number, series: number, maxSeries: number, rows: number, maxRows: number) => number;
}

const walkers = new ScratchInstances(wasmModule<Walker>(WASM_BYTES));

const NOT_PLAIN = -1;

/** A plain body's series and samples, as views of the walker's memory (valid until the next walk). */
export interface PlainRequest {
  readonly series: number;
  /** Per series: its Label fields' start and end in the body, and the end of its rows. */
  readonly spans: Int32Array;
  readonly timestamps: Float64Array;
  /** The values, their bits as on the wire (NaN payloads included). */
  readonly values: Float64Array;
}

/** Walks `body` if it is a plain WriteRequest; undefined when decode.ts must decode it. */
export function walkPlain(body: Uint8Array): PlainRequest | undefined {
  const len = body.length;
  // Room for what senders write (a series takes well over 16 bytes, a sample over 8); a body that
  // needs more is walked again with room for the most it could hold (4 and 2 bytes).
  const first = walkWithRoom(body, (len >>> 4) + 1, (len >>> 3) + 1);
  if (typeof first !== 'number') return first;
  if (first === NOT_PLAIN) return undefined;
  const again = walkWithRoom(body, (len >>> 2) + 1, (len >>> 1) + 1);
  return typeof again === 'number' ? undefined : again;
}

function walkWithRoom(body: Uint8Array, maxSeries: number, maxRows: number): PlainRequest | number {
  const len = body.length;
  const seriesAt = align8(len);
  const rowsAt = align8(seriesAt + 12 * maxSeries);
  const walker = walkers.take(rowsAt + 16 * maxRows);
  const buffer = walker.memory.buffer;
  new Uint8Array(buffer, 0, len).set(body);
  const n = walker.walk(len, seriesAt, maxSeries, rowsAt, maxRows);
  if (n < 0) return n;
  const spans = new Int32Array(buffer, seriesAt, 3 * n);
  const rows = n === 0 ? 0 : spans[3 * n - 1];
  return {
    series: n,
    spans,
    timestamps: new Float64Array(buffer, rowsAt, rows),
    values: new Float64Array(buffer, rowsAt + 8 * maxRows, rows),
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
