// Snappy block format (not framed, as remote_write requires), decoded in one pass that checks every
// element as it copies it: a literal must lie inside the input, a copy must refer to bytes already
// produced, and the output must end exactly at the length the preamble announced — which is checked
// against a limit before anything is allocated. (snappyjs, which encodes here, trusts its input when
// decoding: a literal length with the top bit set makes it loop forever, and a short stream silently
// leaves zeros at the end of the output.)

import { compress } from 'snappyjs';
import { RemoteWriteDecodeError } from './errors.ts';

/** The uncompressed length a snappy block announces (a varint of at most 32 bits), or -1. */
export function snappyDecodedLength(block: Uint8Array): number {
  let result = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const b = block[i];
    if (i === 4 && b > 0x0f) return -1; // more than 32 bits
    result += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return result;
  }
  return -1;
}

/** Decompresses `block` into a new array. Throws only {@link RemoteWriteDecodeError}. */
export function snappyUncompress(block: Uint8Array, maxBytes: number): Uint8Array {
  return uncompressNew(block, checkedLength(block, maxBytes));
}

function uncompressNew(block: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  decompressInto(block, out, new DataView(out.buffer), length);
  return out;
}

/** Scratch output kept between calls up to this size; larger outputs get an array of their own. */
const KEEP_SCRATCH_BYTES = 4 << 20;
let scratch = new Uint8Array(64 * 1024);
let scratchView = new DataView(scratch.buffer);

/**
 * {@link snappyUncompress} into memory reused by the next call: for decoders that are done with the
 * bytes before they return (saves allocating and collecting a buffer per request).
 */
export function snappyUncompressTransient(block: Uint8Array, maxBytes: number): Uint8Array {
  const length = checkedLength(block, maxBytes);
  if (length > KEEP_SCRATCH_BYTES) return uncompressNew(block, length);
  if (length > scratch.length) {
    scratch = new Uint8Array(Math.max(length, scratch.length * 2));
    scratchView = new DataView(scratch.buffer);
  }
  decompressInto(block, scratch, scratchView, length);
  return scratch.subarray(0, length);
}

function checkedLength(block: Uint8Array, maxBytes: number): number {
  const length = snappyDecodedLength(block);
  if (length < 0) throw new RemoteWriteDecodeError('snappy: invalid or truncated length preamble');
  if (length > maxBytes)
    throw new RemoteWriteDecodeError(
      `snappy: decompressed length ${length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  return length;
}

/** Literals shorter than this are copied byte by byte: cheaper than a call into the runtime. */
const SHORT = 16;

/**
 * Writes the `total` bytes `block` encodes to `out[0, total)` (`view` is a DataView of `out`'s
 * buffer from offset 0); throws on anything malformed.
 */
function decompressInto(block: Uint8Array, out: Uint8Array, view: DataView, total: number): void {
  const n = block.length;
  let pos = 0;
  while (block[pos++] >= 0x80); // the preamble, already read (it may be padded, e.g. 0x80 0x00)
  let o = 0;
  while (pos < n) {
    const tag = block[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59; // 1–4 little-endian bytes of (length - 1)
        if (pos + extra > n) throw corrupt('literal length is truncated');
        len = 0;
        for (let i = extra - 1; i >= 0; i--) len = len * 256 + block[pos + i];
        pos += extra;
      }
      len += 1;
      if (pos + len > n) throw corrupt('literal runs past the end of the block');
      if (o + len > total) throw corrupt('output is longer than the preamble says');
      if (len < SHORT) for (let i = 0; i < len; i++) out[o + i] = block[pos + i];
      else out.set(block.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > n) throw corrupt('copy is truncated');
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | block[pos];
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > n) throw corrupt('copy is truncated');
      len = 1 + (tag >>> 2);
      offset = block[pos] | (block[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw corrupt('copy is truncated');
      len = 1 + (tag >>> 2);
      offset = block[pos] + block[pos + 1] * 0x100 + block[pos + 2] * 0x10000 + block[pos + 3] * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > o) throw corrupt(`copy offset ${offset} is outside the ${o} bytes so far`);
    if (o + len > total) throw corrupt('output is longer than the preamble says');
    // Copies (at most 64 bytes) go forward a word at a time, which stays right when they overlap
    // their source (offset < len: the last `offset` bytes repeated) as long as a word never reads
    // what it writes — 8 bytes for offsets of 8 or more, 4 for 4 to 7, else byte by byte.
    let from = o - offset;
    const end = o + len;
    if (offset >= 8) {
      for (; o + 8 <= end; o += 8, from += 8) {
        view.setUint32(o, view.getUint32(from, true), true);
        view.setUint32(o + 4, view.getUint32(from + 4, true), true);
      }
    }
    if (offset >= 4)
      for (; o + 4 <= end; o += 4, from += 4) view.setUint32(o, view.getUint32(from, true), true);
    while (o < end) out[o++] = out[from++];
  }
  if (o !== total) throw corrupt(`block holds ${o} bytes, the preamble says ${total}`);
}

function corrupt(why: string): RemoteWriteDecodeError {
  return new RemoteWriteDecodeError(`snappy: corrupt block: ${why}`);
}

export function snappyCompress(data: Uint8Array): Uint8Array {
  return compress(data);
}
