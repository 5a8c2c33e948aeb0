// Reads back what BitWriter wrote. Reading past the end throws ChunkCorruptError, so corrupt or truncated
// input always ends in a clear error rather than garbage or a loop.

import { ChunkCorruptError } from './errors.ts';

const TWO_32 = 0x1_0000_0000;
const MAX_VARINT_BYTES = 8; // 56 bits: covers every safe integer

export class BitReader {
  private readonly buf: Uint8Array;
  private readonly end: number;
  /** Position of the next bit to read. */
  pos: number;

  /** Reads `bytes` starting at bit offset `startBit`. */
  constructor(bytes: Uint8Array, startBit = 0) {
    this.buf = bytes;
    this.end = bytes.length * 8;
    this.pos = startBit;
  }

  private truncated(): never {
    throw new ChunkCorruptError(`chunk truncated: read past its ${this.buf.length} bytes`);
  }

  readBit(): number {
    const pos = this.pos;
    if (pos >= this.end) this.truncated();
    this.pos = pos + 1;
    return (this.buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
  }

  /** Reads `nbits` (0–32) bits as an unsigned integer. */
  readBits(nbits: number): number {
    const pos = this.pos;
    if (pos + nbits > this.end) this.truncated();
    if (nbits === 0) return 0;
    this.pos = pos + nbits;
    // A 32-bit window from the byte holding the first bit (bytes past the end read as 0), plus the
    // top bits of the fifth byte when the bits run past the window.
    const buf = this.buf;
    const b = pos >>> 3;
    const o = pos & 7;
    const w = (buf[b] << 24) | (buf[b + 1] << 16) | (buf[b + 2] << 8) | buf[b + 3];
    const spill = o + nbits - 32;
    const top = (w << o) >>> (32 - nbits);
    return (spill > 0 ? top | (buf[b + 4] >>> (8 - spill)) : top) >>> 0;
  }

  /** Reads `nbits` (0–53) bits as a non-negative safe integer. */
  readUint(nbits: number): number {
    if (nbits > 32) {
      const hi = this.readBits(nbits - 32);
      return hi * TWO_32 + this.readBits(32);
    }
    return this.readBits(nbits);
  }

  readUvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.readBits(8);
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (result > Number.MAX_SAFE_INTEGER) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new ChunkCorruptError('chunk corrupt: varint out of range');
  }

  readSignedVarint(): number {
    const negative = this.readBit() === 1;
    const magnitude = this.readUvarint();
    return negative ? -magnitude : magnitude;
  }
}
