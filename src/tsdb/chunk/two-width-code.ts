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
const BINS = MAX_WIDTH + 1;
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

/** Sequences whose values all lie within ±SMALL are planned and written with 32-bit integer operations. */
const SMALL = 2 ** 29;
/** Widest code written as one field with its flag (flag bit + value within 31 bits). */
const ONE_FIELD_WIDTH = 30;

/** The base, form and widths chosen for one sequence, and the bits it will take, header included. */
export class TwoWidthPlan {
  base = 0;
  zigzag = false;
  short = 0;
  long = 0;
  bits = 0;
  /** Three histograms of bit lengths (one per candidate base), MAX_WIDTH + 1 bins apart. */
  private readonly histogram = new Uint32Array(3 * BINS);

  /** Picks the cheapest base, form and widths for `values[start, start+count)`. */
  choose(values: Float64Array, start: number, count: number): this {
    const end = start + count;
    let min = count > 0 ? values[start] : 0;
    let max = min;
    // Boyer–Moore vote: finds the most common value whenever it is a majority.
    let common = 0;
    let votes = 0;
    for (let i = start; i < end; i++) {
      const x = values[i];
      if (x < min) min = x;
      if (x > max) max = x;
      if (votes === 0) {
        common = x;
        votes = 1;
      } else if (x === common) votes++;
      else votes--;
    }
    this.bits = Number.POSITIVE_INFINITY;
    if (min >= -SMALL && max <= SMALL) {
      // The usual case (small deltas and residuals): every candidate's histogram in one integer pass.
      this.#histogramsSmall(values, start, end, min, common);
      this.#consider(0, count, min, false);
      this.#consider(BINS, count, 0, true);
      if (common !== 0) this.#consider(2 * BINS, count, common, true);
    } else {
      this.#histogram(0, values, start, end, min, false);
      this.#consider(0, count, min, false);
      this.#histogram(0, values, start, end, 0, true);
      this.#consider(0, count, 0, true);
      if (common !== 0) {
        this.#histogram(0, values, start, end, common, true);
        this.#consider(0, count, common, true);
      }
    }
    return this;
  }

  /** Bit lengths of `values - base` (zigzagged when `zz`) counted into the histogram at `at`. */
  #histogram(at: number, values: Float64Array, start: number, end: number, base: number, zz: boolean): void {
    const h = this.histogram;
    h.fill(0, at, at + BINS);
    for (let i = start; i < end; i++) h[at + bitLength(zz ? zigzag(values[i] - base) : values[i] - base)]++;
  }

  /** All three histograms at once for values within ±SMALL (so every form fits in 31 bits). */
  #histogramsSmall(values: Float64Array, start: number, end: number, min: number, common: number): void {
    const h = this.histogram;
    h.fill(0);
    for (let i = start; i < end; i++) {
      const x = values[i] | 0;
      const d = x - (common | 0);
      h[32 - Math.clz32(x - (min | 0))]++;
      h[BINS + 32 - Math.clz32((x << 1) ^ (x >> 31))]++;
      h[2 * BINS + 32 - Math.clz32((d << 1) ^ (d >> 31))]++;
    }
  }

  /** Weighs the histogram at `at` (for `base`, `zz`): keeps it when it beats the best so far. */
  #consider(at: number, count: number, base: number, zz: boolean): void {
    const h = this.histogram;
    let long = MAX_WIDTH;
    while (long > 0 && h[at + long] === 0) long--;
    let bestShort = long;
    let best = count * long; // one width for all, no flags
    let fitting = 0;
    for (let short = 0; short < long; short++) {
      fitting += h[at + short];
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

  /**
   * The code of `values[start, start+count)` as fields for BitWriter.writeBits: field i at
   * `fields[at+i]`, `widths[at+i]` bits wide (flag included). False when the widths exceed
   * ONE_FIELD_WIDTH; then use write(). The hot form: integer operations, no call per value.
   */
  fields(
    values: Float64Array,
    start: number,
    count: number,
    fields: Int32Array,
    widths: Uint8Array,
    at: number,
  ): boolean {
    const { short, long, base, zigzag: zz } = this;
    if (long > ONE_FIELD_WIDTH) return false;
    const flagged = short !== long;
    const shortLimit = 1 << short;
    const longFlag = 1 << long;
    for (let i = 0; i < count; i++) {
      // Every stored form is below 2^long, so the difference is a 31-bit integer.
      const d = (values[start + i] - base) | 0;
      const z = zz ? (d << 1) ^ (d >> 31) : d;
      if (!flagged) {
        fields[at + i] = z;
        widths[at + i] = long;
      } else if (z < shortLimit) {
        // Flag and value as one field: a 0 flag is a leading zero bit, a 1 flag the bit above `long`.
        fields[at + i] = z;
        widths[at + i] = short + 1;
      } else {
        fields[at + i] = longFlag | z;
        widths[at + i] = long + 1;
      }
    }
    return true;
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
