// Sealed chunks' encodings chosen off the append path (ChunkRecoder): the head holds the same samples
// before, during and after a recode, gets the same chunks as when it chooses on the spot, and keeps
// XOR where a recode is lost. A recode that answers after its chunk left the head (cut into a
// block) still moves it, to the same samples.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../../src/model/staleness.ts';
import { type Chunk, Encoding } from '../../../src/tsdb/chunk/chunk.ts';
import { OpenChunkMemory } from '../../../src/tsdb/chunk/open-chunk-memory.ts';
import { OpenXorChunk } from '../../../src/tsdb/chunk/open-xor-chunk.ts';
import { type PackedSeries, packSeries, unpackSeries } from '../../../src/tsdb/db/maintenance-jobs.ts';
import { ChunkRecoder, type RecodeRequest } from '../../../src/tsdb/head/chunk-recoder.ts';
import { Head } from '../../../src/tsdb/head/head.ts';
import { createTaskHandler } from '../../../src/tsdb/head/recode-task.ts';

const recodeHere = createTaskHandler();

/** A recode that runs the real task in this thread, answering when `release()` is called. */
function deferredRecoder() {
  const waiting: (() => void)[] = [];
  let batches = 0;
  /** The chunks of each batch, in the order they were sent. */
  const chunks: number[] = [];
  return {
    chunks,
    recode: (req: RecodeRequest) =>
      new Promise<RecodeRequest>((resolve) => {
        batches++;
        chunks.push(req.ends.length);
        // Through structuredClone, as across a thread boundary.
        const out = recodeHere(structuredClone(req)).value as RecodeRequest;
        waiting.push(() => resolve(out));
      }),
    release: () => {
      for (const w of waiting.splice(0)) w();
    },
    get batches() {
      return batches;
    },
  };
}

const nextTurn = () => new Promise((r) => setTimeout(r, 40));

async function fill(head: Head, n: number, value: (i: number) => number) {
  const app = head.appender();
  const s = app.series(Labels.from({ __name__: 'x' }))!;
  for (let i = 0; i < n; i++) app.append(s, 1000 + i * 15_000, value(i));
  await app.commit();
  return s;
}

function samples(head: Head): [number, bigint][] {
  const out: [number, bigint][] = [];
  for (const s of head.select([], -1e15, 1e15))
    for (const c of s.chunks) {
      const it = c.chunk().iterator();
      while (it.next()) out.push([it.t, float64Bits(it.v)]);
    }
  return out;
}

const encodings = (head: Head) => [...head.series()].flatMap((s) => s.sealed.map((c) => c.encoding));

test('offloaded: XOR until the recode answers, then the same chunks as choosing on the spot', async () => {
  // Decimal-friendly values (and a staleness marker, which keeps one chunk XOR).
  const value = (i: number) => (i === 130 ? STALE_NAN : Math.round(i * 1.5 * 10) / 10);
  const spot = new Head();
  await fill(spot, 1000, value);
  const head = new Head();
  const r = deferredRecoder();
  const recoder = head.offloadRecoding(r.recode)!;
  await fill(head, 1000, value);
  const before = samples(head);
  assert.deepEqual(before, samples(spot));
  assert.ok(encodings(head).every((e) => e === Encoding.XOR));
  await nextTurn();
  assert.equal(r.batches, 1, 'one batch for the chunks sealed together');
  r.release();
  await nextTurn();
  assert.deepEqual(encodings(head), encodings(spot));
  assert.ok(encodings(head).includes(Encoding.Decimal));
  assert.ok(recoder.recoded > 0);
  assert.deepEqual(samples(head), before);
  // Each recoded chunk knows its time range without decoding (the XOR chunk's, passed on).
  const ranges = (h: Head) =>
    [...h.series()].flatMap((s) => s.sealed.map((c) => [c.minT, c.maxT, c.numSamples]));
  assert.deepEqual(ranges(head), ranges(spot));
});

test('a lost recode leaves XOR chunks; a late one for a cut chunk keeps its samples', async () => {
  const lost = new Head();
  lost.offloadRecoding(() => Promise.reject(new Error('worker gone')));
  await fill(lost, 500, (i) => i);
  await nextTurn();
  assert.ok(encodings(lost).every((e) => e === Encoding.XOR));
  assert.equal(samples(lost).length, 500);

  const { head, r, cut } = await cutBeforeTheAnswer();
  const cutSamples = () => chunkSamples(cut[0].chunks);
  const before = cutSamples();
  assert.ok(cut[0].chunks.every((c) => c.encoding === Encoding.XOR));
  // Packed for the block job before the answer, and again after it.
  const packedBefore = await packSeries(cut, 1);
  const left = samples(head);
  r.release();
  await nextTurn();
  assert.deepEqual(samples(head), left);
  assert.ok(cut[0].chunks.some((c) => c.encoding === Encoding.Decimal));
  assert.deepEqual(cutSamples(), before);
  assert.deepEqual(unpackedSamples(packedBefore), before);
  assert.deepEqual(unpackedSamples(await packSeries(cut, 1)), before);
});

test('a chunk that moves while it is being packed keeps its samples', async () => {
  const { r, cut } = await cutBeforeTheAnswer();
  // Two series per turn, and the answer lands between the size pass and the copy pass.
  const twice = [...cut, ...cut, ...cut];
  const packing = packSeries(twice, 2);
  r.release();
  const packed = await packing;
  assert.ok(
    cut[0].chunks.some((c) => c.encoding === Encoding.Decimal),
    'moved meanwhile',
  );
  const one = unpackedSamples(await packSeries(cut, 1));
  assert.deepEqual(unpackedSamples(packed), [...one, ...one, ...one]);
});

/** A head's oldest block range cut while the recode of its chunks waits for `r.release()`. */
async function cutBeforeTheAnswer() {
  const head = new Head({ blockRangeMs: 3_600_000 });
  const r = deferredRecoder();
  head.offloadRecoding(r.recode);
  await fill(head, 1000, (i) => i);
  await nextTurn();
  const cut = [...head.cutInSlices(head.oldestRange().end, Number.POSITIVE_INFINITY)].flat();
  return { head, r, cut };
}

function chunkSamples(chunks: readonly Chunk[]): number[][] {
  const out: number[][] = [];
  for (const c of chunks) {
    const it = c.iterator();
    while (it.next()) out.push([it.t, it.v]);
  }
  return out;
}

function unpackedSamples(p: PackedSeries): number[][] {
  return chunkSamples(unpackSeries(p).flatMap((s) => s.chunks));
}

test('without a recoder (or after detaching it) chunks are chosen on the spot', async () => {
  const head = new Head();
  head.offloadRecoding(() => Promise.reject(new Error('unused')));
  head.offloadRecoding(undefined);
  await fill(head, 500, (i) => i);
  assert.ok(encodings(head).includes(Encoding.Decimal));
});

test("sealed chunks share their batch's buffer until the answer; those that stay XOR get bytes of their own", async () => {
  // Decimal-friendly values, and random bits from sample 600 on, so some chunks stay XOR.
  const value = (i: number) => (i < 600 ? Math.round(i * 1.5 * 10) / 10 : Math.sin(i) * 1e9 + Math.random());
  const head = new Head();
  const r = deferredRecoder();
  head.offloadRecoding(r.recode);
  await fill(head, 1200, value);
  await nextTurn();
  const sealed = () => [...head.series()].flatMap((s) => s.sealed);
  const ownsItsBytes = (c: { bytes(): Uint8Array }) => c.bytes().byteLength === c.bytes().buffer.byteLength;
  // Before the answer: XOR chunks, views of the batch they were sealed into.
  assert.ok(sealed().length >= 9);
  assert.ok(sealed().every((c) => c.encoding === Encoding.XOR && !ownsItsBytes(c)));
  r.release();
  await nextTurn();
  const after = sealed();
  const xor = after.filter((c) => c.encoding === Encoding.XOR);
  const decimal = after.filter((c) => c.encoding === Encoding.Decimal);
  assert.ok(
    xor.length > 0 && decimal.length > 0,
    `${xor.length} XOR, ${decimal.length} decimal of ${after.length}`,
  );
  assert.ok(xor.every(ownsItsBytes), 'an XOR chunk that stays holds no batch');
  // The recoded ones are views of their batch's answer, which they share.
  assert.ok(decimal.every((c) => !ownsItsBytes(c)));
  assert.equal(new Set(decimal.map((c) => c.bytes().buffer)).size, 1);
});

test('more chunks than a batch holds, and a chunk larger than a batch, go in batches of their own', async () => {
  // 1,100 series sealing in one commit: the batches grow from a few chunks (as when seals trickle
  // in) to 512 at most.
  const head = new Head();
  const r = deferredRecoder();
  const recoder = head.offloadRecoding(r.recode)!;
  const app = head.appender();
  for (let k = 0; k < 1100; k++) {
    const s = app.series(Labels.from({ __name__: 'x', k: String(k) }))!;
    for (let i = 0; i < 121; i++) app.append(s, 1000 + i * 15_000, Math.round((k + i) * 1.5 * 10) / 10);
  }
  await app.commit();
  await nextTurn();
  assert.equal(
    r.chunks.reduce((a, b) => a + b, 0),
    1100,
  );
  assert.ok(
    r.chunks.every((n) => n <= 512),
    `${r.chunks}`,
  );
  assert.ok(r.batches <= 7, `${r.batches} batches: ${r.chunks}`);
  for (let i = 1; i < r.batches - 1; i++) assert.ok(r.chunks[i] > r.chunks[i - 1], `growing: ${r.chunks}`);
  const before = samples(head);
  r.release();
  await nextTurn();
  assert.equal(recoder.recoded, 1100);
  assert.ok(encodings(head).every((e) => e === Encoding.Decimal));
  assert.deepEqual(samples(head), before);

  // 65,000 random values of changing sign: a chunk of ~620 KB, more than a batch's usual buffer.
  const big = new Head({ samplesPerChunk: 65_000, blockRangeMs: 1e12 });
  const rb = deferredRecoder();
  big.offloadRecoding(rb.recode);
  await fill(big, 65_001, (i) => (i % 2 === 0 ? 1 : -1) * Math.random());
  await nextTurn();
  const [chunk] = [...big.series()][0].sealed;
  assert.ok(chunk.bytes().length > 512 * 1024, `${chunk.bytes().length} bytes`);
  const beforeBig = samples(big);
  rb.release();
  await nextTurn();
  assert.equal(rb.batches, 1);
  assert.equal(chunk.encoding, Encoding.XOR);
  assert.deepEqual(samples(big), beforeBig);
});

/** An open chunk of 120 samples 15 s apart, with `value(i)` as the values. */
function filledOpenChunk(value: (i: number) => number): OpenXorChunk {
  const open = new OpenXorChunk(new OpenChunkMemory());
  const t = new Float64Array(1);
  const v = new Float64Array(1);
  for (let i = 0; i < 120; i++) {
    t[0] = 1000 + i * 15_000;
    v[0] = value(i);
    open.appendAt(t, v, 0);
  }
  return open;
}

test('batch buffers follow the rate of seals: small for a trickle, growing for a burst', async () => {
  const r = deferredRecoder();
  const recoder = new ChunkRecoder(r.recode);
  const open = filledOpenChunk((i) => i * 0.5);
  const bufferSize = (c: Chunk) => c.bytes().buffer.byteLength;
  // One chunk, alone in its window: a 16 KiB batch, not a burst's 512 KiB.
  const alone = recoder.seal(open);
  assert.equal(bufferSize(alone), 16 * 1024);
  await nextTurn();
  // A burst in one turn: each batch that fills doubles the next, up to 512 KiB.
  const burst = Array.from({ length: 3000 }, () => recoder.seal(open));
  const sizes = [...new Set(burst.map(bufferSize))];
  assert.deepEqual(
    sizes.slice(0, 6),
    [16, 32, 64, 128, 256, 512].map((k) => k * 1024),
  );
  assert.ok(sizes.every((b) => b <= 512 * 1024));
  await nextTurn();
  // Trickling again: back to small batches within a window or two.
  recoder.seal(open);
  await nextTurn();
  const later = recoder.seal(open);
  assert.equal(bufferSize(later), 16 * 1024);
  await nextTurn();
  r.release();
  await nextTurn();
  assert.equal(
    recoder.recoded,
    r.chunks.reduce((a, b) => a + b, 0),
  );
  for (const c of [alone, later, burst[0], burst[2999]]) {
    const it = c.iterator();
    for (let i = 0; i < 120; i++) {
      assert.ok(it.next());
      assert.deepEqual([it.t, it.v], [1000 + i * 15_000, i * 0.5]);
    }
    assert.ok(!it.next());
  }
});

test('beyond the chunks it may keep waiting, a recoder seals XOR for good', async () => {
  const sealedAlone = filledOpenChunk;
  const r = deferredRecoder();
  const recoder = new ChunkRecoder(r.recode, 2);
  const sealed = [0, 1, 2, 3].map(() => recoder.seal(sealedAlone((i) => i * 0.5)));
  // The first two wait for the recode (in the batch's buffer); the rest stay XOR, with bytes of
  // their own, though decimal would be smaller.
  const ownsItsBytes = (c: Chunk) => c.bytes().buffer.byteLength === c.bytes().length;
  assert.ok(sealed.every((c) => c.encoding === Encoding.XOR));
  assert.deepEqual(sealed.map(ownsItsBytes), [false, false, true, true]);
  await nextTurn();
  r.release();
  await nextTurn();
  assert.equal(recoder.recoded, 2);
  assert.deepEqual(
    sealed.map((c) => c.encoding),
    [Encoding.Decimal, Encoding.Decimal, Encoding.XOR, Encoding.XOR],
  );
  for (const c of sealed) {
    const it = c.iterator();
    for (let i = 0; i < 120; i++) {
      assert.ok(it.next());
      assert.deepEqual([it.t, it.v], [1000 + i * 15_000, i * 0.5]);
    }
    assert.ok(!it.next());
  }
});
