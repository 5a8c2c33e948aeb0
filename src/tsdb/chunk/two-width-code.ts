// A per-chunk adaptive code for a sequence of integers (deltas, deltas of deltas, residuals). Each value
// is stored relative to a per-chunk base, either as an offset from the minimum (all-positive counter
// deltas spend no sign bit) or zigzagged around zero or the most common value (a gauge's unchanged
// samples and a jittered grid's on-time scrapes cost 1 bit, or nothing when the whole run is constant).
// The result goes in a short or a long bit width, both chosen to minimise the chunk's size, with a 1-bit
// flag between them (no flag when one width fits all). Callers keep values within ±MAX_MAGNITUDE.

import type { BitReader } from './bit-reader.ts';
import type { BitWriter } from './bit-writer.ts';
import { ChunkCorruptError } from './errors.ts';

const TWO_32 = 0x1_0000_0000;
export const MAX_WIDTH = 53;
/** Callers keep every value within ±MAX_MAGNITUDE, so every stored form stays below 2^52. */
export const MAX_MAGNITUDE = 2 ** 50;

/** Number of bits needed for a non-negative safe integer (0 for 0). */
export function bitLength(z: number): number {
  return z < TWO_32 ? 32 - Math.clz32(z) : 64 - Math.clz32(Math.floor(z / TWO_32));
}

/** Bits BitWriter.writeSignedVarint spends on `x`. */
export function signedVarintBits(x: number): number {
  let bits = 9;
  for (let a = Math.abs(x); a >= 0x80; a = Math.floor(a / 0x80)) bits += 8;
  return bits;
}

function zigzag(x: number): number {
  return x >= 0 ? 2 * x : -2 * x - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** The base, form and widths chosen for one sequence, and the bits it will take, header included. */
export class TwoWidthPlan {
  base = 0;
  zigzag = false;
  short = 0;
  long = 0;
  bits = 0;
  private readonly histogram = new Uint32Array(MAX_WIDTH + 1);

  /** Picks the cheapest base, form and widths for `values[start, start+count)`. */
  choose(values: Float64Array, start: number, count: number): this {
    const end = start + count;
    let min = count > 0 ? values[start] : 0;
    // Boyer–Moore vote: finds the most common value whenever it is a majority.
    let common = 0;
    let votes = 0;
    for (let i = start; i < end; i++) {
      const x = values[i];
      if (x < min) min = x;
      if (votes === 0) {
        common = x;
        votes = 1;
      } else if (x === common) votes++;
      else votes--;
    }
    this.bits = Number.POSITIVE_INFINITY;
    this.consider(values, start, end, min, false);
    this.consider(values, start, end, 0, true);
    if (common !== 0) this.consider(values, start, end, common, true);
    return this;
  }

  private consider(values: Float64Array, start: number, end: number, base: number, zz: boolean): void {
    const count = end - start;
    const h = this.histogram;
    h.fill(0);
    let long = 0;
    for (let i = start; i < end; i++) {
      const b = bitLength(zz ? zigzag(values[i] - base) : values[i] - base);
      h[b]++;
      if (b > long) long = b;
    }
    let bestShort = long;
    let best = count * long; // one width for all, no flags
    let fitting = 0;
    for (let short = 0; short < long; short++) {
      fitting += h[short];
      const cost = count + fitting * short + (count - fitting) * long;
      if (cost < best) {
        best = cost;
        bestShort = short;
      }
    }
    const bits = signedVarintBits(base) + 13 + best;
    if (bits < this.bits) {
      this.bits = bits;
      this.base = base;
      this.zigzag = zz;
      this.short = bestShort;
      this.long = long;
    }
  }

  writeHeader(w: BitWriter): void {
    w.writeSignedVarint(this.base);
    w.writeBit(this.zigzag ? 1 : 0);
    w.writeBits(this.short, 6);
    w.writeBits(this.long, 6);
  }

  write(w: BitWriter, x: number): void {
    const { short, long } = this;
    const z = this.zigzag ? zigzag(x - this.base) : x - this.base;
    if (short === long) {
      w.writeUint(z, long);
    } else if (bitLength(z) <= short) {
      w.writeBit(0);
      w.writeUint(z, short);
    } else {
      w.writeBit(1);
      w.writeUint(z, long);
    }
  }
}

/** Decoding side of TwoWidthPlan. */
export class TwoWidthReader {
  base = 0;
  zigzag = false;
  short = 0;
  long = 0;

  readHeader(r: BitReader): void {
    this.base = r.readSignedVarint();
    this.zigzag = r.readBit() === 1;
    this.short = r.readBits(6);
    this.long = r.readBits(6);
    if (this.short > this.long || this.long > MAX_WIDTH || !(Math.abs(this.base) <= MAX_MAGNITUDE)) {
      throw new ChunkCorruptError('chunk corrupt: bad integer code header');
    }
  }

  read(r: BitReader): number {
    const { short, long } = this;
    const z = short === long || r.readBit() === 1 ? r.readUint(long) : r.readUint(short);
    return this.base + (this.zigzag ? unzigzag(z) : z);
  }
}
