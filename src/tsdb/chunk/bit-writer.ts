// Append-only bit stream, most significant bit first, over a growable byte region: a Uint8Array of
// its own, or a region of a shared ByteArena (the head's open chunks, where one array per series
// would cost more than the data). All operations work on at most 32 bits at a time so they stay in
// JS's fast 32-bit integer ops.

import { ByteArena } from './byte-arena.ts';

const TWO_32 = 0x1_0000_0000;
const NO_BYTES = new Uint8Array(0);

export class BitWriter {
  private buf: Uint8Array;
  /** Where this writer's region starts in `buf`, and its size. */
  private base = 0;
  private cap: number;
  private readonly arena: ByteArena | undefined;
  /** Number of bits written so far. */
  bitLength = 0;

  constructor(initialBytes = 64, arena?: ByteArena) {
    this.arena = arena;
    if (arena === undefined) {
      this.cap = Math.max(8, initialBytes);
      this.buf = new Uint8Array(this.cap);
    } else {
      this.cap = ByteArena.regionSize(Math.max(8, initialBytes));
      arena.alloc(this.cap);
      this.buf = arena.slab;
      this.base = arena.offset;
    }
  }

  /** Bytes written so far (the last one zero-padded), as a view that later writes may invalidate. */
  view(): Uint8Array {
    return this.buf.subarray(this.base, this.base + ((this.bitLength + 7) >>> 3));
  }

  /** Drops everything written, keeping the buffer for reuse. */
  reset(): void {
    this.buf.fill(0, this.base, this.base + ((this.bitLength + 7) >>> 3));
    this.bitLength = 0;
  }

  /** Gives an arena region back; the writer must not be used afterwards. */
  release(): void {
    if (this.arena !== undefined && this.cap > 0) this.arena.free(this.buf, this.base, this.cap);
    this.buf = NO_BYTES;
    this.cap = 0;
  }

  private grow(bytesNeeded: number): void {
    let size = this.cap * 2;
    while (size < bytesNeeded) size *= 2;
    const old = this.buf.subarray(this.base, this.base + this.cap);
    if (this.arena === undefined) {
      const next = new Uint8Array(size);
      next.set(old);
      this.buf = next;
    } else {
      this.arena.alloc(size);
      this.arena.slab.set(old, this.arena.offset);
      this.arena.free(this.buf, this.base, this.cap);
      this.buf = this.arena.slab;
      this.base = this.arena.offset;
    }
    this.cap = size;
  }

  writeBit(bit: number): void {
    const byte = this.bitLength >>> 3;
    if (byte >= this.cap) this.grow(byte + 1);
    if (bit !== 0) this.buf[this.base + byte] |= 0x80 >>> (this.bitLength & 7);
    this.bitLength++;
  }

  /** Writes the low `nbits` (0–32) bits of `value`: the current byte's free bits, whole bytes, a last part. */
  writeBits(value: number, nbits: number): void {
    const lastByte = (this.bitLength + nbits) >>> 3;
    if (lastByte >= this.cap) this.grow(lastByte + 1);
    const buf = this.buf;
    const pos = this.bitLength;
    let at = this.base + (pos >>> 3);
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
