// A growable scratch buffer for encoding records. Encoders reuse one instance and copy out an exactly
// sized result, so encoding a record costs one allocation, not one per field.

/** Largest magnitude a varint may carry: every integer up to it is exact in a float64. */
export const MAX_VARINT = 2 ** 53;

/** Scratch buffers above this size are dropped after use instead of being kept for the next record. */
const KEEP_BYTES = 1 << 20;

export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /**
   * Unsigned LEB128 of an integer in [0, 2^53]. Above 2^31 it uses arithmetic instead of bit operations,
   * which JS limits to 32 bits. At most 8 bytes. Caller must `ensure` 8 bytes.
   */
  uvarint(v: number): void {
    const buf = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      let low: number;
      if (v < 0x80000000) {
        low = v & 0x7f;
        v >>>= 7;
      } else {
        low = v % 0x80;
        v = (v - low) / 0x80;
      }
      buf[p++] = low | 0x80;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /**
   * Signed integer in [-2^53, 2^53] as sign and magnitude (bit 0 of the first byte is the sign, then 6
   * magnitude bits, then LEB128). Unlike zigzag it never needs 2·|v|, which is inexact above 2^52.
   * At most 9 bytes. Caller must `ensure` 9 bytes.
   */
  varint(v: number): void {
    let sign = 0;
    if (v < 0) {
      sign = 1;
      v = -v;
    }
    if (v < 0x40) {
      this.buf[this.pos++] = (v << 1) | sign;
      return;
    }
    const low = v < 0x80000000 ? v & 0x3f : v % 0x40;
    this.buf[this.pos++] = 0x80 | (low << 1) | sign;
    this.uvarint((v - low) / 0x40);
  }

  /** A length-prefixed UTF-8 string. Lone surrogates cannot round-trip through UTF-8, so they are refused. */
  string(s: string): void {
    if (!s.isWellFormed()) throw new TypeError(`string is not well-formed UTF-16: ${JSON.stringify(s)}`);
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(8 + len);
    this.uvarint(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** An exactly sized copy of what was written; the scratch area is then free for reuse. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafe(KEEP_BYTES);
    this.pos = 0;
    return out;
  }
}

/** Checks an integer a varint field will carry; bad input is the caller's bug, so it is a RangeError. */
export function checkInt(v: number, what: string, min: number): void {
  if (!Number.isInteger(v) || v < min || v > MAX_VARINT)
    throw new RangeError(`${what} ${v} is not an integer in [${min}, 2^53]`);
}
