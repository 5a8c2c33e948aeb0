// Errors the WAL throws, so callers can tell damaged bytes from misuse.

/** The bytes are not a valid WAL record or frame (truncated, corrupt, or of an unknown type). */
export class WalCorruptError extends Error {
  override readonly name = 'WalCorruptError';
}
