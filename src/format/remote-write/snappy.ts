// Snappy block format (not framed, as remote_write requires) with a size limit checked against the
// length preamble before the output buffer is allocated. Each block is validated before snappyjs sees
// it: snappyjs 0.7 trusts its input (a literal length with the top bit set makes it loop forever, and a
// short stream silently leaves zeros at the end of the output).

import { compress, uncompress } from 'snappyjs';
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

export function snappyUncompress(block: Uint8Array, maxBytes: number): Uint8Array {
  const length = snappyDecodedLength(block);
  if (length < 0) throw new RemoteWriteDecodeError('snappy: invalid or truncated length preamble');
  if (length > maxBytes)
    throw new RemoteWriteDecodeError(
      `snappy: decompressed length ${length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  validateSnappyBlock(block, length);
  // snappyjs picks its output type from the input type; a plain Uint8Array view keeps it uniform.
  const input =
    Object.getPrototypeOf(block) === Uint8Array.prototype
      ? block
      : new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
  try {
    return uncompress(input);
  } catch (err) {
    throw new RemoteWriteDecodeError(`snappy: corrupt or truncated block (${(err as Error).message})`);
  }
}

/**
 * Walks the block's elements without producing output: every literal must lie inside the input,
 * every copy must refer to bytes already produced, and the total must match the preamble.
 */
function validateSnappyBlock(block: Uint8Array, total: number): void {
  const n = block.length;
  let pos = 0;
  while (block[pos++] >= 0x80); // skip the preamble, already read (it may be padded, e.g. 0x80 0x00)
  let out = 0;
  while (pos < n) {
    const tag = block[pos++];
    let len: number;
    switch (tag & 3) {
      case 0: {
        len = tag >>> 2;
        if (len >= 60) {
          const extra = len - 59; // 1–4 little-endian bytes of (length - 1)
          if (pos + extra > n) throw corrupt('literal length is truncated');
          len = 0;
          for (let i = extra - 1; i >= 0; i--) len = len * 256 + block[pos + i];
          pos += extra;
        }
        len += 1;
        if (pos + len > n) throw corrupt('literal runs past the end of the block');
        pos += len;
        out += len;
        if (out > total) throw corrupt('output is longer than the preamble says');
        continue;
      }
      case 1:
        if (pos + 1 > n) throw corrupt('copy is truncated');
        len = 4 + ((tag >>> 2) & 7);
        checkCopy(((tag >>> 5) << 8) | block[pos], out);
        pos += 1;
        break;
      case 2:
        if (pos + 2 > n) throw corrupt('copy is truncated');
        len = 1 + (tag >>> 2);
        checkCopy(block[pos] | (block[pos + 1] << 8), out);
        pos += 2;
        break;
      default:
        if (pos + 4 > n) throw corrupt('copy is truncated');
        len = 1 + (tag >>> 2);
        checkCopy(
          block[pos] + block[pos + 1] * 0x100 + block[pos + 2] * 0x10000 + block[pos + 3] * 0x1000000,
          out,
        );
        pos += 4;
    }
    out += len;
    if (out > total) throw corrupt('output is longer than the preamble says');
  }
  if (out !== total) throw corrupt(`block holds ${out} bytes, the preamble says ${total}`);
}

function checkCopy(offset: number, out: number): void {
  if (offset === 0 || offset > out) throw corrupt(`copy offset ${offset} is outside the ${out} bytes so far`);
}

function corrupt(why: string): RemoteWriteDecodeError {
  return new RemoteWriteDecodeError(`snappy: corrupt block: ${why}`);
}

export function snappyCompress(data: Uint8Array): Uint8Array {
  return compress(data);
}
