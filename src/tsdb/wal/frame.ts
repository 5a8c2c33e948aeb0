// The frame around each record payload:
//
//   u32 LE payload length | u32 LE crc32(payload) | u32 LE crc32(the 8 bytes before it) | payload
//
// The header has its own checksum so that a damaged length is caught before it is trusted: recovery can
// then scan forward byte by byte for the next offset where both checksums hold and resume there. A
// zero-filled tail never verifies (crc32 of 8 zero bytes is not 0), and no payload is empty.

import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 12;
/** Largest payload a u32 length can describe. */
export const MAX_PAYLOAD_BYTES = 0xffffffff;

/** Writes the header for `payload` at `off` in `dst`. */
export function writeFrameHeader(dst: Buffer, off: number, payload: Uint8Array): void {
  dst.writeUInt32LE(payload.length, off);
  dst.writeUInt32LE(crc32(payload), off + 4);
  dst.writeUInt32LE(crc32(dst.subarray(off, off + 8)), off + 8);
}

/** Why the bytes at an offset are not a frame. */
export type FrameFault =
  | 'truncated header'
  | 'zero-filled'
  | 'header checksum mismatch'
  | 'record runs past end of segment'
  | 'payload checksum mismatch';

/** The payload length of the valid frame at `off`, or why there is none. */
export function checkFrame(buf: Buffer, off: number): number | FrameFault {
  const left = buf.length - off;
  if (left < FRAME_HEADER_BYTES) return isZero(buf, off, buf.length) ? 'zero-filled' : 'truncated header';
  const len = buf.readUInt32LE(off);
  if (crc32(buf.subarray(off, off + 8)) !== buf.readUInt32LE(off + 8))
    return isZero(buf, off, off + FRAME_HEADER_BYTES) ? 'zero-filled' : 'header checksum mismatch';
  if (len === 0) return 'header checksum mismatch';
  if (len > left - FRAME_HEADER_BYTES) return 'record runs past end of segment';
  const start = off + FRAME_HEADER_BYTES;
  if (crc32(buf.subarray(start, start + len)) !== buf.readUInt32LE(off + 4))
    return 'payload checksum mismatch';
  return len;
}

/**
 * The first offset ≥ `from` holding a valid frame, or -1. Offsets whose length cannot fit are rejected
 * before any checksum, so scanning garbage stays cheap.
 */
export function findNextFrame(buf: Buffer, from: number): number {
  const last = buf.length - FRAME_HEADER_BYTES - 1;
  for (let off = from; off <= last; off++) {
    const len = buf.readUInt32LE(off);
    if (len === 0 || len > buf.length - off - FRAME_HEADER_BYTES) continue;
    if (typeof checkFrame(buf, off) === 'number') return off;
  }
  return -1;
}

export function isZero(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}
