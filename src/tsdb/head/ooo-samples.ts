// Out-of-order samples of one series: a small sorted buffer that is sealed into a compressed chunk
// every OOO_CHUNK_SAMPLES samples (Prometheus' OOO head uses 32). Sealed chunks may overlap each
// other and the in-order chunks; readers merge them by time.

import type { Chunk } from '../chunk/chunk.ts';
import { encodeChunk } from '../chunk/encode.ts';
import { AppendStatus } from './append-status.ts';
import { SampleBuffer, sameBits } from './sample-buffer.ts';

export const OOO_CHUNK_SAMPLES = 32;

export class OooSamples {
  readonly buffer = new SampleBuffer(4);
  chunks: Chunk[] = [];

  get minT(): number {
    let m = this.buffer.n > 0 ? this.buffer.ts[0] : Number.POSITIVE_INFINITY;
    for (const c of this.chunks) if (c.minT < m) m = c.minT;
    return m;
  }

  get isEmpty(): boolean {
    return this.buffer.n === 0 && this.chunks.length === 0;
  }

  /** Ok, or whether `t` repeats a sample of the open buffer with the same value or another one. */
  compare(t: number, v: number): AppendStatus {
    const b = this.buffer;
    const i = b.lowerBound(t);
    if (i < b.n && b.ts[i] === t)
      return sameBits(b.vs[i], v) ? AppendStatus.Duplicate : AppendStatus.DuplicateTimestamp;
    return AppendStatus.Ok;
  }

  /** Inserts in time order; a timestamp already in the open buffer is a no-op or a conflict. */
  insert(t: number, v: number): AppendStatus {
    const b = this.buffer;
    const i = b.lowerBound(t);
    if (i < b.n && b.ts[i] === t)
      return sameBits(b.vs[i], v) ? AppendStatus.Duplicate : AppendStatus.DuplicateTimestamp;
    b.insertAt(i, t, v);
    if (b.n >= OOO_CHUNK_SAMPLES) {
      this.chunks.push(encodeChunk(b.ts, b.vs, b.n));
      b.clear();
    }
    return AppendStatus.Ok;
  }

  /** The sealed chunks plus a snapshot of the open buffer. */
  snapshot(): Chunk[] {
    if (this.buffer.n === 0) return this.chunks;
    return [...this.chunks, encodeChunk(this.buffer.ts, this.buffer.vs, this.buffer.n)];
  }

  /**
   * Removes every sample before `boundary` and returns them sorted, de-duplicated by timestamp
   * (the first stored wins). Samples from `boundary` on stay.
   */
  takeBefore(boundary: number): SampleBuffer {
    const all = new SampleBuffer(OOO_CHUNK_SAMPLES);
    for (const c of this.snapshot()) {
      const it = c.iterator();
      while (it.next()) all.push(it.t, it.v);
    }
    const sorted = sortUnique(all);
    const taken = new SampleBuffer(sorted.n);
    this.chunks = [];
    this.buffer.clear();
    for (let i = 0; i < sorted.n; i++) {
      if (sorted.ts[i] < boundary) taken.push(sorted.ts[i], sorted.vs[i]);
      else this.insert(sorted.ts[i], sorted.vs[i]);
    }
    return taken;
  }
}

/** A copy sorted by time (stable), keeping the first sample of each timestamp. */
export function sortUnique(b: SampleBuffer): SampleBuffer {
  const order = Array.from({ length: b.n }, (_, i) => i).sort((x, y) => b.ts[x] - b.ts[y] || x - y);
  const out = new SampleBuffer(b.n);
  for (const i of order) {
    if (out.n > 0 && out.ts[out.n - 1] === b.ts[i]) continue;
    out.push(b.ts[i], b.vs[i]);
  }
  return out;
}
