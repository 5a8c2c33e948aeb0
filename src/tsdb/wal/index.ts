// The write-ahead log of the embedded store: record codecs, the segmented log, checkpoints.

export { type CheckpointOptions, type CheckpointStats, checkpoint } from './checkpoint.ts';
export { WalCorruptError } from './errors.ts';
export type { WalLogger } from './logger.ts';
export {
  decodeRecord,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  RecordType,
  recordType,
  type WalMetadata,
  type WalSeries,
  type WalTombstone,
  type WalVisitor,
} from './record.ts';
export type { FsyncHook } from './segment-writer.ts';
export { DEFAULT_SEGMENT_BYTES, type FsyncPolicy, type ReplayStats, Wal, type WalOptions } from './wal.ts';
