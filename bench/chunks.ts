// Chunk encodings on a node_exporter-like day (bench/node-dataset.ts): 1,000 series (half counters, half
// decimal gauges), 24 h at a 15 s scrape interval with 1–5 ms of jitter on one scrape in ten, 120 samples
// per chunk. Prints bytes per sample for XOR only, decimal only (where it applies) and the per-chunk best,
// and encode/decode rates on one core. Goals: ≤ 1.0 byte/sample, ≥ 1.5 M appends/s. The "standard" day has
// small counter increments; the "busy" day's cpu-seconds counters grow by up to 15.00 per scrape,
// near-random low digits that no encoding can squeeze, to show how the figure depends on the data.

import { type Chunk, ChunkBuilder, Encoding, encodeDecimal, encodeXor } from '../src/tsdb/chunk/index.ts';
import { type NodeDataset, nodeDataset, SAMPLES, SERIES } from './node-dataset.ts';

const PER_CHUNK = 120;
const BYTES_GOAL = 1.0;
const APPEND_GOAL = 1_500_000;

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function run(): Promise<void> {
  measure('standard day (cpu counters grow 0.00–2.00 per scrape)', nodeDataset('standard'));
  measure('busy day (cpu counters grow 0.00–15.00 per scrape)', nodeDataset('busy'));
}

function measure(name: string, data: NodeDataset): void {
  const total = SERIES * SAMPLES;

  // Size of each encoding on its own, chunk by chunk.
  let xorBytes = 0;
  let decimalBytes = 0;
  let decimalSamples = 0;
  let decimalChunks = 0;
  let chunks = 0;
  for (let s = 0; s < SERIES; s++) {
    for (let i = 0; i < SAMPLES; i += PER_CHUNK) {
      const n = Math.min(PER_CHUNK, SAMPLES - i);
      chunks++;
      xorBytes += encodeXor(data.ts[s], data.values[s], i, n).bytes().length;
      const d = encodeDecimal(data.ts[s], data.values[s], i, n);
      if (d !== undefined) {
        decimalBytes += d.bytes().length;
        decimalSamples += n;
        decimalChunks++;
      }
    }
  }

  // Rates are the better of two rounds, so JIT warm-up and GC of the dataset do not skew them.
  let xorRate = 0;
  let appendRate = 0;
  let decodeRate = 0;
  let best: Chunk[] = [];
  let checksum = 0;
  let decoded = 0;
  for (let round = 0; round < 2; round++) {
    // XOR appender alone (no choice).
    let t0 = performance.now();
    for (let s = 0; s < SERIES; s++) {
      const ts = data.ts[s];
      const vs = data.values[s];
      for (let i = 0; i < SAMPLES; i += PER_CHUNK) encodeXor(ts, vs, i, Math.min(PER_CHUNK, SAMPLES - i));
    }
    xorRate = Math.max(xorRate, total / ((performance.now() - t0) / 1000));

    // The real path: ChunkBuilder appends, cuts every 120 samples and keeps the smaller encoding.
    best = [];
    t0 = performance.now();
    for (let s = 0; s < SERIES; s++) {
      const ts = data.ts[s];
      const vs = data.values[s];
      const b = new ChunkBuilder();
      for (let i = 0; i < SAMPLES; i++) {
        const c = b.append(ts[i], vs[i]);
        if (c !== undefined) best.push(c);
      }
      best.push(b.flush()!);
    }
    appendRate = Math.max(appendRate, total / ((performance.now() - t0) / 1000));

    // Decode everything through the iterators.
    t0 = performance.now();
    checksum = 0;
    decoded = 0;
    for (const c of best) {
      const it = c.iterator();
      while (it.next()) {
        checksum += it.v;
        decoded++;
      }
    }
    decodeRate = Math.max(decodeRate, decoded / ((performance.now() - t0) / 1000));
  }

  let bestBytes = 0;
  let bestDecimal = 0;
  for (const c of best) {
    bestBytes += c.bytes().length;
    if (c.encoding === Encoding.Decimal) bestDecimal++;
  }
  if (decoded !== total || !Number.isFinite(checksum)) throw new Error('decode lost samples');

  const perSample = bestBytes / total;
  console.log(name);
  console.log(
    `  dataset: ${SERIES} series × ${SAMPLES} samples = ${fmt(total)} samples, ${fmt(chunks)} chunks`,
  );
  console.log(`  XOR only:        ${(xorBytes / total).toFixed(3)} bytes/sample`);
  console.log(
    `  decimal only:    ${(decimalBytes / decimalSamples).toFixed(3)} bytes/sample ` +
      `(applies to ${decimalChunks}/${chunks} chunks)`,
  );
  console.log(
    `  best per chunk:  ${perSample.toFixed(3)} bytes/sample (${bestDecimal} decimal, ${best.length - bestDecimal} XOR)` +
      ` — goal ≤ ${BYTES_GOAL}: ${perSample <= BYTES_GOAL ? 'met' : 'MISSED'}`,
  );
  console.log(`  XOR encode:      ${fmt(xorRate)} samples/s`);
  console.log(
    `  append + choose: ${fmt(appendRate)} samples/s — goal ≥ ${fmt(APPEND_GOAL)}: ` +
      `${appendRate >= APPEND_GOAL ? 'met' : 'MISSED'}`,
  );
  console.log(`  decode:          ${fmt(decodeRate)} samples/s`);
}
