// Snappy block format (not framed, as remote_write requires), decoded in one pass that checks every
// element as it copies it (snappy.wat): a literal must lie inside the input, a copy must refer to
// bytes already produced, and the output must end exactly at the length the preamble announced —
// which is checked against a limit before anything is allocated. (snappyjs, which encodes here,
// trusts its input when decoding: a literal length with the top bit set makes it loop forever, and
// a short stream silently leaves zeros at the end of the output.)

import { compress } from 'snappyjs';
import { ScratchInstances, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { RemoteWriteDecodeError } from './errors.ts';
import { WASM_BYTES } from './snappy-wasm.ts';

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
  return decompress(block, checkedLength(block, maxBytes)).slice();
}

/**
 * {@link snappyUncompress} into memory reused by the next call: for decoders that are done with the
 * bytes before they return (saves allocating and collecting a buffer per request).
 */
export function snappyUncompressTransient(block: Uint8Array, maxBytes: number): Uint8Array {
  return decompress(block, checkedLength(block, maxBytes));
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

// The decoder is WebAssembly (snappy.wat): 4-5 times the speed of the same loop in JS, which took a
// tenth of the main thread's time under remote_write load. Its memory holds the block, then the
// output; it is kept between calls up to 8 MiB, and larger blocks get an instance of their own.
/** The decoder writes up to 7 bytes past the output (it copies 8 bytes at a time). */
const SPARE_BYTES = 8;

interface Decoder {
  readonly memory: WasmMemory;
  readonly decompress: (input: number, n: number, out: number, total: number) => number;
}

const decoders = new ScratchInstances(wasmModule<Decoder>(WASM_BYTES));

/** Decodes `block` (announcing `total` bytes) into a view of the decoder's memory. */
function decompress(block: Uint8Array, total: number): Uint8Array {
  const out = (block.length + 7) & ~7;
  const needed = out + total + SPARE_BYTES;
  const decoder = decoders.take(needed);
  const memory = new Uint8Array(decoder.memory.buffer);
  memory.set(block, 0);
  const produced = decoder.decompress(0, block.length, out, total);
  if (produced !== total) throw corrupt(produced, total);
  return memory.subarray(out, out + total);
}

/** What snappy.wat's `decompress` answers -1, -2, … mean. */
const CORRUPTIONS = [
  'literal length is truncated',
  'literal runs past the end of the block',
  'output is longer than the preamble says',
  'copy is truncated',
  'copy offset is outside the bytes produced so far',
];

/** The error for what `decompress` answered instead of `total`. */
function corrupt(answer: number, total: number): RemoteWriteDecodeError {
  const why =
    answer < 0 ? CORRUPTIONS[-answer - 1] : `block holds ${answer} bytes, the preamble says ${total}`;
  return new RemoteWriteDecodeError(`snappy: corrupt block: ${why}`);
}

export function snappyCompress(data: Uint8Array): Uint8Array {
  return compress(data);
}
