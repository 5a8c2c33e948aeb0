// Protobuf wire pieces: a cursor over the bytes (WireCursor, the 1.0 decoder's hot path), and what
// protobufjs' Reader does not give in the form the decoders need: int64 varints as exact JS numbers
// (its int64() returns a Long object) and float64 bytes copied without passing through a JS number,
// so NaN payloads survive. The readers take either.

import { endianness } from 'node:os';
import { RemoteWriteDecodeError } from './errors.ts';

// Float64Array uses the host byte order and protobuf's fixed64 is little-endian; the codec copies bytes
// as they are, so it is only correct on little-endian hosts (every platform Node ships for but s390x).
if (endianness() !== 'LE') throw new Error('remote-write codec needs a little-endian host');

const TWO_32 = 4294967296;

/** What the readers below need of a protobuf reader: protobufjs' Reader and WireCursor both have it. */
export interface WireReader {
  readonly buf: Uint8Array;
  pos: number;
  uint32(): number;
  skipType(wireType: number, depth?: number, fieldNumber?: number): unknown;
}

/** Groups nested deeper than this are refused rather than skipped (as protobufjs does). */
const MAX_GROUP_DEPTH = 100;

/** A protobuf reader over bytes whose every error is a RemoteWriteDecodeError. */
export class WireCursor implements WireReader {
  readonly buf: Uint8Array;
  readonly len: number;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.len = buf.length;
  }

  /** A varint's low 32 bits (as protobuf's uint32 reads it; up to 10 bytes). */
  uint32(): number {
    const buf = this.buf;
    let p = this.pos;
    // Reading past the end gives undefined, which ends the varint; the check after catches it.
    let b = buf[p++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[p++];
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[p++];
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[p++];
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[p++];
            v |= (b & 0x0f) << 28;
            for (let i = 0; b >= 0x80; i++) {
              if (i === 5) throw new RemoteWriteDecodeError('protobuf: a varint is longer than 10 bytes');
              b = buf[p++];
            }
          }
        }
      }
    }
    if (p > this.len) throw truncated('a varint');
    this.pos = p;
    return v >>> 0;
  }

  /** Skips a field's value of `wireType` (a whole group for 3). */
  skipType(wireType: number, depth = 0): void {
    switch (wireType) {
      case 0:
        this.uint32();
        return;
      case 1:
        this.#advance(8);
        return;
      case 2:
        this.#advance(this.uint32());
        return;
      case 5:
        this.#advance(4);
        return;
      case 3:
        if (depth >= MAX_GROUP_DEPTH) throw new RemoteWriteDecodeError('protobuf: groups nested too deep');
        for (;;) {
          const tag = this.uint32();
          if ((tag & 7) === 4) return;
          this.skipType(tag & 7, depth + 1);
        }
      default:
        throw new RemoteWriteDecodeError(`protobuf: invalid wire type ${wireType}`);
    }
  }

  #advance(n: number): void {
    if (this.pos + n > this.len) throw truncated('a field');
    this.pos += n;
  }
}

/** Reads a varint int64 ending at or before `end`; throws unless it is a safe integer. */
export function readInt64(r: WireReader, end: number, what: string): number {
  const buf = r.buf;
  let p = r.pos;
  let lo = 0;
  let hi = 0;
  let b = 0;
  let done = false;
  // Bytes 1–4 carry bits 0–27, byte 5 bits 28–34 (split between the words), bytes 6–10 bits 35–63.
  for (let i = 0; i < 4 && !done; i++) {
    if (p >= end) throw truncated(what);
    b = buf[p++];
    lo |= (b & 0x7f) << (7 * i);
    done = b < 0x80;
  }
  if (!done) {
    if (p >= end) throw truncated(what);
    b = buf[p++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >>> 4;
    done = b < 0x80;
    for (let i = 0; i < 5 && !done; i++) {
      if (p >= end) throw truncated(what);
      b = buf[p++];
      hi |= (b & 0x7f) << (7 * i + 3);
      done = b < 0x80;
    }
    if (!done) throw new RemoteWriteDecodeError(`protobuf: ${what} is a varint longer than 10 bytes`);
  }
  r.pos = p;
  // Exact whenever the true value is a safe integer; anything else rounds to an unsafe one.
  const value = (hi | 0) * TWO_32 + (lo >>> 0);
  if (!Number.isSafeInteger(value))
    throw new RemoteWriteDecodeError(`protobuf: ${what} is beyond ±2^53 and cannot be represented exactly`);
  return value;
}

/** Copies the 8 little-endian bytes of a double into `out` at `offset` (a byte view of a Float64Array). */
export function readDoubleBytes(
  r: WireReader,
  end: number,
  out: Uint8Array,
  offset: number,
  what: string,
): void {
  const p = r.pos;
  if (p + 8 > end) throw truncated(what);
  const buf = r.buf;
  for (let i = 0; i < 8; i++) out[offset + i] = buf[p + i];
  r.pos = p + 8;
}

/** The end offset of a length-delimited field that must fit inside `end`. */
export function readLengthEnd(r: WireReader, end: number, what: string): number {
  const n = r.uint32();
  const stop = r.pos + n;
  if (stop > end) throw new RemoteWriteDecodeError(`protobuf: ${what} (${n} bytes) overruns its message`);
  return stop;
}

export function truncated(what: string): RemoteWriteDecodeError {
  return new RemoteWriteDecodeError(`protobuf: ${what} is truncated`);
}

export function wrongWireType(what: string, wireType: number): RemoteWriteDecodeError {
  return new RemoteWriteDecodeError(`protobuf: ${what} has wrong wire type ${wireType}`);
}
