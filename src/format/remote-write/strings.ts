// Strict UTF-8 string reads from the wire: remote_write names and values must be valid UTF-8, and a
// silent U+FFFD replacement would make two different byte strings the same label. Short ASCII strings
// (nearly every label name and most values) go through a small intern table: the same few hundred
// names and values repeat in every request, and comparing bytes is cheaper than creating a string.

import { Buffer, isUtf8 } from 'node:buffer';

/** A Buffer view over the same memory (no copy), for Node's fast string slicing. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const INTERN_MAX_BYTES = 64;
const SLOTS = 4096; // a power of two
const internBytes: (Uint8Array | undefined)[] = new Array(SLOTS).fill(undefined);
const internStrings: string[] = new Array(SLOTS).fill('');

/** The string in `buf[start, end)`, or undefined when the bytes are not valid UTF-8. */
export function readUtf8(buf: Buffer, start: number, end: number): string | undefined {
  const n = end - start;
  if (n <= INTERN_MAX_BYTES) {
    let h = n;
    let i = start;
    for (; i < end; i++) {
      const b = buf[i];
      if (b >= 0x80) break;
      h = Math.imul(h ^ b, 0x01000193); // FNV-1a step
    }
    if (i === end) {
      const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
      const known = internBytes[slot];
      if (known !== undefined && known.length === n && sameBytes(known, buf, start))
        return internStrings[slot];
      const s = buf.toString('latin1', start, end);
      internBytes[slot] = Uint8Array.prototype.slice.call(buf, start, end);
      internStrings[slot] = s;
      return s;
    }
  }
  if (!isUtf8(buf.subarray(start, end))) return undefined;
  return buf.toString('utf8', start, end);
}

function sameBytes(a: Uint8Array, buf: Buffer, start: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}
