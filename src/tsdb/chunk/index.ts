// Chunk storage for one series' samples: Gorilla XOR and a decimal alternative, chosen per chunk.

export { BitReader } from './bit-reader.ts';
export { BitWriter } from './bit-writer.ts';
export {
  ChunkBuilder,
  type ChunkBuilderOptions,
  DEFAULT_MAX_SPAN_MS,
  DEFAULT_SAMPLES_PER_CHUNK,
} from './builder.ts';
export { type Chunk, Encoding, MAX_CHUNK_SAMPLES, type SampleIterator } from './chunk.ts';
export { DecimalChunk, DecimalIterator, encodeDecimal } from './decimal-chunk.ts';
export { encodeChunk, encodeXor, openChunk } from './encode.ts';
export { ChunkAppendError, ChunkCorruptError } from './errors.ts';
export { XorChunk, XorIterator } from './xor-chunk.ts';
