// Chunk encodings on a node_exporter-like day: 1,000 series (half counters, half decimal gauges), 24 h at
// a 15 s scrape interval with 1–5 ms of jitter on one scrape in ten, 120 samples per chunk. Prints bytes
// per sample for XOR only, decimal only (where it applies) and the per-chunk best, and encode/decode rates
// on one core. Goals: ≤ 1.0 byte/sample, ≥ 1.5 M appends/s. The "standard" day has small counter
// increments; the "busy" day's cpu-seconds counters grow by up to 15.00 per scrape, near-random low digits
// that no encoding can squeeze, to show how the figure depends on the data.

import { type Chunk, ChunkBuilder, Encoding, encodeDecimal, encodeXor } from '../src/tsdb/chunk/index.ts';

const SERIES = 1000;
const SAMPLES = 5760; // 24 h at 15 s
const PER_CHUNK = 120;
const BYTES_GOAL = 1.0;
const APPEND_GOAL = 1_500_000;

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dataset {
  ts: Float64Array[];
  values: Float64Array[];
}

function dataset(maxCpuIncrement: number): Dataset {
  const rand = rng(42);
  const start = 1_700_000_000_000;
  const ts: Float64Array[] = [];
  const values: Float64Array[] = [];
  for (let s = 0; s < SERIES; s++) {
    const t = new Float64Array(SAMPLES);
    const v = new Float64Array(SAMPLES);
    const offset = Math.floor(rand() * 15_000);
    for (let i = 0; i < SAMPLES; i++) {
      // One scrape in ten lands 1–5 ms early or late.
      const jitter = rand() < 0.1 ? Math.round((rand() * 2 - 1) * 5) : 0;
      t[i] = start + offset + i * 15_000 + jitter;
    }
    const kind = s % 4;
    let m = Math.floor(rand() * 1e6);
    for (let i = 0; i < SAMPLES; i++) {
      if (kind === 0) {
        // Integer counter (bytes, packets): small, often zero, increments.
        m += rand() < 0.3 ? 0 : Math.floor(rand() * 50);
        v[i] = m;
      } else if (kind === 1) {
        // Decimal counter (cpu seconds, 2 decimals).
        m += Math.floor(rand() * (maxCpuIncrement * 100 + 1));
        v[i] = m / 100;
      } else if (kind === 2) {
        // 1-decimal gauge (memory MB 1234.5, temperature 58.2): slow random walk, often unchanged.
        if (i === 0) m = 500 + Math.floor(rand() * 20000);
        if (rand() < 0.5) m += Math.floor(rand() * 7) - 3;
        v[i] = m / 10;
      } else {
        // 2-decimal gauge (load average 0.37).
        if (i === 0) m = Math.floor(rand() * 400);
        m = Math.max(0, m + Math.floor(rand() * 21) - 10);
        v[i] = m / 100;
      }
    }
    ts.push(t);
    values.push(v);
  }
  return { ts, values };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function run(): Promise<void> {
  measure('standard day (cpu counters grow 0.00–2.00 per scrape)', dataset(2));
  measure('busy day (cpu counters grow 0.00–15.00 per scrape)', dataset(15));
}

function measure(name: string, data: Dataset): void {
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
