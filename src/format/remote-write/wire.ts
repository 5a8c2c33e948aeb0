// Protobuf wire pieces protobufjs' Reader does not give in the form the decoder needs: int64 varints
// as exact JS numbers (its int64() returns a Long object) and float64 bytes copied without passing
// through a JS number, so NaN payloads survive.

import { endianness } from 'node:os';
import type { Reader } from 'protobufjs';
import { RemoteWriteDecodeError } from './errors.ts';

// Float64Array uses the host byte order and protobuf's fixed64 is little-endian; the codec copies bytes
// as they are, so it is only correct on little-endian hosts (every platform Node ships for but s390x).
if (endianness() !== 'LE') throw new Error('remote-write codec needs a little-endian host');

const TWO_32 = 4294967296;

/** Reads a varint int64 ending at or before `end`; throws unless it is a safe integer. */
export function readInt64(r: Reader, end: number, what: string): number {
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
export function readDoubleBytes(r: Reader, end: number, out: Uint8Array, offset: number, what: string): void {
  const p = r.pos;
  if (p + 8 > end) throw truncated(what);
  const buf = r.buf;
  for (let i = 0; i < 8; i++) out[offset + i] = buf[p + i];
  r.pos = p + 8;
}

/** The end offset of a length-delimited field that must fit inside `end`. */
export function readLengthEnd(r: Reader, end: number, what: string): number {
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
