// Growable byte buffer and bounds-checked cursor for the block files. Varints go up to 2^53 (offsets
// and timestamps are safe integers), so the wide path uses arithmetic rather than 32-bit bit ops.

import { BlockCorruptError } from './errors.ts';

const TEXT_ENCODER = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in a label value instead of silently stripping it.
const TEXT_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes a uvarint of `x` takes. */
export function uvarintSize(x: number): number {
  let n = 1;
  while (x >= 0x80) {
    x = Math.floor(x / 0x80);
    n++;
  }
  return n;
}

export class ByteWriter {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.#len;
  }

  /** A view of the bytes written so far (valid until the next write). */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  reset(): void {
    this.#len = 0;
  }

  #ensure(extra: number): void {
    if (this.#len + extra <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.#len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  u8(x: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = x;
  }

  /** Big-endian unsigned 32-bit. */
  u32(x: number): void {
    this.#ensure(4);
    const b = this.#buf;
    const i = this.#len;
    b[i] = x >>> 24;
    b[i + 1] = x >>> 16;
    b[i + 2] = x >>> 8;
    b[i + 3] = x;
    this.#len += 4;
  }

  /** Big-endian float64 (for signed timestamps, which varints here do not carry). */
  f64(x: number): void {
    this.#ensure(8);
    new DataView(this.#buf.buffer, this.#buf.byteOffset + this.#len, 8).setFloat64(0, x);
    this.#len += 8;
  }

  uvarint(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`uvarint out of range: ${x}`);
    this.#ensure(8);
    const b = this.#buf;
    while (x >= 0x80) {
      b[this.#len++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    b[this.#len++] = x;
  }

  bytes(data: Uint8Array): void {
    this.#ensure(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  /** uvarint byte length, then UTF-8. */
  string(s: string): void {
    const data = TEXT_ENCODER.encode(s);
    this.uvarint(data.length);
    this.bytes(data);
  }
}

/** A cursor over a byte range that throws BlockCorruptError (naming `file`) on any overrun. */
export class ByteReader {
  readonly file: string;
  readonly #buf: Uint8Array;
  pos: number;
  readonly #end: number;

  constructor(file: string, buf: Uint8Array, start = 0, end = buf.length) {
    this.file = file;
    this.#buf = buf;
    this.pos = start;
    this.#end = end;
  }

  get remaining(): number {
    return this.#end - this.pos;
  }

  corrupt(reason: string): BlockCorruptError {
    return new BlockCorruptError(this.file, reason);
  }

  #need(n: number, what: string): void {
    if (this.#end - this.pos < n) throw this.corrupt(`truncated ${what}`);
  }

  u8(): number {
    this.#need(1, 'byte');
    return this.#buf[this.pos++];
  }

  u32(): number {
    this.#need(4, 'uint32');
    const b = this.#buf;
    const i = this.pos;
    this.pos += 4;
    return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  }

  f64(): number {
    this.#need(8, 'float64');
    const x = new DataView(this.#buf.buffer, this.#buf.byteOffset + this.pos, 8).getFloat64(0);
    this.pos += 8;
    return x;
  }

  uvarint(): number {
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.#end) throw this.corrupt('truncated varint');
      const c = this.#buf[this.pos++];
      x += (c & 0x7f) * mul;
      if (c < 0x80) {
        if (!Number.isSafeInteger(x)) break;
        return x;
      }
      mul *= 0x80;
    }
    throw this.corrupt('varint too large');
  }

  bytes(n: number): Uint8Array {
    this.#need(n, 'bytes');
    const out = this.#buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.uvarint();
    const data = this.bytes(n);
    try {
      return TEXT_DECODER.decode(data);
    } catch {
      throw this.corrupt('invalid UTF-8 in string');
    }
  }
}
