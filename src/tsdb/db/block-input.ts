// Turning head data into what the block writer takes: per series, chunks in time order that do not
// overlap (out-of-order chunks are merged and re-encoded first).

import type { Labels } from '../../model/labels.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { encodeChunk } from '../chunk/encode.ts';
import { SampleBuffer } from '../head/sample-buffer.ts';
import { SeriesIterator } from '../querier/series-iterator.ts';
import type { ChunkRef } from '../storage.ts';

export interface SeriesChunks {
  readonly labels: Labels;
  readonly chunks: readonly Chunk[];
}

const PER_CHUNK = 120;

export function chunkRef(c: Chunk): ChunkRef {
  return { minT: c.minT, maxT: c.maxT, chunk: () => c };
}

/** An iterator over the samples of `chunks` within [minT, maxT]. */
export function samplesOf(chunks: readonly Chunk[], minT: number, maxT: number): SeriesIterator {
  return new SeriesIterator(chunks.map(chunkRef), minT, maxT);
}

/** The same series with chunks sorted and non-overlapping (re-encoded only when they overlapped). */
export function normalise(s: SeriesChunks): SeriesChunks {
  const sorted = [...s.chunks].sort((a, b) => a.minT - b.minT);
  let overlapping = false;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].minT <= sorted[i - 1].maxT) overlapping = true;
  if (!overlapping) return { labels: s.labels, chunks: sorted };
  const it = samplesOf(s.chunks, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const b = new SampleBuffer(256);
  while (it.next()) b.push(it.t, it.v);
  const chunks: Chunk[] = [];
  for (let i = 0; i < b.n; i += PER_CHUNK)
    chunks.push(encodeChunk(b.ts, b.vs, Math.min(PER_CHUNK, b.n - i), i));
  return { labels: s.labels, chunks };
}
