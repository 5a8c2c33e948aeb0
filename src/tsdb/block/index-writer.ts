// Writes the index file (layout in format.ts) once every series' chunks are on disk: the symbol table
// first, so series entries can refer to strings by number, then series, postings, the label table
// and the table of contents.

import { crc32 } from 'node:zlib';
import type { Labels } from '../../model/labels.ts';
import { ByteWriter, uvarintSize } from './bytes.ts';
import { BufferedFileWriter } from './file-io.ts';
import { fileHeader, INDEX_MAGIC } from './format.ts';

/** One series as the index records it; `chunks` holds (minT, maxT, ref, dataLength) per chunk. */
export interface IndexSeries {
  readonly labels: Labels;
  readonly chunks: Float64Array;
}

export const CHUNK_META_FIELDS = 4;

/** Writes and fsyncs `file`; returns its size. */
export function writeIndex(file: string, series: readonly IndexSeries[]): number {
  const symbols = collectSymbols(series);
  const symbolRef = new Map<string, number>();
  for (let i = 0; i < symbols.length; i++) symbolRef.set(symbols[i], i);

  const out = new BufferedFileWriter(file);
  try {
    out.write(fileHeader(INDEX_MAGIC));
    const body = new ByteWriter(1 << 16);
    const framed = new ByteWriter(1 << 16);
    const emit = (): number => {
      const at = out.position;
      writeFramed(out, body, framed);
      body.reset();
      return at;
    };

    body.uvarint(symbols.length);
    for (const s of symbols) body.string(s);
    const symbolsAt = emit();

    // Postings by label pair, filled with each series' entry offset as it is written.
    const postings = new Map<string, Map<string, number[]>>();
    const all: number[] = [];
    const seriesAt = out.position;
    for (const s of series) {
      encodeSeries(body, s, symbolRef);
      const ref = emit();
      all.push(ref);
      for (const { name, value } of s.labels.pairs) {
        // An empty value means no label (as in the head's postings).
        if (value === '') continue;
        let values = postings.get(name);
        if (values === undefined) {
          values = new Map();
          postings.set(name, values);
        }
        const list = values.get(value);
        if (list === undefined) values.set(value, [ref]);
        else list.push(ref);
      }
    }

    const postingsAt = out.position;
    const names = [...postings.keys()].sort();
    const table: { name: string; values: string[]; offsets: number[] }[] = [];
    for (const name of names) {
      const values = postings.get(name)!;
      const sortedValues = [...values.keys()].sort();
      const offsets: number[] = [];
      for (const v of sortedValues) {
        encodePostings(body, values.get(v)!);
        offsets.push(emit());
      }
      table.push({ name, values: sortedValues, offsets });
    }
    encodePostings(body, all);
    const allAt = emit();

    body.uvarint(table.length);
    let prev = 0;
    for (const { name, values, offsets } of table) {
      body.uvarint(symbolRef.get(name)!);
      body.uvarint(values.length);
      for (let i = 0; i < values.length; i++) {
        body.uvarint(symbolRef.get(values[i])!);
        body.uvarint(offsets[i] - prev);
        prev = offsets[i];
      }
    }
    const tableAt = emit();

    const toc = new ByteWriter(64);
    for (const x of [symbolsAt, seriesAt, postingsAt, tableAt, allAt]) {
      toc.u32(Math.floor(x / 2 ** 32));
      toc.u32(x % 2 ** 32);
    }
    toc.u32(crc32(toc.view()));
    out.write(toc.view());
    out.close();
    return out.position;
  } catch (e) {
    out.abort();
    throw e;
  }
}

function collectSymbols(series: readonly IndexSeries[]): string[] {
  const set = new Set<string>();
  for (const s of series) {
    for (const { name, value } of s.labels.pairs) {
      set.add(name);
      set.add(value);
    }
  }
  for (const s of set) {
    // UTF-8 cannot carry lone surrogates: refuse rather than write a different label set.
    if (!s.isWellFormed())
      throw new RangeError(`label string is not well-formed UTF-16: ${JSON.stringify(s)}`);
  }
  return [...set].sort();
}

function encodeSeries(w: ByteWriter, s: IndexSeries, symbolRef: ReadonlyMap<string, number>): void {
  const pairs = s.labels.pairs;
  w.uvarint(pairs.length);
  for (const { name, value } of pairs) {
    w.uvarint(symbolRef.get(name)!);
    w.uvarint(symbolRef.get(value)!);
  }
  const c = s.chunks;
  const n = c.length / CHUNK_META_FIELDS;
  w.uvarint(n);
  let prevMaxT = 0;
  let prevEnd = 0;
  for (let i = 0; i < n; i++) {
    const minT = c[i * 4];
    const maxT = c[i * 4 + 1];
    const ref = c[i * 4 + 2];
    const len = c[i * 4 + 3];
    w.uvarint(i === 0 ? minT : minT - prevMaxT - 1);
    w.uvarint(maxT - minT);
    w.uvarint(i === 0 ? ref : ref - prevEnd);
    w.uvarint(len);
    prevMaxT = maxT;
    prevEnd = ref + uvarintSize(len) + len + 4;
  }
}

function encodePostings(w: ByteWriter, refs: readonly number[]): void {
  w.uvarint(refs.length);
  let prev = 0;
  for (const r of refs) {
    w.uvarint(r - prev);
    prev = r;
  }
}

/** len uv | body | crc over both. */
function writeFramed(out: BufferedFileWriter, body: ByteWriter, scratch: ByteWriter): void {
  scratch.reset();
  scratch.uvarint(body.length);
  const prefix = scratch.view();
  const crc = crc32(body.view(), crc32(prefix));
  out.write(prefix);
  out.write(body.view());
  scratch.reset();
  scratch.u32(crc);
  out.write(scratch.view());
}
