// Sealed chunks' encodings chosen off the append path (ChunkRecoder): the head holds the same samples
// before, during and after a recode, gets the same chunks as when it chooses on the spot, and keeps
// XOR where a recode is lost or arrives after the chunk moved on (cut into a block, deleted).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../../src/model/staleness.ts';
import { Encoding } from '../../../src/tsdb/chunk/chunk.ts';
import type { RecodeRequest } from '../../../src/tsdb/head/chunk-recoder.ts';
import { Head } from '../../../src/tsdb/head/head.ts';
import { createTaskHandler } from '../../../src/tsdb/head/recode-task.ts';

const recodeHere = createTaskHandler();

/** A recode that runs the real task in this thread, answering when `release()` is called. */
function deferredRecoder() {
  const waiting: (() => void)[] = [];
  let batches = 0;
  return {
    recode: (req: RecodeRequest) =>
      new Promise<RecodeRequest>((resolve) => {
        batches++;
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

test('a lost recode leaves XOR chunks; a late one for a cut chunk changes nothing', async () => {
  const lost = new Head();
  lost.offloadRecoding(() => Promise.reject(new Error('worker gone')));
  await fill(lost, 500, (i) => i);
  await nextTurn();
  assert.ok(encodings(lost).every((e) => e === Encoding.XOR));
  assert.equal(samples(lost).length, 500);

  const head = new Head({ blockRangeMs: 3_600_000 });
  const r = deferredRecoder();
  head.offloadRecoding(r.recode);
  await fill(head, 1000, (i) => i);
  await nextTurn();
  const cut = [...head.cutInSlices(head.oldestRange().end, Number.POSITIVE_INFINITY)].flat();
  const left = samples(head);
  r.release();
  await nextTurn();
  assert.deepEqual(samples(head), left);
  assert.ok(
    cut[0].chunks.every((c) => c.encoding === Encoding.XOR),
    'cut chunks stay as they were',
  );
});

test('without a recoder (or after detaching it) chunks are chosen on the spot', async () => {
  const head = new Head();
  head.offloadRecoding(() => Promise.reject(new Error('unused')));
  head.offloadRecoding(undefined);
  await fill(head, 500, (i) => i);
  assert.ok(encodings(head).includes(Encoding.Decimal));
});

test('sealed chunks share slabs only until their recode answers; those that stay XOR get bytes of their own', async () => {
  // Decimal-friendly values, and random bits from sample 600 on, so some chunks stay XOR.
  const value = (i: number) => (i < 600 ? Math.round(i * 1.5 * 10) / 10 : Math.sin(i) * 1e9 + Math.random());
  const head = new Head();
  const r = deferredRecoder();
  head.offloadRecoding(r.recode);
  await fill(head, 1200, value);
  await nextTurn();
  const sealed = () => [...head.series()].flatMap((s) => s.sealed);
  const ownsItsBytes = (c: { bytes(): Uint8Array }) => c.bytes().byteLength === c.bytes().buffer.byteLength;
  // Before the answer: XOR chunks, views of a shared slab.
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
  assert.ok(xor.every(ownsItsBytes), 'an XOR chunk that stays holds no slab');
  // The recoded ones are views of their batch's answer, which they share.
  assert.ok(decimal.every((c) => !ownsItsBytes(c)));
  assert.equal(new Set(decimal.map((c) => c.bytes().buffer)).size, 1);
});
