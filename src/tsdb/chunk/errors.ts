// Errors the chunk layer throws, so callers can tell bad input from bad bytes.

/** The bytes are not a valid chunk (truncated, corrupt, or of an unknown encoding). */
export class ChunkCorruptError extends Error {
  override readonly name = 'ChunkCorruptError';
}

/** A sample was appended with a timestamp not after the previous one, or outside the supported range. */
export class ChunkAppendError extends Error {
  override readonly name = 'ChunkAppendError';
}
