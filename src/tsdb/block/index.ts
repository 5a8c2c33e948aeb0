// Persistent blocks: immutable on-disk series data (layout in format.ts), read lazily, compacted
// into larger blocks, with deletions recorded as tombstones.

export { Block, type BlockOpenOptions } from './block.ts';
export { type CompactOptions, compactBlocks } from './compact.ts';
export { listBlockDirs, removeTmpDirs } from './dirs.ts';
export { BlockCorruptError } from './errors.ts';
export type { FileReader, OpenFile } from './file-io.ts';
export { openFileReader } from './file-io.ts';
export { isBlockId, newBlockId } from './ids.ts';
export type { BlockMeta, BlockStats, ExtraMeta, RollupMeta } from './meta.ts';
export { type PlannableMeta, planCompaction } from './plan.ts';
export { mergeIntervals } from './tombstones.ts';
export {
  type BlockChunk,
  type BlockSeries,
  BlockWriteError,
  type WriteBlockInput,
  type WriteBlockOptions,
  writeBlock,
} from './writer.ts';
