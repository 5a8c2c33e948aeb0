// Deleted time ranges per series of a block. Deleting only records ranges (readers hide the samples);
// compaction drops the samples for good. The file is small and rewritten whole, atomically.
//
// File: header (magic TOMBSTONES_MAGIC) | count uv | per series: ref delta uv | n uv
//       | n × (minT f64, maxT f64) | crc u32 over everything before it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import type { TimeRange } from '../storage.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import { BlockCorruptError } from './errors.ts';
import { replaceFileAtomic } from './file-io.ts';
import { fileHeader, HEADER_BYTES, headerProblem, TOMBSTONES_FILE, TOMBSTONES_MAGIC } from './format.ts';

/** Sorted, non-overlapping, non-adjacent intervals covering the same timestamps as `ranges`. */
export function mergeIntervals(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.minT - b.minT);
  const out: { minT: number; maxT: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    // Timestamps are integers, so [1,2] and [3,4] cover the same samples as [1,4].
    if (last !== undefined && r.minT <= last.maxT + 1) last.maxT = Math.max(last.maxT, r.maxT);
    else out.push({ minT: r.minT, maxT: r.maxT });
  }
  return out;
}

/** Whether `t` falls in one of the merged, sorted `ranges`. */
export function isDeleted(ranges: readonly TimeRange[], t: number): boolean {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid].maxT < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < ranges.length && ranges[lo].minT <= t;
}

/** Whether [minT, maxT] lies entirely inside one of the merged `ranges`. */
export function isCovered(ranges: readonly TimeRange[], minT: number, maxT: number): boolean {
  for (const r of ranges) if (r.minT <= minT && maxT <= r.maxT) return true;
  return false;
}

export class Tombstones {
  readonly #bySeries = new Map<number, TimeRange[]>();

  /** The block's tombstones; none when the file does not exist. */
  static read(blockDir: string): Tombstones {
    const t = new Tombstones();
    let data: Uint8Array;
    try {
      data = fs.readFileSync(path.join(blockDir, TOMBSTONES_FILE));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return t;
      throw new BlockCorruptError(TOMBSTONES_FILE, `unreadable: ${(e as Error).message}`);
    }
    const problem = headerProblem(data, TOMBSTONES_MAGIC);
    if (problem !== undefined) throw new BlockCorruptError(TOMBSTONES_FILE, problem);
    if (data.length < HEADER_BYTES + 4) throw new BlockCorruptError(TOMBSTONES_FILE, 'truncated');
    const r = new ByteReader(TOMBSTONES_FILE, data, HEADER_BYTES, data.length - 4);
    const want = new ByteReader(TOMBSTONES_FILE, data, data.length - 4).u32();
    if (crc32(data.subarray(0, data.length - 4)) !== want) throw r.corrupt('checksum mismatch');
    const count = r.uvarint();
    let ref = 0;
    for (let i = 0; i < count; i++) {
      ref += r.uvarint();
      const n = r.uvarint();
      const list: TimeRange[] = [];
      for (let j = 0; j < n; j++) {
        const minT = r.f64();
        const maxT = r.f64();
        if (!Number.isSafeInteger(minT) || !Number.isSafeInteger(maxT) || minT > maxT)
          throw r.corrupt('bad interval');
        list.push({ minT, maxT });
      }
      t.#bySeries.set(ref, mergeIntervals(list));
    }
    if (r.remaining !== 0) throw r.corrupt('trailing bytes');
    return t;
  }

  get size(): number {
    return this.#bySeries.size;
  }

  /** Merged deleted ranges of the series at `ref`, if any. */
  get(ref: number): readonly TimeRange[] | undefined {
    return this.#bySeries.get(ref);
  }

  add(ref: number, range: TimeRange): void {
    this.#bySeries.set(ref, mergeIntervals([...(this.#bySeries.get(ref) ?? []), range]));
  }

  /** Rewrites `<blockDir>/tombstones` atomically. */
  write(blockDir: string): void {
    const w = new ByteWriter(64);
    w.bytes(fileHeader(TOMBSTONES_MAGIC));
    const refs = [...this.#bySeries.keys()].sort((a, b) => a - b);
    w.uvarint(refs.length);
    let prev = 0;
    for (const ref of refs) {
      const list = this.#bySeries.get(ref)!;
      w.uvarint(ref - prev);
      prev = ref;
      w.uvarint(list.length);
      for (const r of list) {
        w.f64(r.minT);
        w.f64(r.maxT);
      }
    }
    w.u32(crc32(w.view()));
    replaceFileAtomic(path.join(blockDir, TOMBSTONES_FILE), w.view().slice());
  }
}
