// Memory per active series, measured in a process of its own so nothing else on the heap blurs
// it: 100,000 node_exporter-like series, each with 60 samples in its open chunk. Prints JSON:
// bytes per series beyond the compressed samples, and the compressed bytes per series.
// Run by bench/tsdb.ts as `node --expose-gc --import tsx bench/tsdb-memory.ts`.

import { Labels } from '../src/model/labels.ts';
import { Head } from '../src/tsdb/head/head.ts';

const N = 100_000;
const SAMPLES = 60;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/**
 * Heap plus ArrayBuffer memory, plus the head's open-chunk memory: chunk bytes live outside the JS
 * heap, and WebAssembly memory is not counted in `arrayBuffers`.
 */
function used(head?: Head): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers + (head?.openChunkBytes ?? 0);
}

const before = used();
const head = new Head();
for (let i = 0; i < SAMPLES; i++) {
  const app = head.appender();
  for (let s = 0; s < N; s++) {
    const series =
      i === 0
        ? app.series(
            Labels.from({
              __name__: 'node_network_receive_bytes_total',
              device: `eth${s % 4}`,
              instance: `host-${Math.floor(s / 4)}:9100`,
              job: 'node',
            }),
          )!
        : head.getByRef(s + 1)!;
    app.append(series, 1_700_000_000_000 + i * 15_000, 1000 + i * (s % 7));
  }
  await app.commit();
}
const grown = used(head) - before;
let compressed = 0;
for (const s of head.series()) {
  for (const c of s.sealed) compressed += c.bytes().length;
  if (s.open !== undefined) compressed += s.open.toChunk().bytes().length;
}
if (head.numSeries !== N) throw new Error('series missing');
console.log(JSON.stringify({ perSeries: (grown - compressed) / N, compressedPerSeries: compressed / N }));
