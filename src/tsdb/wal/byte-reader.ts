// A bounds-checked cursor over a record payload. Every read checks the end, so garbage input ends in a
// WalCorruptError rather than a RangeError, a wrong value read past the end, or a runaway loop.

import { MAX_VARINT } from './byte-writer.ts';
import { WalCorruptError } from './errors.ts';

// fatal: invalid UTF-8 is corruption, not something to paper over with U+FFFD. ignoreBOM: a label value
// may legitimately start with U+FEFF, which the default decoder would silently drop.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(what: string): never {
    throw new WalCorruptError(`corrupt record: ${what} at byte ${this.pos} of ${this.end}`);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128, at most 8 bytes and 2^53 (what ByteWriter.uvarint writes). */
  uvarint(): number {
    const bytes = this.bytes;
    const end = this.end;
    let p = this.pos;
    if (p >= end) this.fail('unexpected end in varint');
    let b = bytes[p++];
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    let v = b & 0x7f;
    let mul = 0x80;
    for (let i = 1; ; i++) {
      if (p >= end) this.fail('unexpected end in varint');
      if (i === 8) this.fail('varint longer than 8 bytes');
      b = bytes[p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    this.pos = p;
    if (v > MAX_VARINT) this.fail('varint above 2^53');
    return v;
  }

  /** Sign-and-magnitude varint (see ByteWriter.varint). */
  varint(): number {
    if (this.pos >= this.end) this.fail('unexpected end in varint');
    const b = this.bytes[this.pos++];
    let m = (b >>> 1) & 0x3f;
    if (b & 0x80) {
      m += this.uvarint() * 0x40;
      if (m > MAX_VARINT) this.fail('varint above 2^53');
    }
    return b & 1 && m !== 0 ? -m : m;
  }

  /** A count of items that take at least `minItemBytes` each: bounds it by what is left, so loops end. */
  count(minItemBytes: number): number {
    const n = this.uvarint();
    if (n * minItemBytes > this.remaining) this.fail(`count ${n} exceeds the remaining bytes`);
    return n;
  }

  string(): string {
    const len = this.uvarint();
    if (len > this.remaining) this.fail('string runs past the end');
    const start = this.pos;
    this.pos += len;
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      this.pos = start;
      return this.fail('invalid UTF-8 in string');
    }
  }

  /** The little-endian float64 at `offset`, bit for bit (DataView keeps NaN payloads). */
  float64At(offset: number): number {
    return this.view.getFloat64(offset, true);
  }
}
