// Record payloads: what one WAL frame carries. The first byte is the record type; the rest is compact
// and columnar, so the head can log a commit straight from its columns and replay can hand samples to a
// visitor without building an object per sample.
//
//   series     1 | uvarint n | n × (uvarint ref | uvarint k | k × (string name | string value))
//   samples    2 | flags | uvarint n | [uvarint ref0 | varint t0 | 8n value bytes (float64 LE) |
//                  (n−1) × (varint ref−ref0 | varint t−t0, or varint t when flags&1)]
//   tombstones 3 | uvarint n | n × (uvarint ref | varint minT | varint maxT)
//   metadata   4 | uvarint n | n × (string family | string type | string help | string unit)
//
// Strings are uvarint byte length + UTF-8. Signed varints are sign-and-magnitude (see ByteWriter), so
// every integer in [−2^53, 2^53] is exact. Values are stored as raw bytes, never as JS numbers in a
// plain array, so NaN payloads such as the staleness marker survive bit for bit.

import { type Label, LabelError, Labels } from '../../model/labels.ts';
import { ByteReader } from './byte-reader.ts';
import { ByteWriter, checkInt, MAX_VARINT } from './byte-writer.ts';
import { WalCorruptError } from './errors.ts';
import { encodeSamplesRecord } from './samples-record.ts';

export const RecordType = { Series: 1, Samples: 2, Tombstones: 3, Metadata: 4 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

/** Flag of a samples record: timestamps are absolute, because some delta to t0 would exceed 2^53. */
const ABSOLUTE_TS = 1;

export interface WalSeries {
  readonly ref: number;
  readonly labels: Labels;
}

export interface WalTombstone {
  readonly ref: number;
  readonly minT: number;
  readonly maxT: number;
}

export interface WalMetadata {
  readonly metricFamily: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** What replay hands records to. Every method is optional; samples arrive one call each, no objects. */
export interface WalVisitor {
  series?(ref: number, labels: Labels): void;
  sample?(ref: number, t: number, v: number): void;
  tombstone?(ref: number, minT: number, maxT: number): void;
  metadata?(m: WalMetadata): void;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const scratch = new ByteWriter();

export function encodeSeries(series: readonly WalSeries[]): Uint8Array {
  const w = scratch;
  w.reset();
  w.ensure(10);
  w.byte(RecordType.Series);
  w.uvarint(series.length);
  for (const s of series) {
    checkInt(s.ref, 'series ref', 0);
    const pairs = s.labels.pairs;
    w.ensure(16);
    w.uvarint(s.ref);
    w.uvarint(pairs.length);
    for (const p of pairs) {
      w.string(p.name);
      w.string(p.value);
    }
  }
  return w.finish();
}

/**
 * Encodes samples `0..n-1` of the columns. Refs are series refs (integers ≥ 0), timestamps integer ms in
 * [−2^53, 2^53]; both are checked. Values are copied as raw bytes.
 */
export function encodeSamples(
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  values: Float64Array,
  n: number,
): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || refs.length < n || ts.length < n || values.length < n)
    throw new RangeError(`encodeSamples: n=${n} exceeds a column's length`);
  return encodeSamplesRecord(refs, ts, values, n) ?? encodeSamplesInJs(refs, ts, values, n);
}

/** {@link encodeSamples} in JS: what the WebAssembly encoder leaves to it, and its reference in tests. */
export function encodeSamplesInJs(
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  values: Float64Array,
  n: number,
): Uint8Array {
  if (!writeSamples(scratch, refs, ts, values, n, false)) writeSamples(scratch, refs, ts, values, n, true);
  return scratch.finish();
}

/** Returns false (and leaves garbage in `w`) when a delta timestamp would be inexact. */
function writeSamples(
  w: ByteWriter,
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  values: Float64Array,
  n: number,
  absolute: boolean,
): boolean {
  w.reset();
  // Worst case: header 1+1+8+8+9, then 8 value bytes and two 9-byte varints per sample.
  w.ensure(27 + n * 26);
  w.byte(RecordType.Samples);
  w.byte(absolute ? ABSOLUTE_TS : 0);
  w.uvarint(n);
  if (n === 0) return true;
  const ref0 = refs[0];
  const t0 = ts[0];
  checkInt(ref0, 'sample ref', 0);
  checkInt(t0, 'timestamp', -MAX_VARINT);
  w.uvarint(ref0);
  w.varint(t0);
  writeValues(w, values, n);
  for (let i = 1; i < n; i++) {
    const ref = refs[i];
    const t = ts[i];
    checkInt(ref, 'sample ref', 0);
    checkInt(t, 'timestamp', -MAX_VARINT);
    w.varint(ref - ref0);
    if (absolute) {
      w.varint(t);
    } else {
      const d = t - t0;
      // Strict: a rounded difference below 2^53 proves the exact one is too.
      if (d >= MAX_VARINT || d <= -MAX_VARINT) return false;
      w.varint(d);
    }
  }
  return true;
}

function writeValues(w: ByteWriter, values: Float64Array, n: number): void {
  const src = new Uint8Array(values.buffer, values.byteOffset, n * 8);
  if (LITTLE_ENDIAN) {
    w.bytes(src);
    return;
  }
  const buf = w.buf;
  for (let i = 0; i < n * 8; i += 8) for (let j = 0; j < 8; j++) buf[w.pos + i + j] = src[i + 7 - j];
  w.pos += n * 8;
}

export function encodeTombstones(tombstones: readonly WalTombstone[]): Uint8Array {
  const w = scratch;
  w.reset();
  w.ensure(10 + tombstones.length * 26);
  w.byte(RecordType.Tombstones);
  w.uvarint(tombstones.length);
  for (const t of tombstones) {
    checkInt(t.ref, 'tombstone ref', 0);
    checkInt(t.minT, 'tombstone minT', -MAX_VARINT);
    checkInt(t.maxT, 'tombstone maxT', -MAX_VARINT);
    w.uvarint(t.ref);
    w.varint(t.minT);
    w.varint(t.maxT);
  }
  return w.finish();
}

export function encodeMetadata(metadata: readonly WalMetadata[]): Uint8Array {
  const w = scratch;
  w.reset();
  w.ensure(10);
  w.byte(RecordType.Metadata);
  w.uvarint(metadata.length);
  for (const m of metadata) {
    w.string(m.metricFamily);
    w.string(m.type);
    w.string(m.help);
    w.string(m.unit);
  }
  return w.finish();
}

/** The type byte of a payload, without decoding the rest. */
export function recordType(bytes: Uint8Array): RecordType {
  const t = bytes[0];
  if (bytes.length === 0 || t < RecordType.Series || t > RecordType.Metadata)
    throw new WalCorruptError(`corrupt record: unknown record type ${bytes.length === 0 ? 'none' : t}`);
  return t as RecordType;
}

/**
 * Decodes one payload and hands its contents to `visitor`, in order; returns how many entries (series,
 * samples, …) it held. Throws WalCorruptError on any malformed payload; the visitor may by then have
 * seen the entries before the damage.
 */
export function decodeRecord(bytes: Uint8Array, visitor: WalVisitor): number {
  const r = new ByteReader(bytes);
  switch (recordType(bytes)) {
    case RecordType.Series:
      r.pos = 1;
      return decodeSeries(r, visitor);
    case RecordType.Samples:
      r.pos = 1;
      return decodeSamples(r, visitor);
    case RecordType.Tombstones:
      r.pos = 1;
      return decodeTombstones(r, visitor);
    case RecordType.Metadata:
      r.pos = 1;
      return decodeMetadata(r, visitor);
  }
}

function decodeSeries(r: ByteReader, visitor: WalVisitor): number {
  const n = r.count(2);
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const k = r.count(2);
    const pairs: Label[] = new Array(k);
    for (let j = 0; j < k; j++) pairs[j] = { name: r.string(), value: r.string() };
    let labels: Labels;
    try {
      labels = Labels.fromSorted(pairs);
    } catch (e) {
      if (e instanceof LabelError) r.fail(`series ${ref}: ${e.message}`);
      throw e;
    }
    visitor.series?.(ref, labels);
  }
  return end(r, n);
}

function decodeSamples(r: ByteReader, visitor: WalVisitor): number {
  const flags = r.byte();
  if (flags & ~ABSOLUTE_TS) r.fail(`unknown samples flags ${flags}`);
  const absolute = flags === ABSOLUTE_TS;
  const n = r.count(9);
  if (n === 0) return end(r, 0);
  const ref0 = r.uvarint();
  const t0 = r.varint();
  if (n * 8 > r.remaining) r.fail(`${n} values run past the end`);
  let vpos = r.pos;
  r.pos += n * 8;
  const sample = visitor.sample;
  sample?.call(visitor, ref0, t0, r.float64At(vpos));
  for (let i = 1; i < n; i++) {
    vpos += 8;
    const ref = ref0 + r.varint();
    const t = absolute ? r.varint() : t0 + r.varint();
    if (ref < 0 || ref > MAX_VARINT) r.fail(`sample ref ${ref} out of range`);
    if (t < -MAX_VARINT || t > MAX_VARINT) r.fail(`timestamp ${t} out of range`);
    sample?.call(visitor, ref, t, r.float64At(vpos));
  }
  return end(r, n);
}

function decodeTombstones(r: ByteReader, visitor: WalVisitor): number {
  const n = r.count(3);
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const minT = r.varint();
    const maxT = r.varint();
    visitor.tombstone?.(ref, minT, maxT);
  }
  return end(r, n);
}

function decodeMetadata(r: ByteReader, visitor: WalVisitor): number {
  const n = r.count(4);
  for (let i = 0; i < n; i++) {
    const m: WalMetadata = { metricFamily: r.string(), type: r.string(), help: r.string(), unit: r.string() };
    visitor.metadata?.(m);
  }
  return end(r, n);
}

/** Trailing bytes mean the payload is not what its type says. */
function end(r: ByteReader, n: number): number {
  if (r.pos !== r.end) r.fail('trailing bytes after record');
  return n;
}
