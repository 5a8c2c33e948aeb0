// Writes one persistent block (layout: format.ts). Chunks stream to disk as the series are iterated;
// only label sets and 4 numbers per chunk are kept until the index is written, so memory follows
// the number of series and chunks, never the sample data. Everything goes into `<id>.tmp`, is
// fsynced, and appears under its final name with one rename.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Labels } from '../../model/labels.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { fsyncDir, writeFileSynced } from './file-io.ts';
import { CHUNKS_DIR, INDEX_FILE, META_FILE, SEGMENT_MAX_BYTES, TMP_SUFFIX } from './format.ts';
import { newBlockId } from './ids.ts';
import { CHUNK_META_FIELDS, type IndexSeries, writeIndex } from './index-writer.ts';
import { type BlockMeta, type ExtraMeta, encodeMeta } from './meta.ts';

/** What the writer needs of a chunk; any {@link Chunk} will do. */
export type BlockChunk = Pick<Chunk, 'minT' | 'maxT' | 'numSamples' | 'bytes'>;

export interface BlockSeries {
  readonly labels: Labels;
  /** Sorted by minT and not overlapping. Empty chunks are skipped. */
  readonly chunks: readonly BlockChunk[];
}

export interface WriteBlockInput {
  /** Sorted by {@link Labels.compare}, each label set once. Series without samples are left out. */
  readonly series: Iterable<BlockSeries>;
  /** The block's time range, both ends included; every chunk must lie inside it. */
  readonly minT: number;
  readonly maxT: number;
  /** Defaults: level 1, sources [the new id]. */
  readonly meta?: ExtraMeta;
}

export interface WriteBlockOptions {
  /** Chosen by the caller (tests, compaction that must name its output); default: a fresh id. */
  readonly id?: string;
  readonly maxSegmentBytes?: number;
}

export class BlockWriteError extends Error {
  override readonly name = 'BlockWriteError';
}

/** Writes the block under `parentDir/<id>` and returns its meta. Throws BlockWriteError on bad input. */
export function writeBlock(
  parentDir: string,
  input: WriteBlockInput,
  options: WriteBlockOptions = {},
): BlockMeta {
  const { minT, maxT } = input;
  if (!Number.isSafeInteger(minT) || !Number.isSafeInteger(maxT) || minT > maxT)
    throw new BlockWriteError(`bad block range [${minT}, ${maxT}]`);
  const id = options.id ?? newBlockId();
  const tmp = path.join(parentDir, id + TMP_SUFFIX);
  const final = path.join(parentDir, id);
  if (fs.existsSync(final)) throw new BlockWriteError(`block ${id} already exists`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, CHUNKS_DIR), { recursive: true });

  const chunks = new ChunkWriter(path.join(tmp, CHUNKS_DIR), options.maxSegmentBytes ?? SEGMENT_MAX_BYTES);
  try {
    const series: IndexSeries[] = [];
    let numChunks = 0;
    let numSamples = 0;
    let prev: Labels | undefined;
    for (const s of input.series) {
      if (prev !== undefined && Labels.compare(prev, s.labels) >= 0)
        throw new BlockWriteError(`series not sorted or repeated: ${s.labels} after ${prev}`);
      prev = s.labels;
      const metas: number[] = [];
      let lastMaxT = Number.NEGATIVE_INFINITY;
      for (const c of s.chunks) {
        if (c.numSamples === 0) continue;
        if (
          !Number.isSafeInteger(c.minT) ||
          c.minT < 0 ||
          !(c.minT <= c.maxT) ||
          !Number.isSafeInteger(c.maxT)
        )
          throw new BlockWriteError(`bad chunk range [${c.minT}, ${c.maxT}] in ${s.labels}`);
        if (c.minT <= lastMaxT) throw new BlockWriteError(`chunks of ${s.labels} overlap or are unsorted`);
        if (c.minT < minT || c.maxT > maxT)
          throw new BlockWriteError(`chunk [${c.minT}, ${c.maxT}] of ${s.labels} outside the block range`);
        lastMaxT = c.maxT;
        const data = c.bytes();
        metas.push(c.minT, c.maxT, chunks.write(data), data.length);
        numSamples += c.numSamples;
      }
      if (metas.length === 0) continue;
      numChunks += metas.length / CHUNK_META_FIELDS;
      series.push({ labels: s.labels, chunks: Float64Array.from(metas) });
    }
    chunks.close();
    fsyncDir(path.join(tmp, CHUNKS_DIR));
    writeIndex(path.join(tmp, INDEX_FILE), series);

    const extra = input.meta ?? {};
    const meta: BlockMeta = {
      version: 1,
      id,
      minT,
      maxT,
      stats: { numSeries: series.length, numChunks, numSamples },
      level: extra.level ?? 1,
      sources: extra.sources !== undefined ? [...extra.sources] : [id],
      ...(extra.rollup !== undefined ? { rollup: { ...extra.rollup } } : {}),
    };
    writeFileSynced(path.join(tmp, META_FILE), encodeMeta(meta));
    fsyncDir(tmp);
    fs.renameSync(tmp, final);
    fsyncDir(parentDir);
    return meta;
  } catch (e) {
    chunks.abort();
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
