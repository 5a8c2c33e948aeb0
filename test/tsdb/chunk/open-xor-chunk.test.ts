// The head's open chunks (WebAssembly appends into one shared memory) write exactly the bytes the
// JS XorChunk writes for the same samples — every timestamp bucket and XOR window, NaN payloads
// included — and many of them side by side, growing, released and replaced, never touch each
// other's bytes. Appends that must fail fail as XorChunk's do.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CopySlab } from '../../../src/tsdb/chunk/copy-slab.ts';
import { ChunkAppendError } from '../../../src/tsdb/chunk/errors.ts';
import { fromHiLo } from '../../../src/tsdb/chunk/float-bits.ts';
import { OpenChunkMemory } from '../../../src/tsdb/chunk/open-chunk-memory.ts';
import { OpenXorChunk } from '../../../src/tsdb/chunk/open-xor-chunk.ts';
import { XorChunk } from '../../../src/tsdb/chunk/xor-chunk.ts';
import { xorSamples as samples, xorValue as value } from './arbitraries.ts';

const ONE_T = new Float64Array(1);
const ONE_V = new Float64Array(1);
function appendTo(chunk: OpenXorChunk, t: number, v: number): void {
  ONE_T[0] = t;
  ONE_V[0] = v;
  chunk.appendAt(ONE_T, ONE_V, 0);
}

test('the bytes are XorChunk’s for the same samples, after every append', () => {
  fc.assert(
    fc.property(samples, (rows) => {
      const memory = new OpenChunkMemory();
      const open = new OpenXorChunk(memory);
      const reference = new XorChunk();
      for (const [t, v] of rows) {
        appendTo(open, t, v);
        reference.append(t, v);
        assert.deepEqual(open.toChunk().bytes(), reference.bytes());
      }
      assert.equal(open.numSamples, rows.length);
      if (rows.length > 0) {
        assert.equal(open.minT, rows[0][0]);
        assert.equal(open.maxT, rows[rows.length - 1][0]);
        const snap = open.snapshot(new CopySlab());
        assert.deepEqual(snap.bytes(), reference.bytes());
        assert.equal(snap.maxT, rows[rows.length - 1][0]);
        // Read back bit for bit (NaN payloads compared as bits).
        const it = snap.iterator();
        const bits = new Float64Array(2);
        const words = new Uint32Array(bits.buffer);
        for (const [t, v] of rows) {
          assert.ok(it.next());
          assert.equal(it.t, t);
          bits[0] = it.v;
          bits[1] = v;
          assert.deepEqual([words[0], words[1]], [words[2], words[3]]);
        }
        assert.ok(!it.next());
      } else {
        assert.ok(Number.isNaN(open.minT) && Number.isNaN(open.maxT));
      }
    }),
    { numRuns: 300 },
  );
});

/** The value whose bits are ones from bit `trailing` up to bit 63 - `leading`, zeros elsewhere. */
function onesBetween(leading: number, trailing: number): number {
  const bits = ((1n << BigInt(64 - leading - trailing)) - 1n) << BigInt(trailing);
  return fromHiLo(Number(bits >> 32n), Number(bits & 0xffffffffn));
}

test('the edges of every delta-of-delta bucket and XOR window are XorChunk’s bytes', () => {
  // Deltas of deltas on each side of each bucket's edge.
  const dods = [8191, 8192, 65535, 65536, 524287, 524288].flatMap((d) => [d, -d, d + 1, -d - 1]);
  // Values whose XOR with 0 has these leading and trailing zeros: the clamp of the 5-bit
  // leading-zero field (31, 32, 33), and windows that with the timestamp's bits (1, 16, 20 or 24)
  // fill 64 bits or one more.
  const windows = [
    [31, 0],
    [32, 0],
    [33, 0],
    [0, 0],
    [0, 13],
    [1, 12],
    [0, 12],
    [0, 11],
    [10, 3],
    [31, 20],
    [0, 2],
    [0, 3],
    [1, 2],
    [0, 28],
    [0, 17],
    [3, 26],
  ].map(([l, t]) => onesBetween(l, t));
  for (const dod of [0, ...dods])
    for (const v of [0, ...windows]) {
      // t: 0, 1e6, then deltas of deltas of `dod` and 0; values: 0, 0, then `v` (a new window,
      // from the third sample on, where appends take the usual path), then XORs inside it.
      const ts = [0, 1_000_000, 2_000_000 + dod, 3_000_000 + 2 * dod, 4_000_000 + 3 * dod];
      const vs = [0, 0, v, 0, v];
      const open = new OpenXorChunk(new OpenChunkMemory());
      const reference = new XorChunk();
      ts.forEach((t, i) => {
        appendTo(open, t, vs[i]);
        reference.append(t, vs[i]);
      });
      assert.deepEqual(open.toChunk().bytes(), reference.bytes(), `dod ${dod}, value bits ${v}`);
    }
});

test('chunks side by side in one memory never see each other’s bytes, through growth and reuse', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(7), value, fc.integer({ min: 1, max: 100_000 }), fc.nat(40)), {
        maxLength: 3000,
      }),
      (ops) => {
        const memory = new OpenChunkMemory();
        const open = Array.from({ length: 8 }, () => new OpenXorChunk(memory));
        const reference = Array.from({ length: 8 }, () => new XorChunk());
        const lastT = new Array<number>(8).fill(0);
        for (const [c, v, dt, replace] of ops) {
          lastT[c] += dt;
          appendTo(open[c], lastT[c], v);
          reference[c].append(lastT[c], v);
          if (replace === 0) {
            // Now and then a chunk is released and replaced, so regions and records are reused.
            open[c].release();
            open[c] = new OpenXorChunk(memory);
            reference[c] = new XorChunk();
          }
        }
        for (let c = 0; c < 8; c++) assert.deepEqual(open[c].toChunk().bytes(), reference[c].bytes());
      },
    ),
    { numRuns: 100 },
  );
});

test('many chunks grow the memory; views made before and after read the same bytes', () => {
  const memory = new OpenChunkMemory();
  const chunks = Array.from({ length: 3000 }, () => new OpenXorChunk(memory));
  const reference = Array.from({ length: 3000 }, () => new XorChunk());
  for (let i = 0; i < 120; i++) {
    for (let c = 0; c < chunks.length; c++) {
      const v = Math.sin(c * 1000 + i) * 1e6;
      appendTo(chunks[c], 1_700_000_000_000 + i * 15_000 + (c % 7), v);
      reference[c].append(1_700_000_000_000 + i * 15_000 + (c % 7), v);
    }
  }
  assert.ok(memory.bytes > 3000 * 64);
  for (let c = 0; c < chunks.length; c += 97)
    assert.deepEqual(chunks[c].toChunk().bytes(), reference[c].bytes());
});

test('appends that must fail fail like XorChunk’s, and leave the chunk as it was', () => {
  const memory = new OpenChunkMemory();
  const open = new OpenXorChunk(memory);
  const reference = new XorChunk();
  appendTo(open, 1000, 1);
  reference.append(1000, 1);
  for (const t of [1000, 999, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    let expected: unknown;
    try {
      reference.append(t, 2);
    } catch (err) {
      expected = err;
    }
    assert.ok(expected instanceof ChunkAppendError, String(t));
    assert.throws(
      () => appendTo(open, t, 2),
      (err: unknown) => err instanceof ChunkAppendError && err.message === (expected as Error).message,
    );
  }
  assert.equal(open.numSamples, 1);
  assert.deepEqual(open.toChunk().bytes(), reference.bytes());
});

test('regions and records given back are used again: the memory stops growing once chunks turn over', () => {
  const memory = new OpenChunkMemory();
  const turnOver = () => {
    const chunks = Array.from({ length: 500 }, () => new OpenXorChunk(memory));
    for (let i = 0; i < 120; i++)
      for (const [c, chunk] of chunks.entries()) appendTo(chunk, 1000 + i * 15_000, Math.sin(c + i) * 1e6);
    for (const chunk of chunks) chunk.release();
  };
  turnOver();
  const after = memory.bytes;
  for (let round = 0; round < 5; round++) turnOver();
  assert.equal(memory.bytes, after);
});

test('copyInto writes toChunk()’s bytes at any offset; byteLength is their length', () => {
  fc.assert(
    fc.property(samples, fc.nat(40), (rows, at) => {
      const memory = new OpenChunkMemory();
      const open = new OpenXorChunk(memory);
      for (const [t, v] of rows) appendTo(open, t, v);
      const expected = open.toChunk().bytes();
      const target = new Uint8Array(at + expected.length + 5).fill(0xee);
      assert.equal(open.byteLength, expected.length);
      assert.equal(open.copyInto(target, at), expected.length);
      assert.deepEqual(target.subarray(at, at + expected.length), expected);
      // Nothing written outside the slice.
      assert.ok(target.subarray(0, at).every((b) => b === 0xee));
      assert.ok(target.subarray(at + expected.length).every((b) => b === 0xee));
    }),
    { numRuns: 200 },
  );
});

test('a restarted chunk writes what a new one writes, and takes no more memory', () => {
  fc.assert(
    fc.property(samples, samples, (first, second) => {
      const memory = new OpenChunkMemory();
      // A neighbour on each side, whose bytes must not change.
      const before = new OpenXorChunk(memory);
      const open = new OpenXorChunk(memory);
      const after = new OpenXorChunk(memory);
      for (const [t, v] of first) {
        appendTo(before, t, v);
        appendTo(open, t, v);
        appendTo(after, t, v);
      }
      const neighbours = before.toChunk().bytes();
      open.restart();
      assert.equal(open.numSamples, 0);
      assert.ok(Number.isNaN(open.minT) && Number.isNaN(open.maxT));
      const reference = new XorChunk();
      for (const [t, v] of second) {
        appendTo(open, t, v);
        reference.append(t, v);
      }
      assert.deepEqual(open.toChunk().bytes(), reference.bytes());
      assert.deepEqual(before.toChunk().bytes(), neighbours);
      assert.deepEqual(after.toChunk().bytes(), neighbours);
    }),
    { numRuns: 200 },
  );
  // Restarting chunk after chunk reuses their regions: the memory stops growing.
  const memory = new OpenChunkMemory();
  const chunks = Array.from({ length: 500 }, () => new OpenXorChunk(memory));
  const fillAll = () => {
    for (let i = 0; i < 120; i++)
      for (const [c, chunk] of chunks.entries()) appendTo(chunk, 1000 + i * 15_000, Math.sin(c + i) * 1e6);
  };
  fillAll();
  for (const chunk of chunks) chunk.restart();
  fillAll();
  const grown = memory.bytes;
  for (let round = 0; round < 5; round++) {
    for (const chunk of chunks) chunk.restart();
    fillAll();
  }
  assert.equal(memory.bytes, grown);
});

test('append refuses, writing nothing, a sample past the sample bound or the block end it is given', () => {
  const memory = new OpenChunkMemory();
  const chunk = new OpenXorChunk(memory);
  for (let i = 0; i < 3; i++) appendTo(chunk, 1000 + i, i);
  const before = chunk.toChunk().bytes;
  // 3 samples held: a bound of 3 refuses (3); a sample at or after the block end refuses (5).
  assert.equal(memory.append(chunk.state, 2000, 0, 0, 3, Number.POSITIVE_INFINITY), 3);
  assert.equal(memory.append(chunk.state, 2000, 0, 0, 4, 2000), 5);
  assert.equal(memory.append(chunk.state, 2000, 0, 0, 4, 2001), 0);
  assert.equal(chunk.numSamples, 4);
  const after = chunk.toChunk().bytes;
  assert.ok(after.length >= before.length);
  assert.equal(chunk.toChunk().maxT, 2000);
  chunk.release();
  assert.equal(chunk.state, 0);
});
