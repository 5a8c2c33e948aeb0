// Reads the index file lazily: open loads the symbols and the label table (label value → postings
// offset); series entries and postings lists are fetched with positional reads when asked for, through
// a small read-ahead window so a sorted scan of series does not cost one read each.

import { crc32 } from 'node:zlib';
import { type Label, Labels } from '../../model/labels.ts';
import { ByteReader, uvarintSize } from './bytes.ts';
import { BlockCorruptError } from './errors.ts';
import type { FileReader } from './file-io.ts';
import { HEADER_BYTES, headerProblem, INDEX_MAGIC, TOC_BYTES } from './format.ts';
import { CHUNK_META_FIELDS } from './index-writer.ts';

const WINDOW_BYTES = 64 * 1024;
const NAME = 'index';

interface LabelValues {
  /** Ascending. */
  readonly values: readonly string[];
  readonly offsets: Float64Array;
}

export interface SeriesEntry {
  readonly labels: Labels;
  /** (minT, maxT, ref, dataLength) per chunk, ascending by time. */
  readonly chunks: Float64Array;
}

export class IndexReader {
  readonly #file: FileReader;
  readonly #symbols: readonly string[];
  readonly #table: ReadonlyMap<string, LabelValues>;
  readonly #names: readonly string[];
  readonly #seriesAt: number;
  readonly #postingsAt: number;
  readonly #allAt: number;
  #window = new Uint8Array(0);
  #windowAt = 0;

  constructor(file: FileReader) {
    this.#file = file;
    const header = new Uint8Array(HEADER_BYTES);
    const headerErr = headerProblem(header.subarray(0, file.read(header, 0)), INDEX_MAGIC);
    if (headerErr !== undefined) throw this.#corrupt(headerErr);
    if (file.size < HEADER_BYTES + TOC_BYTES) throw this.#corrupt('truncated: no table of contents');
    const tocAt = file.size - TOC_BYTES;
    const toc = this.#range(tocAt, TOC_BYTES);
    const tr = new ByteReader(NAME, toc, 0, TOC_BYTES);
    const offsets: number[] = [];
    for (let i = 0; i < 5; i++) offsets.push(tr.u32() * 2 ** 32 + tr.u32());
    if (crc32(toc.subarray(0, TOC_BYTES - 4)) !== tr.u32()) throw this.#corrupt('table of contents checksum');
    const [symbolsAt, seriesAt, postingsAt, tableAt, allAt] = offsets;
    if (
      symbolsAt !== HEADER_BYTES ||
      !(symbolsAt <= seriesAt && seriesAt <= postingsAt && postingsAt <= allAt && allAt < tableAt) ||
      tableAt >= tocAt
    )
      throw this.#corrupt('table of contents offsets out of order');
    this.#seriesAt = seriesAt;
    this.#postingsAt = postingsAt;
    this.#allAt = allAt;

    const sr = this.#framed(symbolsAt);
    if (sr.end !== seriesAt) throw this.#corrupt('symbol table length does not match the table of contents');
    const count = sr.r.uvarint();
    if (count > sr.r.remaining) throw this.#corrupt('symbol count exceeds the section');
    const symbols: string[] = new Array(count);
    for (let i = 0; i < count; i++) symbols[i] = sr.r.string();
    this.#symbols = symbols;

    const lt = this.#framed(tableAt);
    if (lt.end !== tocAt) throw this.#corrupt('label table length does not match the table of contents');
    const table = new Map<string, LabelValues>();
    const r = lt.r;
    const nNames = r.uvarint();
    let offset = 0;
    for (let i = 0; i < nNames; i++) {
      const name = this.#symbol(r.uvarint());
      const n = r.uvarint();
      if (n > r.remaining) throw this.#corrupt('label value count exceeds the section');
      const values: string[] = new Array(n);
      const offs = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        values[j] = this.#symbol(r.uvarint());
        offset += r.uvarint();
        if (offset < postingsAt || offset >= allAt) throw this.#corrupt('postings offset out of range');
        offs[j] = offset;
      }
      table.set(name, { values, offsets: offs });
    }
    this.#table = table;
    this.#names = [...table.keys()];
  }

  /** Sorted names of labels with at least one non-empty value. */
  labelNames(): readonly string[] {
    return this.#names;
  }

  /** Sorted values of `name` (empty when no series has it). */
  labelValues(name: string): readonly string[] {
    return this.#table.get(name)?.values ?? [];
  }

  /** Series refs (ascending, i.e. in label order) carrying name=value. */
  postings(name: string, value: string): number[] {
    const lv = this.#table.get(name);
    if (lv === undefined) return [];
    const i = lowerBound(lv.values, value);
    if (i >= lv.values.length || lv.values[i] !== value) return [];
    return this.#readPostings(lv.offsets[i]);
  }

  /** Postings of every value of `name` that `accept` accepts, one list per value. */
  postingsWhere(name: string, accept: (value: string) => boolean): number[][] {
    const lv = this.#table.get(name);
    if (lv === undefined) return [];
    const out: number[][] = [];
    for (let i = 0; i < lv.values.length; i++)
      if (accept(lv.values[i])) out.push(this.#readPostings(lv.offsets[i]));
    return out;
  }

  allPostings(): number[] {
    return this.#readPostings(this.#allAt);
  }

  series(ref: number): SeriesEntry {
    if (ref < this.#seriesAt || ref >= this.#postingsAt)
      throw this.#corrupt(`series ref ${ref} out of range`);
    const { r } = this.#framed(ref);
    const nLabels = r.uvarint();
    if (nLabels > r.remaining) throw this.#corrupt('label count exceeds the series entry');
    const pairs: Label[] = new Array(nLabels);
    for (let i = 0; i < nLabels; i++)
      pairs[i] = { name: this.#symbol(r.uvarint()), value: this.#symbol(r.uvarint()) };
    let labels: Labels;
    try {
      labels = Labels.fromSorted(pairs);
    } catch {
      throw this.#corrupt(`series at ${ref} has unsorted labels`);
    }
    const n = r.uvarint();
    if (n * 4 > r.remaining) throw this.#corrupt('chunk count exceeds the series entry');
    const chunks = new Float64Array(n * CHUNK_META_FIELDS);
    let prevMaxT = 0;
    let prevEnd = 0;
    for (let i = 0; i < n; i++) {
      const minT = i === 0 ? r.uvarint() : prevMaxT + 1 + r.uvarint();
      const maxT = minT + r.uvarint();
      const ref = (i === 0 ? 0 : prevEnd) + r.uvarint();
      const len = r.uvarint();
      chunks[i * 4] = minT;
      chunks[i * 4 + 1] = maxT;
      chunks[i * 4 + 2] = ref;
      chunks[i * 4 + 3] = len;
      prevMaxT = maxT;
      prevEnd = ref + recordBytes(len);
    }
    if (r.remaining !== 0) throw this.#corrupt(`series at ${ref} has trailing bytes`);
    return { labels, chunks };
  }

  close(): void {
    this.#file.close();
  }

  #readPostings(offset: number): number[] {
    const { r } = this.#framed(offset);
    const n = r.uvarint();
    if (n > r.remaining) throw this.#corrupt('postings count exceeds the list');
    const out: number[] = new Array(n);
    let ref = 0;
    for (let i = 0; i < n; i++) {
      ref += r.uvarint();
      out[i] = ref;
    }
    return out;
  }

  #symbol(i: number): string {
    const s = this.#symbols[i];
    if (s === undefined) throw this.#corrupt(`symbol ${i} out of range`);
    return s;
  }

  #corrupt(reason: string): BlockCorruptError {
    return new BlockCorruptError(NAME, reason);
  }

  /** Reads `len uv | body | crc` at `offset`, checks the crc; returns a reader over the body. */
  #framed(offset: number): { r: ByteReader; end: number } {
    const head = this.#range(offset, Math.min(10, this.#file.size - offset));
    const hr = new ByteReader(NAME, head);
    const len = hr.uvarint();
    const total = hr.pos + len + 4;
    if (offset + total > this.#file.size - TOC_BYTES)
      throw this.#corrupt(`entry at ${offset} runs past the end`);
    const bytes = this.#range(offset, total);
    const body = hr.pos;
    const want = new ByteReader(NAME, bytes, body + len, total).u32();
    if (crc32(bytes.subarray(0, body + len)) !== want)
      throw this.#corrupt(`checksum mismatch at offset ${offset}`);
    return { r: new ByteReader(NAME, bytes, body, body + len), end: offset + total };
  }

  /** `n` bytes at `offset`, from the read-ahead window when it holds them. */
  #range(offset: number, n: number): Uint8Array {
    const w = this.#window;
    if (offset >= this.#windowAt && offset + n <= this.#windowAt + w.length)
      return w.subarray(offset - this.#windowAt, offset - this.#windowAt + n);
    if (n < 0 || offset + n > this.#file.size)
      throw this.#corrupt(`read at ${offset} past the end of the file`);
    // A fresh buffer each time: readers handed out earlier keep views into the old one.
    const size = Math.max(n, Math.min(WINDOW_BYTES, this.#file.size - offset));
    const buf = new Uint8Array(size);
    if (this.#file.read(buf, offset) !== size) throw this.#corrupt(`short read at ${offset}`);
    this.#window = buf;
    this.#windowAt = offset;
    return buf.subarray(0, n);
  }
}

function recordBytes(len: number): number {
  return uvarintSize(len) + len + 4;
}

function lowerBound(list: readonly string[], x: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
