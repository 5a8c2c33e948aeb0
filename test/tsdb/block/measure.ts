// Figures for the block format: write, open and fully read 1,000 series × 5,760 samples (a day at a
// 15 s interval). Run: node --expose-gc --import tsx test/tsdb/block/measure.ts

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Labels } from '../../../src/model/labels.ts';
import { Block, type BlockSeries, writeBlock } from '../../../src/tsdb/block/index.ts';
import type { Chunk } from '../../../src/tsdb/chunk/chunk.ts';
import { encodeChunk } from '../../../src/tsdb/chunk/encode.ts';

const SERIES = 1000;
const SAMPLES = 5760;
const STEP = 15_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mem = () => {
  for (let i = 0; i < 5; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemux-block-measure-'));
try {
  let chunkBytes = 0;
  function* series(): Generator<BlockSeries> {
    const labels: Labels[] = [];
    for (let k = 0; k < SERIES; k++)
      labels.push(
        Labels.from({
          __name__: `metric_${k % 20}`,
          instance: `host-${k % 50}:9100`,
          job: 'node',
          shard: String(k),
        }),
      );
    labels.sort(Labels.compare);
    const ts = Float64Array.from({ length: SAMPLES }, (_, i) => 1_700_000_000_000 + i * STEP);
    for (const [k, l] of labels.entries()) {
      const vs = new Float64Array(SAMPLES);
      let v = 100 + k;
      for (let i = 0; i < SAMPLES; i++) {
        v += Math.round((Math.random() - 0.5) * 200) / 100;
        vs[i] = v;
      }
      const chunks: Chunk[] = [];
      for (let i = 0; i < SAMPLES; i += 120) {
        const c = encodeChunk(ts, vs, 120, i);
        chunkBytes += c.bytes().length;
        chunks.push(c);
      }
      yield { labels: l, chunks };
    }
  }
  let t0 = performance.now();
  const meta = writeBlock(dir, {
    series: series(),
    minT: 1_700_000_000_000,
    maxT: 1_700_000_000_000 + SAMPLES * STEP,
  });
  const writeMs = performance.now() - t0;
  const blockDir = path.join(dir, meta.id);
  const size = (f: string) => fs.statSync(path.join(blockDir, f)).size;
  const total = size('index') + size('chunks/000001') + size('meta.json');

  // Warm-up open so module and JIT state is not counted as the block's memory.
  Block.open(blockDir).close();
  const before = mem();
  t0 = performance.now();
  const block = Block.open(blockDir);
  const openMs = performance.now() - t0;
  // Averaged over many open copies: one block's footprint is below the GC's noise.
  const extra = Array.from({ length: 49 }, () => Block.open(blockDir));
  const afterOpen = (mem() - before) / 50;
  for (const b of extra) b.close();

  t0 = performance.now();
  let n = 0;
  for (const s of block.select([], block.minT, block.maxT))
    for (const c of s.chunks) for (const it = c.chunk().iterator(); it.next(); ) n++;
  const readMs = performance.now() - t0;
  block.close();

  const fmt = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  console.log(`series ${SERIES} × samples ${SAMPLES} = ${n} read back (${meta.stats.numChunks} chunks)`);
  console.log(`chunk bytes ${fmt(chunkBytes)} (${(chunkBytes / n).toFixed(3)} B/sample)`);
  console.log(
    `on disk ${fmt(total)}: index ${fmt(size('index'))}, chunks file ${fmt(size('chunks/000001'))}`,
  );
  console.log(
    `overhead beyond chunk bytes ${fmt(total - chunkBytes)} (${(((total - chunkBytes) / chunkBytes) * 100).toFixed(2)} %)`,
  );
  console.log(
    `write ${writeMs.toFixed(0)} ms (incl. encoding), open ${openMs.toFixed(2)} ms, full read ${readMs.toFixed(0)} ms`,
  );
  console.log(`memory after open ${fmt(afterOpen)} per open block`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
