// The lines of a line-protocol body, found by WebAssembly (line-scan.wat), which also reads every
// line of the common shape `series field=number[ timestamp]` — the shape most writers send — so
// that the byte scanner (byte-scanner.ts) only reads the others. In JS, finding each line's end and
// its series' end took two Buffer.indexOf calls a line (~40 ns each, and three times that over
// shared memory), and the key, number and timestamp loops as much again.
//
// A line it reads it reads as the byte scanner would, bit for bit (a differential test holds it to
// that); where they could differ — escapes, several fields, exponents, long numbers — it leaves the
// line to the byte scanner.

import { ScratchInstances, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { WASM_BYTES } from './line-scan-wasm.ts';
import { msPerUnit, type Precision, subMillisecondDigits } from './timestamp.ts';

interface Scanner {
  readonly memory: WasmMemory;
  readonly scan: (pos: number, len: number, out: number, max: number, subMs: number, unit: bigint) => number;
}

/** Lines recorded per call of the WebAssembly scan (64 bytes each). */
const BATCH_LINES = 1024;
const RECORD_BYTES = 64;
/** Zero bytes after the body: the scan reads 16 bytes at a time. */
const PADDING = 16;
const newScanner = wasmModule<Scanner>(WASM_BYTES);

/** Reads a body's lines one at a time: `next()`, then the fields of that line. */
export class LineScan {
  readonly #scanners = new ScratchInstances(newScanner);
  #current: Scanner | undefined;
  #i32 = new Int32Array(0);
  #f64 = new Float64Array(0);
  #len = 0;
  #out = 0;
  #count = 0;
  #at = 0;
  #subMs = 6;
  #unit = 1n;

  /** The line: `body[start, stop)` without its `\n` (and a `\r` before it); `end` is the `\n` (or the body's end). */
  start = 0;
  stop = 0;
  end = 0;
  /** Whether the line has the common shape and was read: the fields below are set. */
  read = false;
  seriesEnd = 0;
  keyStart = 0;
  keyEnd = 0;
  value = 0;
  hasTimestamp = false;
  /** In ms, as the byte scanner gives it (a line whose timestamp is out of range is not read here). */
  timestamp = 0;

  /**
   * Starts on `body`, whose timestamps are in `precision`. Returns the scanner's copy of it, which
   * is valid until the next `load`.
   */
  load(body: Uint8Array, precision: Precision): Buffer {
    const len = body.length;
    const out = (len + PADDING + RECORD_BYTES - 1) & ~(RECORD_BYTES - 1);
    const needed = out + BATCH_LINES * RECORD_BYTES;
    const wasm = this.#scanners.take(needed);
    const memory = new Uint8Array(wasm.memory.buffer);
    memory.set(body, 0);
    memory.fill(0, len, len + PADDING);
    this.#current = wasm;
    this.#i32 = new Int32Array(wasm.memory.buffer);
    this.#f64 = new Float64Array(wasm.memory.buffer);
    this.#len = len;
    this.#out = out;
    this.#subMs = subMillisecondDigits(precision);
    this.#unit = BigInt(msPerUnit(precision));
    this.#count = 0;
    this.#at = 0;
    this.end = -1;
    return Buffer.from(wasm.memory.buffer, 0, len);
  }

  /** Moves to the next line; false at the end of the body. */
  next(): boolean {
    if (this.#at === this.#count) {
      const pos = this.end + 1;
      if (pos >= this.#len || this.#current === undefined) {
        this.#current = undefined;
        return false;
      }
      this.#count = this.#current.scan(pos, this.#len, this.#out, BATCH_LINES, this.#subMs, this.#unit);
      this.#at = 0;
    }
    const i = (this.#out + this.#at * RECORD_BYTES) >> 2;
    const d = i >> 1;
    const r = this.#i32;
    this.#at++;
    this.start = r[i];
    this.stop = r[i + 1];
    this.end = r[i + 2] - 1;
    this.read = r[i + 3] === 1;
    if (!this.read) return true;
    this.seriesEnd = r[i + 4];
    this.keyStart = r[i + 5];
    this.keyEnd = r[i + 6];
    this.value = this.#f64[d + 4];
    this.hasTimestamp = r[i + 7] === 1;
    this.timestamp = this.#f64[d + 5];
    return true;
  }
}
