// On-disk housekeeping of the store's directories: opening every block of a directory (leftovers of
// an interrupted write are removed), hard-link copies for snapshots, and the compaction ranges.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Block } from '../block/block.ts';
import { BlockCorruptError } from '../block/errors.ts';
import { isBlockId } from '../block/ids.ts';

const MAX_BLOCK_MS = 31 * 24 * 3600 * 1000;

/** Opens the blocks in `dir`, oldest first. A corrupt block is logged and set aside, not fatal. */
export function openBlocks(dir: string, logger?: { warn(obj: object, msg: string): void }): Block[] {
  fs.mkdirSync(dir, { recursive: true });
  const blocks: Block[] = [];
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name.endsWith('.tmp')) {
      fs.rmSync(p, { recursive: true, force: true });
      continue;
    }
    if (!isBlockId(name)) continue;
    try {
      blocks.push(Block.open(p));
    } catch (err) {
      if (!(err instanceof BlockCorruptError)) throw err;
      logger?.warn({ block: p, reason: err.message }, 'corrupt block set aside (renamed *.corrupt)');
      fs.renameSync(p, `${p}.corrupt`);
    }
  }
  return blocks.sort(byTime);
}

/** The order blocks are kept in: by start, then by id (the older first). */
export function byTime(a: Block, b: Block): number {
  return a.meta.minT - b.meta.minT || a.meta.id.localeCompare(b.meta.id);
}

/** Opens block `id` under `dir` and adds it to `blocks`, kept in {@link byTime} order. */
export function openInto(blocks: Block[], dir: string, id: string): Block {
  const block = Block.open(path.join(dir, id));
  blocks.push(block);
  blocks.sort(byTime);
  return block;
}

/** Hard-links every file of `src` into a new directory `dst` (blocks are immutable, so this is a copy). */
export function linkTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dst, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else fs.linkSync(from, to);
  }
}

/** Block lengths compaction builds, Prometheus-style: ×3 steps up to 10 % of retention or 31 days. */
export function compactionRanges(blockRangeMs: number, retentionMs: number): number[] {
  const max = Math.min(MAX_BLOCK_MS, Math.max(blockRangeMs, retentionMs / 10));
  const ranges = [blockRangeMs];
  while (ranges[ranges.length - 1] * 3 <= max) ranges.push(ranges[ranges.length - 1] * 3);
  return ranges;
}
