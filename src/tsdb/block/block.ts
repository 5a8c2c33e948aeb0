// A persistent block opened for reading. Opening reads meta.json, the tombstones, and the index's
// symbols and label table; series entries and postings are read per query, chunk bytes only when a
// ChunkRef's chunk() is called.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chunk } from '../chunk/chunk.ts';
import type { Matcher } from '../index/matcher.ts';
import { difference, intersect, type Postings, unionAll } from '../index/sorted.ts';
import type { ChunkRef, SeriesSource, StoredSeries, TimeRange } from '../storage.ts';
import { ChunkReader } from './chunk-reader.ts';
import { BlockCorruptError } from './errors.ts';
import { type OpenFile, openFileReader } from './file-io.ts';
import { INDEX_FILE, META_FILE, TOMBSTONES_FILE } from './format.ts';
import { IndexReader, type SeriesEntry } from './index-reader.ts';
import { type BlockMeta, readMeta } from './meta.ts';
import { isCovered, Tombstones } from './tombstones.ts';

export interface BlockOpenOptions {
  /** How files are opened for positional reads (tests inject a counting reader). */
  readonly openFile?: OpenFile;
}

/** A chunk of a block, read from disk on every chunk() call (callers keep it if they need it twice). */
class BlockChunkRef implements ChunkRef {
  readonly minT: number;
  readonly maxT: number;
  readonly #reader: ChunkReader;
  readonly #ref: number;
  readonly #length: number;

  constructor(reader: ChunkReader, chunks: Float64Array, i: number) {
    this.minT = chunks[i * 4];
    this.maxT = chunks[i * 4 + 1];
    this.#ref = chunks[i * 4 + 2];
    this.#length = chunks[i * 4 + 3];
    this.#reader = reader;
  }

  chunk(): Chunk {
    return this.#reader.read(this.#ref, this.#length);
  }
}

export class Block implements SeriesSource {
  readonly dir: string;
  readonly meta: BlockMeta;
  readonly #index: IndexReader;
  readonly #chunks: ChunkReader;
  readonly #tombstones: Tombstones;
  #closed = false;

  private constructor(dir: string, meta: BlockMeta, index: IndexReader, chunks: ChunkReader, ts: Tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.#index = index;
    this.#chunks = chunks;
    this.#tombstones = ts;
  }

  /** Opens the block in `dir`. Throws BlockCorruptError naming the damaged file. */
  static open(dir: string, options: BlockOpenOptions = {}): Block {
    const openFile = options.openFile ?? openFileReader;
    const meta = readMeta(dir);
    const tombstones = Tombstones.read(dir);
    let indexFile: ReturnType<OpenFile>;
    try {
      indexFile = openFile(path.join(dir, INDEX_FILE));
    } catch (e) {
      throw new BlockCorruptError(INDEX_FILE, `unreadable: ${(e as Error).message}`);
    }
    let index: IndexReader;
    try {
      index = new IndexReader(indexFile);
    } catch (e) {
      indexFile.close();
      throw e;
    }
    let chunks: ChunkReader;
    try {
      chunks = new ChunkReader(dir, openFile);
    } catch (e) {
      index.close();
      throw e;
    }
    return new Block(dir, meta, index, chunks, tombstones);
  }

  get minT(): number {
    return this.meta.minT;
  }

  get maxT(): number {
    return this.meta.maxT;
  }

  select(matchers: readonly Matcher[], minT: number, maxT: number): StoredSeries[] {
    this.#checkOpen();
    if (maxT < this.meta.minT || minT > this.meta.maxT || minT > maxT) return [];
    const out: StoredSeries[] = [];
    for (const ref of this.#postingsFor(matchers)) {
      const entry = this.#index.series(ref);
      const deleted = this.#tombstones.get(ref);
      const chunks: ChunkRef[] = [];
      const c = entry.chunks;
      for (let i = 0; i < c.length / 4; i++) {
        const cMin = c[i * 4];
        const cMax = c[i * 4 + 1];
        if (cMax < minT || cMin > maxT) continue;
        // A chunk whose every sample is deleted would only make the reader decode it for nothing.
        if (deleted !== undefined && isCovered(deleted, cMin, cMax)) continue;
        chunks.push(new BlockChunkRef(this.#chunks, c, i));
      }
      if (chunks.length === 0) continue;
      const hidden = deleted?.filter((r) => r.maxT >= minT && r.minT <= maxT);
      out.push(
        hidden !== undefined && hidden.length > 0
          ? { labels: entry.labels, chunks, deleted: hidden }
          : { labels: entry.labels, chunks },
      );
    }
    return out;
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    this.#checkOpen();
    if (matchers.length === 0) return [...this.#index.labelNames()];
    const names = new Set<string>();
    for (const ref of this.#postingsFor(matchers))
      for (const p of this.#index.series(ref).labels.pairs) if (p.value !== '') names.add(p.name);
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    this.#checkOpen();
    const all = this.#index.labelValues(name);
    if (matchers.length === 0 || all.length === 0) return [...all];
    const selected = this.#postingsFor(matchers);
    const values = new Set<string>();
    // Reading the selected series costs one entry each; checking every value's postings costs one
    // list each. Take the cheaper path.
    if (selected.length <= all.length) {
      for (const ref of selected) {
        const v = this.#index.series(ref).labels.get(name);
        if (v !== '') values.add(v);
      }
    } else {
      for (const v of all) if (intersect(this.#index.postings(name, v), selected).length > 0) values.add(v);
    }
    return [...values].sort();
  }

  /**
   * Hides the samples in [minT, maxT] of every series matching `matchers` that has data there, by
   * recording tombstones (rewritten atomically). Returns how many series got one.
   */
  delete(matchers: readonly Matcher[], minT: number, maxT: number): number {
    this.#checkOpen();
    const from = Math.max(minT, this.meta.minT);
    const to = Math.min(maxT, this.meta.maxT);
    if (from > to) return 0;
    let n = 0;
    for (const ref of this.#postingsFor(matchers)) {
      const c = this.#index.series(ref).chunks;
      let overlaps = false;
      for (let i = 0; i < c.length / 4 && !overlaps; i++) overlaps = c[i * 4 + 1] >= from && c[i * 4] <= to;
      if (!overlaps) continue;
      this.#tombstones.add(ref, { minT: from, maxT: to });
      n++;
    }
    if (n > 0) this.#tombstones.write(this.dir);
    return n;
  }

  /** Every series with all its chunks and tombstones, in label order (what compaction reads). */
  *allSeries(): Generator<StoredSeries> {
    this.#checkOpen();
    for (const ref of this.#index.allPostings()) {
      const entry: SeriesEntry = this.#index.series(ref);
      const chunks: ChunkRef[] = [];
      for (let i = 0; i < entry.chunks.length / 4; i++)
        chunks.push(new BlockChunkRef(this.#chunks, entry.chunks, i));
      const deleted: readonly TimeRange[] | undefined = this.#tombstones.get(ref);
      yield deleted !== undefined
        ? { labels: entry.labels, chunks, deleted }
        : { labels: entry.labels, chunks };
    }
  }

  /** Bytes the block takes on disk. */
  sizeBytes(): number {
    let n = this.#chunks.sizeBytes;
    for (const f of [INDEX_FILE, META_FILE, TOMBSTONES_FILE]) {
      try {
        n += fs.statSync(path.join(this.dir, f)).size;
      } catch {
        // No tombstones file: nothing deleted.
      }
    }
    return n;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#index.close();
    this.#chunks.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`block ${this.meta.id} is closed`);
  }

  /**
   * Refs of the series matching every matcher, ascending (= label order). Same plan as the head's
   * index: matchers rejecting '' narrow by the union of their values' postings; those accepting ''
   * also select series lacking the label, so they subtract the postings of the values they reject.
   */
  #postingsFor(matchers: readonly Matcher[]): Postings {
    const narrowing: Postings[] = [];
    const subtracting: Matcher[] = [];
    for (const m of matchers) {
      if (m.matchesEmpty) subtracting.push(m);
      else if (m.isEqualityLookup) narrowing.push(this.#index.postings(m.name, m.value));
      else narrowing.push(unionAll(this.#index.postingsWhere(m.name, (v) => m.matches(v))));
    }
    narrowing.sort((a, b) => a.length - b.length);
    let result: Postings = narrowing.length === 0 ? this.#index.allPostings() : narrowing[0];
    for (let i = 1; i < narrowing.length && result.length > 0; i++) result = intersect(result, narrowing[i]);
    for (const m of subtracting) {
      if (result.length === 0) break;
      result = difference(result, unionAll(this.#index.postingsWhere(m.name, (v) => !m.matches(v))));
    }
    return result;
  }
}
