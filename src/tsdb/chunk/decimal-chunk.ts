// VictoriaMetrics-style decimal chunk: every value is m / 10^k with one scale k per chunk and integer
// mantissas m, stored as deltas (gauges) or deltas of deltas (counters), whichever is smaller, in a
// per-chunk two-width code. Timestamps go in the same code, either as deltas of deltas or as residuals
// from a regular grid t0 + i·step (a jittered scrape then costs one small residual instead of three
// deltas of deltas), whichever is smaller. Built from a whole batch: the code's widths need every sample.
//
// Layout: tag u8 | bit stream:
//   n uvarint | [n≥1] t0 uvarint, k 5 bits, m0 sign+uvarint
//   | [n≥2] grid bit, t1-t0 or step uvarint, order bit (0 delta, 1 delta of delta), [order 1] m1-m0
//     sign+uvarint, value code header
//   | [grid and n≥2, or n≥3] timestamp code header
//   | per sample i≥1: [grid or i≥2] timestamp residual or dod, [delta or i≥2] mantissa delta or dod

import { BitReader } from './bit-reader.ts';
import { BitWriter } from './bit-writer.ts';
import { type Chunk, Encoding, isValidTimestamp, MAX_CHUNK_SAMPLES, type SampleIterator } from './chunk.ts';
import { fromDecimal, MAX_MANTISSA, MAX_SCALE, mantissaAt, scaleFor } from './decimal.ts';
import { ChunkAppendError, ChunkCorruptError } from './errors.ts';
import { MAX_MAGNITUDE, signedVarintBits, TwoWidthPlan, TwoWidthReader } from './two-width-code.ts';

// Scratch space shared by all encodes (single-threaded), grown on demand.
let mantissas = new Float64Array(128);
let tsDods = new Float64Array(128);
let tsResiduals = new Float64Array(128);
let deltas = new Float64Array(128);
let dods = new Float64Array(128);
// The sample loop's fields (see TwoWidthPlan.fields): timestamp and value code of sample i at i.
let tsFields = new Int32Array(128);
let tsWidths = new Uint8Array(128);
let valueFields = new Int32Array(128);
let valueWidths = new Uint8Array(128);
const tsDodPlan = new TwoWidthPlan();
const tsGridPlan = new TwoWidthPlan();
const deltaPlan = new TwoWidthPlan();
const dodPlan = new TwoWidthPlan();
const writer = new BitWriter(1024);
/** Timestamp dods and grid residuals beyond this are left to XOR; it keeps them inside the code's range. */
const MAX_TIMESTAMP_DIFF = MAX_MAGNITUDE;
/** The grid needs i·step to be exact; chunks spanning more than this (~35,000 years) use dods. */
const MAX_GRID_SPAN = 2 ** 50;

function ensureScratch(n: number): void {
  if (mantissas.length >= n) return;
  mantissas = new Float64Array(n);
  tsDods = new Float64Array(n);
  tsResiduals = new Float64Array(n);
  deltas = new Float64Array(n);
  dods = new Float64Array(n);
  tsFields = new Int32Array(n);
  tsWidths = new Uint8Array(n);
  valueFields = new Int32Array(n);
  valueWidths = new Uint8Array(n);
}

function uvarintBits(x: number): number {
  return signedVarintBits(x) - 1;
}

/** Throws ChunkAppendError unless `ts[start, start+n)` are valid, strictly increasing timestamps. */
export function checkTimestamps(ts: ArrayLike<number>, start: number, n: number): void {
  if (n > MAX_CHUNK_SAMPLES) throw new ChunkAppendError(`too many samples for one chunk: ${n}`);
  // The messages are built outside the loop: a template literal reading ts[i - 1] inside it kept V8
  // from optimising the loop (60× slower on the recoding path).
  for (let i = start; i < start + n; i++) {
    const t = ts[i];
    if (!isValidTimestamp(t)) badTimestamp(t);
    if (i > start && t <= ts[i - 1]) outOfOrder(t, ts[i - 1]);
  }
}

function badTimestamp(t: number): never {
  throw new ChunkAppendError(`invalid timestamp ${t}: need an integer ms ≥ 0`);
}

function outOfOrder(t: number, previous: number): never {
  throw new ChunkAppendError(`out-of-order sample: t=${t} is not after ${previous}`);
}

/**
 * Encodes `n` samples from `start` as a decimal chunk, or returns undefined when some value is not an
 * exact decimal (NaN of any payload, ±Inf, -0, too many digits). Throws ChunkAppendError on bad timestamps.
 */
export function encodeDecimal(
  ts: ArrayLike<number>,
  values: Float64Array,
  start: number,
  n: number,
): DecimalChunk | undefined {
  const bytes = encodeDecimalBytes(ts, values, start, n);
  if (bytes === undefined) return undefined;
  return new DecimalChunk(
    bytes.slice(),
    n,
    n > 0 ? ts[start] : Number.NaN,
    n > 0 ? ts[start + n - 1] : Number.NaN,
  );
}

/**
 * {@link encodeDecimal}'s bytes, as a view of a shared buffer that the next encode overwrites: for
 * callers that compare sizes or copy the bytes elsewhere (a chunk of its own costs an allocation).
 */
export function encodeDecimalBytes(
  ts: ArrayLike<number>,
  values: Float64Array,
  start: number,
  n: number,
): Uint8Array | undefined {
  checkTimestamps(ts, start, n);
  ensureScratch(n);
  // One scale for the chunk: the largest any value needs. Mantissas before the last scale change are redone.
  let scale = 0;
  let redoBefore = 0;
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    let m = mantissaAt(v, scale);
    if (Number.isNaN(m)) {
      scale = scaleFor(v, scale + 1);
      if (scale < 0) return undefined;
      m = mantissaAt(v, scale);
      redoBefore = i;
    }
    mantissas[i] = m;
  }
  for (let i = 0; i < redoBefore; i++) {
    const m = mantissaAt(values[start + i], scale);
    if (Number.isNaN(m)) return undefined;
    mantissas[i] = m;
  }
  for (let i = 2; i < n; i++) {
    const t = start + i;
    const dod = ts[t] - ts[t - 1] - (ts[t - 1] - ts[t - 2]);
    if (!(Math.abs(dod) <= MAX_TIMESTAMP_DIFF)) return undefined;
    tsDods[i] = dod;
    dods[i] = mantissas[i] - mantissas[i - 1] - (mantissas[i - 1] - mantissas[i - 2]);
  }
  for (let i = 1; i < n; i++) deltas[i] = mantissas[i] - mantissas[i - 1];
  // Timestamps: residuals from a grid with the chunk's average step, when that is exact and bounded.
  const t0 = ts[start];
  const span = n > 0 ? ts[start + n - 1] - t0 : 0;
  const step = n > 1 ? Math.max(1, Math.round(span / (n - 1))) : 0;
  let grid = n >= 2 && span <= MAX_GRID_SPAN;
  for (let i = 1; grid && i < n; i++) {
    const r = ts[start + i] - t0 - i * step;
    if (Math.abs(r) > MAX_TIMESTAMP_DIFF) grid = false;
    tsResiduals[i] = r;
  }
  if (grid) {
    const gridBits = tsGridPlan.choose(tsResiduals, 1, n - 1).bits + uvarintBits(step);
    const dodBits = tsDodPlan.choose(tsDods, 2, n - 2).bits + uvarintBits(ts[start + 1] - t0);
    grid = gridBits < dodBits;
  }
  const tsPlan = grid ? tsGridPlan : tsDodPlan;

  const w = writer;
  w.reset();
  w.writeBits(Encoding.Decimal, 8);
  w.writeUvarint(n);
  if (n >= 1) {
    w.writeUvarint(t0);
    w.writeBits(scale, 5);
    w.writeSignedVarint(mantissas[0]);
  }
  let byDod = false;
  if (n >= 2) {
    w.writeBit(grid ? 1 : 0);
    w.writeUvarint(grid ? step : ts[start + 1] - t0);
    deltaPlan.choose(deltas, 1, n - 1);
    dodPlan.choose(dods, 2, n - 2);
    byDod = dodPlan.bits + signedVarintBits(deltas[1]) < deltaPlan.bits;
    w.writeBit(byDod ? 1 : 0);
    if (byDod) {
      w.writeSignedVarint(deltas[1]);
      dodPlan.writeHeader(w);
    } else {
      deltaPlan.writeHeader(w);
    }
  }
  if (grid) tsPlan.writeHeader(w);
  else if (n >= 3) tsPlan.choose(tsDods, 2, n - 2).writeHeader(w);
  if (n < 2) return w.view();
  const valuePlan = byDod ? dodPlan : deltaPlan;
  // Timestamp and value codes of sample 1 are absent without a grid and with dods respectively.
  const tsFrom = grid ? 1 : 2;
  const valueFrom = byDod ? 2 : 1;
  if (
    tsPlan.fields(grid ? tsResiduals : tsDods, tsFrom, n - tsFrom, tsFields, tsWidths, tsFrom) &&
    valuePlan.fields(byDod ? dods : deltas, valueFrom, n - valueFrom, valueFields, valueWidths, valueFrom)
  ) {
    if (!grid) tsWidths[1] = 0;
    if (byDod) valueWidths[1] = 0;
    for (let i = 1; i < n; i++) {
      w.writeBits(tsFields[i], tsWidths[i]);
      w.writeBits(valueFields[i], valueWidths[i]);
    }
    return w.view();
  }
  for (let i = 1; i < n; i++) {
    if (grid) tsPlan.write(w, tsResiduals[i]);
    else if (i >= 2) tsPlan.write(w, tsDods[i]);
    if (!byDod) deltaPlan.write(w, deltas[i]);
    else if (i >= 2) dodPlan.write(w, dods[i]);
  }
  return w.view();
}

export class DecimalChunk implements Chunk {
  readonly encoding = Encoding.Decimal;

  /** Use encodeDecimal or DecimalChunk.fromBytes. */
  constructor(
    private readonly data: Uint8Array,
    readonly numSamples: number,
    readonly minT: number,
    private lastT: number,
  ) {}

  /**
   * Opens serialised bytes (tag included). Only the header is checked here; iteration checks the rest.
   * `maxT`, when the caller knows it, saves decoding every sample the first time it is asked for.
   */
  static fromBytes(bytes: Uint8Array, maxT = Number.NaN): DecimalChunk {
    if (bytes.length < 2) throw new ChunkCorruptError('chunk truncated: missing decimal header');
    if (bytes[0] !== Encoding.Decimal) throw new ChunkCorruptError(`not a decimal chunk (tag ${bytes[0]})`);
    const r = new BitReader(bytes, 8);
    const n = r.readUvarint();
    if (n > MAX_CHUNK_SAMPLES) throw new ChunkCorruptError(`chunk corrupt: ${n} samples`);
    return new DecimalChunk(bytes, n, n > 0 ? r.readUvarint() : Number.NaN, n > 0 ? maxT : Number.NaN);
  }

  get maxT(): number {
    if (this.numSamples > 0 && Number.isNaN(this.lastT)) {
      const it = this.iterator();
      while (it.next()) this.lastT = it.t;
    }
    return this.lastT;
  }

  bytes(): Uint8Array {
    return this.data;
  }

  iterator(): DecimalIterator {
    return new DecimalIterator(this.data);
  }
}

export class DecimalIterator implements SampleIterator {
  t = Number.NaN;
  v = Number.NaN;
  private readonly r: BitReader;
  private readonly n: number;
  private readonly tsCode = new TwoWidthReader();
  private readonly valueCode = new TwoWidthReader();
  private i = 0;
  private scale = 0;
  private byDod = false;
  private grid = false;
  private t0 = 0;
  private step = 0;
  private tDelta = 0;
  private m = 0;
  private mDelta = 0;

  constructor(bytes: Uint8Array) {
    if (bytes.length < 2) throw new ChunkCorruptError('chunk truncated: missing decimal header');
    this.r = new BitReader(bytes, 8);
    this.n = this.r.readUvarint();
    if (this.n > MAX_CHUNK_SAMPLES) throw new ChunkCorruptError(`chunk corrupt: ${this.n} samples`);
  }

  next(): boolean {
    const i = this.i;
    if (i >= this.n) return false;
    const r = this.r;
    if (i === 0) {
      this.t = r.readUvarint();
      this.t0 = this.t;
      this.scale = r.readBits(5);
      if (this.scale > MAX_SCALE) throw new ChunkCorruptError('chunk corrupt: decimal scale out of range');
      this.m = r.readSignedVarint();
    } else {
      if (i === 1) this.readSecondHeader();
      let t: number;
      if (this.grid) t = this.t0 + i * this.step + this.tsCode.read(r);
      else t = this.t + (i === 1 ? this.tDelta : this.tDelta + this.tsCode.read(r));
      const delta = t - this.t;
      if (!(delta > 0) || !Number.isSafeInteger(t)) {
        throw new ChunkCorruptError(`chunk corrupt: timestamps not increasing at sample ${i}`);
      }
      this.tDelta = delta;
      this.t = t;
      if (!this.byDod) this.mDelta = this.valueCode.read(r);
      else if (i >= 2) this.mDelta += this.valueCode.read(r);
      if (!(Math.abs(this.mDelta) <= 2 * MAX_MANTISSA))
        throw new ChunkCorruptError('chunk corrupt: bad delta');
      this.m += this.mDelta;
    }
    if (!(Math.abs(this.m) <= MAX_MANTISSA))
      throw new ChunkCorruptError('chunk corrupt: mantissa out of range');
    this.v = fromDecimal(this.m, this.scale);
    this.i = i + 1;
    return true;
  }

  private readSecondHeader(): void {
    const r = this.r;
    this.grid = r.readBit() === 1;
    if (this.grid) this.step = r.readUvarint();
    else this.tDelta = r.readUvarint();
    this.byDod = r.readBit() === 1;
    if (this.byDod) {
      this.mDelta = r.readSignedVarint();
      if (!(Math.abs(this.mDelta) <= MAX_MAGNITUDE)) throw new ChunkCorruptError('chunk corrupt: bad delta');
    }
    this.valueCode.readHeader(r);
    if (this.grid || this.n >= 3) this.tsCode.readHeader(r);
  }
}
