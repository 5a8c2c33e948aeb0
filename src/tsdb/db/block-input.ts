// Turning head data into what the block writer takes: per series, chunks in time order that do not
// overlap (out-of-order chunks are merged and re-encoded first).

import type { Labels } from '../../model/labels.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { rechunk } from '../querier/rechunk.ts';
import { SeriesIterator } from '../querier/series-iterator.ts';
import type { ChunkRef } from '../storage.ts';

export interface SeriesChunks {
  readonly labels: Labels;
  readonly chunks: readonly Chunk[];
}

/**
 * Samples per chunk in blocks. The head cuts chunks at 120 samples (Prometheus' figure, cheap to
 * append and to read while fresh); a block re-encodes each series' samples into chunks of up to
 * this many — a 2 h block range at a 15 s interval is one chunk of 480 — because every chunk costs
 * a header, its framing and CRC, and an index entry: at 120 samples that is ~0.12 byte per sample,
 * at 480 about a quarter of it (docs/benchmarks.md). Reading a short range decodes at most this many.
 */
export const BLOCK_CHUNK_SAMPLES = 1024;

export function chunkRef(c: Chunk): ChunkRef {
  return { minT: c.minT, maxT: c.maxT, chunk: () => c };
}

/** An iterator over the samples of `chunks` within [minT, maxT]. */
export function samplesOf(chunks: readonly Chunk[], minT: number, maxT: number): SeriesIterator {
  return new SeriesIterator(chunks.map(chunkRef), minT, maxT);
}

/**
 * The same series as sorted, non-overlapping chunks of up to `perChunk` samples, each in the
 * smaller encoding (out-of-order chunks are merged by time; the first-listed wins on a tie).
 */
export function normalise(s: SeriesChunks, perChunk = BLOCK_CHUNK_SAMPLES): SeriesChunks {
  return { labels: s.labels, chunks: rechunk(s.chunks, perChunk) };
}
