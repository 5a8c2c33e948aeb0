// One way to rewrite a series' chunks: merge them by time (the chunk listed first wins a repeated
// timestamp), leave out deleted ranges, and encode the result again in runs of at most `perChunk`
// samples that never cross a multiple of `alignMs`. Used when the head cuts out-of-order data into a
// block, when samples are deleted, and when blocks are written.

import type { Chunk } from '../chunk/chunk.ts';
import { encodeRuns } from '../chunk/encode.ts';
import { SampleBuffer } from '../head/sample-buffer.ts';
import type { TimeRange } from '../storage.ts';
import { SeriesIterator } from './series-iterator.ts';

export interface RechunkOptions {
  readonly deleted?: readonly TimeRange[];
  /** Chunks end at multiples of this (the block range), so a block can be cut between them. */
  readonly alignMs?: number;
}

export function rechunk(chunks: readonly Chunk[], perChunk: number, options: RechunkOptions = {}): Chunk[] {
  const it = new SeriesIterator(
    chunks.map((c) => ({ minT: c.minT, maxT: c.maxT, chunk: () => c })),
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    options.deleted,
  );
  const b = new SampleBuffer(256);
  while (it.next()) b.push(it.t, it.v);
  const align = options.alignMs;
  if (align === undefined) return encodeRuns(b.ts, b.vs, b.n, perChunk);
  const out: Chunk[] = [];
  let from = 0;
  for (let i = 1; i <= b.n; i++) {
    if (i < b.n && Math.floor(b.ts[i] / align) === Math.floor(b.ts[from] / align)) continue;
    out.push(...encodeRuns(b.ts.subarray(from, i), b.vs.subarray(from, i), i - from, perChunk));
    from = i;
  }
  return out;
}
