// Append-only bit stream, most significant bit first, over a growable Uint8Array. All operations
// work on at most 32 bits at a time so they stay in JS's fast 32-bit integer ops. (The head's open
// chunks are written by WebAssembly instead, see open-xor-chunk.ts.)

const TWO_32 = 0x1_0000_0000;

export class BitWriter {
  private buf: Uint8Array;
  /** Number of bits written so far. */
  bitLength = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(Math.max(8, initialBytes));
  }

  /** Bytes written so far (the last one zero-padded), as a view that later writes may invalidate. */
  view(): Uint8Array {
    return this.buf.subarray(0, (this.bitLength + 7) >>> 3);
  }

  /** Drops everything written, keeping the buffer for reuse. */
  reset(): void {
    this.buf.fill(0, 0, (this.bitLength + 7) >>> 3);
    this.bitLength = 0;
  }

  private grow(bytesNeeded: number): void {
    let size = this.buf.length * 2;
    while (size < bytesNeeded) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
  }

  writeBit(bit: number): void {
    const byte = this.bitLength >>> 3;
    if (byte >= this.buf.length) this.grow(byte + 1);
    if (bit !== 0) this.buf[byte] |= 0x80 >>> (this.bitLength & 7);
    this.bitLength++;
  }

  /** Writes the low `nbits` (0–32) bits of `value`: the current byte's free bits, whole bytes, a last part. */
  writeBits(value: number, nbits: number): void {
    const lastByte = (this.bitLength + nbits) >>> 3;
    if (lastByte >= this.buf.length) this.grow(lastByte + 1);
    const buf = this.buf;
    const pos = this.bitLength;
    let at = pos >>> 3;
    this.bitLength = pos + nbits;
    const used = pos & 7;
    if (used !== 0) {
      const free = 8 - used;
      if (nbits <= free) {
        buf[at] |= (value & ((1 << nbits) - 1)) << (free - nbits);
        return;
      }
      nbits -= free;
      buf[at++] |= (value >>> nbits) & ((1 << free) - 1);
    }
    while (nbits >= 8) {
      nbits -= 8;
      buf[at++] |= (value >>> nbits) & 0xff;
    }
    if (nbits > 0) buf[at] |= (value << (8 - nbits)) & 0xff;
  }

  /** Writes the low `nbits` (0–64) bits of the 64-bit value `hi:lo`. */
  writeBits64(hi: number, lo: number, nbits: number): void {
    if (nbits > 32) {
      this.writeBits(hi, nbits - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, nbits);
    }
  }

  /** Writes the low `nbits` (0–53) bits of a non-negative safe integer. */
  writeUint(value: number, nbits: number): void {
    if (nbits > 32) {
      this.writeBits(Math.floor(value / TWO_32), nbits - 32);
      this.writeBits(value >>> 0, 32);
    } else {
      this.writeBits(value, nbits);
    }
  }

  /** LEB128-style varint of a non-negative safe integer, in 8-bit groups (not byte-aligned). */
  writeUvarint(value: number): void {
    while (value >= 0x80) {
      this.writeBits((value % 0x80) | 0x80, 8);
      value = Math.floor(value / 0x80);
    }
    this.writeBits(value, 8);
  }

  /** A signed safe integer as a sign bit and a varint magnitude (zigzag would overflow 2^53). */
  writeSignedVarint(value: number): void {
    this.writeBit(value < 0 ? 1 : 0);
    this.writeUvarint(Math.abs(value));
  }
}
