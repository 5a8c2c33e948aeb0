// Gorilla chunk (Pelkonen et al., as in Prometheus tsdb/chunkenc/xor.go): delta-of-delta timestamps in
// buckets, values XORed with the previous value using a reusable leading/trailing-zero window.
//
// Layout: tag u8 | numSamples u16 BE | bit stream:
//   t0 uvarint | v0 64 bits | t1-t0 uvarint | v1 xor | (dod bucket | v xor)…
// dod buckets: 0 → '0'; '10'+14 bits; '110'+17; '1110'+20; '1111'+64 (two's complement).
// value xor: 0 → '0'; '10' + bits inside the previous window; '11' + leading(5) + length(6) + bits.

import { BitReader } from './bit-reader.ts';
import { BitWriter } from './bit-writer.ts';
import { type Chunk, Encoding, isValidTimestamp, MAX_CHUNK_SAMPLES, type SampleIterator } from './chunk.ts';
import { ChunkAppendError, ChunkCorruptError } from './errors.ts';
import { fromHiLo, hiBits, loBits } from './float-bits.ts';

const HEADER_BITS = 24;
const TWO_32 = 0x1_0000_0000;
const NO_WINDOW = 0xff;
/** Payload width of the dod bucket whose prefix has this many 1s. */
const DOD_BUCKET_BITS = [0, 14, 17, 20];

/** Trailing zero count of a non-zero 32-bit integer. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

// Scratch output of shiftRight64, so the hot path returns two numbers without allocating.
let shHi = 0;
let shLo = 0;
function shiftRight64(hi: number, lo: number, s: number): void {
  if (s === 0) {
    shHi = hi;
    shLo = lo;
  } else if (s < 32) {
    shLo = (lo >>> s) | (hi << (32 - s));
    shHi = hi >>> s;
  } else {
    shLo = hi >>> (s - 32);
    shHi = 0;
  }
}

/** Why a sample cannot be appended (see XorChunk.appendAt). */
function appendError(t: number, n: number, lastT: number): ChunkAppendError {
  if (!isValidTimestamp(t)) return new ChunkAppendError(`invalid timestamp ${t}: need an integer ms ≥ 0`);
  if (n >= MAX_CHUNK_SAMPLES) return new ChunkAppendError('chunk full');
  return new ChunkAppendError(`out-of-order sample: t=${t} is not after ${lastT}`);
}

/** One-row columns for append(t, v), which goes through appendAt. */
const ONE_T = new Float64Array(1);
const ONE_V = new Float64Array(1);
export class XorChunk implements Chunk {
  // A getter, not a field: one slot less in every open chunk of the head.
  get encoding(): typeof Encoding.XOR {
    return Encoding.XOR;
  }
  private w: BitWriter | undefined;
  private opened: Uint8Array | undefined;
  private n = 0;
  private firstT = Number.NaN;
  private lastT = Number.NaN;
  // Appender state.
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = NO_WINDOW;
  private trailing = 0;

  /** `opened`: the serialised bytes of a read-only chunk (see {@link fromBytes}); else an empty, appendable one. */
  constructor(opened?: Uint8Array) {
    if (opened !== undefined) {
      this.w = undefined;
      this.opened = opened;
      return;
    }
    // Small to start: it grows by doubling as needed.
    this.w = new BitWriter(32);
    this.w.writeBits(Encoding.XOR, 8);
    this.w.writeBits(0, 16);
  }

  /**
   * Opens serialised bytes (tag included). Only the header is checked here; iteration checks the rest.
   * `maxT`, when the caller knows it (a sealed or snapshotted head chunk), spares a full decode to find it.
   */
  static fromBytes(bytes: Uint8Array, maxT = Number.NaN): XorChunk {
    if (bytes.length < 3) throw new ChunkCorruptError('chunk truncated: missing XOR header');
    if (bytes[0] !== Encoding.XOR) throw new ChunkCorruptError(`not an XOR chunk (tag ${bytes[0]})`);
    const c = new XorChunk(bytes);
    c.n = (bytes[1] << 8) | bytes[2];
    if (c.n > 0) {
      const t0 = new BitReader(bytes, HEADER_BITS).readUvarint();
      c.firstT = t0;
      c.lastT = maxT;
    }
    return c;
  }

  get numSamples(): number {
    return this.n;
  }

  get minT(): number {
    return this.firstT;
  }

  get maxT(): number {
    if (this.opened !== undefined && this.n > 0 && Number.isNaN(this.lastT)) {
      const it = this.iterator();
      while (it.next()) this.lastT = it.t;
    }
    return this.lastT;
  }

  bytes(): Uint8Array {
    if (this.opened !== undefined) return this.opened;
    const out = this.w!.view().slice();
    out[1] = this.n >>> 8;
    out[2] = this.n & 0xff;
    return out;
  }

  iterator(): XorIterator {
    return new XorIterator(this.bytes());
  }

  /** Appends a sample; `t` must be an integer ms timestamp after the previous one. */
  append(t: number, v: number): void {
    ONE_T[0] = t;
    ONE_V[0] = v;
    this.appendAt(ONE_T, ONE_V, 0);
  }

  /**
   * Appends row `i` of `ts`/`vs`: the form for hot loops, where the doubles stay in typed arrays (a
   * double passed to a call the compiler does not inline is boxed in a fresh heap number).
   */
  appendAt(ts: Float64Array, vs: Float64Array, i: number): void {
    const t = ts[i];
    const v = vs[i];
    if (this.w === undefined) this.reopen();
    const w = this.w!;
    const n = this.n;
    // The messages are built out of line: a template literal reading `t` here slows the whole method.
    if (!isValidTimestamp(t) || n >= MAX_CHUNK_SAMPLES || (n > 0 && t <= this.lastT))
      throw appendError(t, n, this.lastT);
    const hi = hiBits(v);
    const lo = loBits(v);
    if (n === 0) {
      w.writeUvarint(t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.firstT = t;
    } else {
      const delta = t - this.lastT;
      if (n === 1) w.writeUvarint(delta);
      else this.writeDod(delta - this.tDelta);
      this.tDelta = delta;
      this.writeXor(hi ^ this.vHi, lo ^ this.vLo);
    }
    this.vHi = hi;
    this.vLo = lo;
    this.lastT = t;
    this.n = n + 1;
  }

  // Each bucket's prefix and value go in one write (at most 24 bits): fewer calls on the append path.
  private writeDod(dod: number): void {
    const w = this.w!;
    if (dod === 0) {
      w.writeBit(0);
    } else if (dod >= -0x2000 && dod < 0x2000) {
      w.writeBits((0b10 << 14) | (dod & 0x3fff), 16);
    } else if (dod >= -0x10000 && dod < 0x10000) {
      w.writeBits((0b110 << 17) | (dod & 0x1ffff), 20);
    } else if (dod >= -0x80000 && dod < 0x80000) {
      w.writeBits((0b1110 << 20) | (dod & 0xfffff), 24);
    } else {
      w.writeBits(0b1111, 4);
      w.writeBits(Math.floor(dod / TWO_32), 32);
      w.writeBits(dod >>> 0, 32);
    }
  }

  private writeXor(xHi: number, xLo: number): void {
    const w = this.w!;
    if (xHi === 0 && xLo === 0) {
      w.writeBit(0);
      return;
    }
    let leading = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
    const trailing = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
    if (leading > 31) leading = 31; // 5-bit field
    if (this.leading !== NO_WINDOW && leading >= this.leading && trailing >= this.trailing) {
      // Fits the previous window: no need to repeat its shape.
      const sig = 64 - this.leading - this.trailing;
      shiftRight64(xHi, xLo, this.trailing);
      if (sig <= 30) w.writeBits((0b10 << sig) | shLo, sig + 2);
      else {
        w.writeBits(0b10, 2);
        w.writeBits64(shHi, shLo, sig);
      }
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const sig = 64 - leading - trailing;
    // '11', the leading zeros (5 bits) and the significant bits' count (6 bits; 64 is stored as 0).
    w.writeBits((0b11 << 11) | (leading << 6) | (sig & 63), 13);
    shiftRight64(xHi, xLo, trailing);
    w.writeBits64(shHi, shLo, sig);
  }

  /** Makes an opened chunk appendable again by re-encoding it (the result is byte-identical). */
  private reopen(): void {
    const it = this.iterator();
    const fresh = new XorChunk();
    while (it.next()) fresh.append(it.t, it.v);
    this.opened = undefined;
    this.w = fresh.w;
    this.tDelta = fresh.tDelta;
    this.vHi = fresh.vHi;
    this.vLo = fresh.vLo;
    this.leading = fresh.leading;
    this.trailing = fresh.trailing;
    this.lastT = fresh.lastT;
  }
}

export class XorIterator implements SampleIterator {
  t = Number.NaN;
  v = Number.NaN;
  private readonly r: BitReader;
  private readonly n: number;
  private i = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = NO_WINDOW;
  private trailing = 0;

  constructor(bytes: Uint8Array) {
    if (bytes.length < 3) throw new ChunkCorruptError('chunk truncated: missing XOR header');
    this.n = (bytes[1] << 8) | bytes[2];
    this.r = new BitReader(bytes, HEADER_BITS);
  }

  next(): boolean {
    const i = this.i;
    if (i >= this.n) return false;
    const r = this.r;
    if (i === 0) {
      this.t = r.readUvarint();
      this.vHi = r.readBits(32);
      this.vLo = r.readBits(32);
    } else {
      let delta: number;
      if (i === 1) delta = r.readUvarint();
      else delta = this.tDelta + this.readDod();
      const t = this.t + delta;
      if (!(delta > 0) || !Number.isSafeInteger(t)) {
        throw new ChunkCorruptError(`chunk corrupt: timestamps not increasing at sample ${i}`);
      }
      this.tDelta = delta;
      this.t = t;
      this.readXor();
    }
    this.v = fromHiLo(this.vHi, this.vLo);
    this.i = i + 1;
    return true;
  }

  private readDod(): number {
    const r = this.r;
    if (r.readBit() === 0) return 0;
    // Count the 1s of the prefix '10', '110', '1110', '1111' (one already read).
    let ones = 1;
    while (ones < 4 && r.readBit() === 1) ones++;
    if (ones === 4) {
      const hi = r.readBits(32) | 0;
      return hi * TWO_32 + r.readBits(32);
    }
    const nbits = DOD_BUCKET_BITS[ones];
    const raw = r.readBits(nbits);
    const half = 1 << (nbits - 1);
    return raw >= half ? raw - 2 * half : raw;
  }

  private readXor(): void {
    const r = this.r;
    if (r.readBit() === 0) return; // value unchanged
    if (r.readBit() === 1) {
      const leading = r.readBits(5);
      let sig = r.readBits(6);
      if (sig === 0) sig = 64;
      if (leading + sig > 64) throw new ChunkCorruptError('chunk corrupt: XOR window out of range');
      this.leading = leading;
      this.trailing = 64 - leading - sig;
    } else if (this.leading === NO_WINDOW) {
      throw new ChunkCorruptError('chunk corrupt: XOR window reused before one was set');
    }
    const s = this.trailing;
    const sig = 64 - this.leading - s;
    let hi = 0;
    let lo: number;
    if (sig > 32) {
      hi = r.readBits(sig - 32);
      lo = r.readBits(32);
    } else {
      lo = r.readBits(sig);
    }
    // Shift left by the trailing-zero count back into place.
    if (s >= 32) {
      hi = lo << (s - 32);
      lo = 0;
    } else if (s > 0) {
      hi = (hi << s) | (lo >>> (32 - s));
      lo = lo << s;
    }
    this.vHi = (this.vHi ^ hi) >>> 0;
    this.vLo = (this.vLo ^ lo) >>> 0;
  }
}
