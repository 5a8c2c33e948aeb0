// Shared generators and checks for block tests: a brute-force model of series (labels + samples kept in
// Float64Arrays so NaN payloads survive) and readers that pull samples back out of a SeriesSource.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import type { BlockSeries } from '../../../src/tsdb/block/index.ts';
import { encodeChunk } from '../../../src/tsdb/chunk/encode.ts';
import { fromHiLo, hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import { Matcher, type MatchType } from '../../../src/tsdb/index/matcher.ts';
import type { SeriesSource, StoredSeries } from '../../../src/tsdb/storage.ts';
import { anyValue } from '../chunk/arbitraries.ts';

export interface ModelSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemux-block-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const NAMES = ['__name__', 'a', 'job', 'zone', 'é'];
export const VALUES = ['x', 'y', 'up', 'x y', 'ü', '\u{1F600}', '\uFEFFbom'];

const labelValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  fc.string({ maxLength: 6 }),
);

const labelSet = fc
  .dictionary(fc.constantFrom(...NAMES), labelValue, { minKeys: 1, maxKeys: 4 })
  .map((r) => Labels.from(r))
  .filter((l) => l.size > 0);

/** `n` samples with strictly increasing timestamps in [0, ~2e6] and arbitrary value bits. */
const samples = fc
  .tuple(
    fc.nat({ max: 200_000 }),
    fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), anyValue), { minLength: 1, maxLength: 200 }),
  )
  .map(([start, rows]) => {
    const ts = new Float64Array(rows.length);
    const vs = new Float64Array(rows.length);
    let t = start;
    rows.forEach(([gap, [hi, lo]], i) => {
      t += gap;
      ts[i] = t;
      vs[i] = fromHiLo(hi, lo);
    });
    return { ts, vs };
  });

/** Distinct random series, sorted by labels. */
export const anyModel: fc.Arbitrary<ModelSeries[]> = fc
  .array(fc.tuple(labelSet, samples), { minLength: 1, maxLength: 25 })
  .map((rows) => {
    const byKey = new Map<string, ModelSeries>();
    for (const [labels, s] of rows) byKey.set(labels.key, { labels, ...s });
    return [...byKey.values()].sort((a, b) => Labels.compare(a.labels, b.labels));
  });

export const anyMatcher: fc.Arbitrary<Matcher> = fc
  .tuple(
    fc.constantFrom<MatchType>('=', '!=', '=~', '!~'),
    fc.constantFrom(...NAMES, 'absent'),
    fc.constantFrom('', ...VALUES, 'x|y', '.*', '.+', 'x.*', 'u.|ü'),
  )
  .map(([type, name, value]) => new Matcher(type, name, value));

/** The model's series in [minT, maxT] cut into chunks of `chunkSize`, for writeBlock. */
export function toBlockSeries(
  model: readonly ModelSeries[],
  minT: number,
  maxT: number,
  chunkSize: number,
): BlockSeries[] {
  const out: BlockSeries[] = [];
  for (const s of model) {
    const start = lowerBound(s.ts, minT);
    const end = lowerBound(s.ts, maxT + 1);
    const chunks = [];
    for (let i = start; i < end; i += chunkSize)
      chunks.push(encodeChunk(s.ts, s.vs, Math.min(chunkSize, end - i), i));
    if (chunks.length > 0) out.push({ labels: s.labels, chunks });
  }
  return out;
}

function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The model restricted to [minT, maxT] and `matchers`, without series left empty. */
export function expected(
  model: readonly ModelSeries[],
  matchers: readonly Matcher[],
  minT: number,
  maxT: number,
) {
  const out: ModelSeries[] = [];
  for (const s of model) {
    if (!matchers.every((m) => m.matches(s.labels.get(m.name)))) continue;
    const a = lowerBound(s.ts, minT);
    const b = lowerBound(s.ts, maxT + 1);
    if (b > a) out.push({ labels: s.labels, ts: s.ts.slice(a, b), vs: s.vs.slice(a, b) });
  }
  return out;
}

/** Samples of one stored series in [minT, maxT], checking the chunk list is sorted and in range. */
export function readStored(
  s: StoredSeries,
  minT: number,
  maxT: number,
): { ts: Float64Array; vs: Float64Array } {
  const ts: number[] = [];
  const bits: number[] = [];
  let prevMax = Number.NEGATIVE_INFINITY;
  for (const ref of s.chunks) {
    assert.ok(ref.minT > prevMax, 'chunks sorted and not overlapping');
    assert.ok(ref.maxT >= minT && ref.minT <= maxT, 'only chunks overlapping the range');
    prevMax = ref.maxT;
    const c = ref.chunk();
    assert.equal(c.minT, ref.minT);
    assert.equal(c.maxT, ref.maxT);
    const it = c.iterator();
    while (it.next()) {
      if (it.t < minT || it.t > maxT) continue;
      if (s.deleted?.some((d) => it.t >= d.minT && it.t <= d.maxT)) continue;
      ts.push(it.t);
      // Keep bits, not numbers: a number[] may canonicalise NaN payloads.
      bits.push(hiBits(it.v), loBits(it.v));
    }
  }
  const out = new Float64Array(ts.length);
  for (let i = 0; i < out.length; i++) out[i] = fromHiLo(bits[2 * i], bits[2 * i + 1]);
  return { ts: Float64Array.from(ts), vs: out };
}

/** select() on `src` returns exactly `want` (samples bit for bit; series with nothing in range allowed only if a chunk overlaps). */
export function assertSelect(
  src: SeriesSource,
  matchers: readonly Matcher[],
  minT: number,
  maxT: number,
  want: readonly ModelSeries[],
): void {
  const got = src.select(matchers, minT, maxT);
  for (let i = 1; i < got.length; i++)
    assert.ok(Labels.compare(got[i - 1].labels, got[i].labels) < 0, 'sorted');
  const nonEmpty = got
    .map((s) => ({ labels: s.labels, ...readStored(s, minT, maxT) }))
    .filter((s) => s.ts.length > 0);
  assert.deepEqual(
    nonEmpty.map((s) => s.labels.key),
    want.map((s) => s.labels.key),
  );
  for (const [k, g] of nonEmpty.entries()) assertSameSamples(g, want[k]);
}

export function assertSameSamples(got: { ts: Float64Array; vs: Float64Array }, want: ModelSeries): void {
  assert.deepEqual(Array.from(got.ts), Array.from(want.ts), `timestamps of ${want.labels}`);
  for (let i = 0; i < want.vs.length; i++) {
    if (hiBits(got.vs[i]) !== hiBits(want.vs[i]) || loBits(got.vs[i]) !== loBits(want.vs[i]))
      assert.fail(`value bits differ at ${i} of ${want.labels}`);
  }
}

/** Brute-force labelNames / labelValues over the series of `model` matching `matchers`. */
export function bruteLabelNames(model: readonly ModelSeries[], matchers: readonly Matcher[]): string[] {
  const names = new Set<string>();
  for (const s of model)
    if (matchers.every((m) => m.matches(s.labels.get(m.name))))
      for (const p of s.labels.pairs) names.add(p.name);
  return [...names].sort();
}

export function bruteLabelValues(
  model: readonly ModelSeries[],
  name: string,
  matchers: readonly Matcher[],
): string[] {
  const values = new Set<string>();
  for (const s of model) {
    if (!matchers.every((m) => m.matches(s.labels.get(m.name)))) continue;
    const v = s.labels.get(name);
    if (v !== '') values.add(v);
  }
  return [...values].sort();
}

/** Removes the samples of series matching `matchers` in [minT, maxT] from the model. */
export function deleteFromModel(
  model: readonly ModelSeries[],
  matchers: readonly Matcher[],
  minT: number,
  maxT: number,
) {
  return model.map((s) => {
    if (!matchers.every((m) => m.matches(s.labels.get(m.name)))) return s;
    const keep: number[] = [];
    for (let i = 0; i < s.ts.length; i++) if (s.ts[i] < minT || s.ts[i] > maxT) keep.push(i);
    const ts = new Float64Array(keep.length);
    const vs = new Float64Array(keep.length);
    keep.forEach((j, i) => {
      ts[i] = s.ts[j];
      vs[i] = s.vs[j];
    });
    return { labels: s.labels, ts, vs };
  });
}

export function modelMaxT(model: readonly ModelSeries[]): number {
  let max = 0;
  for (const s of model) if (s.ts.length > 0) max = Math.max(max, s.ts[s.ts.length - 1]);
  return max;
}
