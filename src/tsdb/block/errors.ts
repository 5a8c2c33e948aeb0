// The one error a block raises for bad bytes on disk, so callers can quarantine the block instead of
// crashing on whatever a decoder happened to trip over.

export class BlockCorruptError extends Error {
  override readonly name = 'BlockCorruptError';
  /** The file inside the block that is damaged (e.g. `index`, `chunks/000001`). */
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`corrupt block file ${file}: ${reason}`);
    this.file = file;
    this.reason = reason;
  }
}
