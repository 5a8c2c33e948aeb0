import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BitWriter } from '../../../src/tsdb/chunk/bit-writer.ts';
import { ByteArena } from '../../../src/tsdb/chunk/byte-arena.ts';
import { XorChunk } from '../../../src/tsdb/chunk/xor-chunk.ts';

test('arena-backed writers never see each other’s bytes, through growth and reuse', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 2000,
      }),
      (ops) => {
        const arena = new ByteArena();
        const writers = Array.from({ length: 8 }, () => new BitWriter(8, arena));
        const plain = Array.from({ length: 8 }, () => new BitWriter(8));
        for (const [w, byte] of ops) {
          writers[w].writeBits(byte, 8);
          plain[w].writeBits(byte, 8);
          if (byte === 0) {
            // Now and then one writer is released and replaced, so regions are reused.
            writers[w].release();
            writers[w] = new BitWriter(8, arena);
            plain[w] = new BitWriter(8);
          }
        }
        for (let i = 0; i < 8; i++) assert.deepEqual(writers[i].view(), plain[i].view());
      },
    ),
    { numRuns: 200 },
  );
});

test('an XOR chunk appending into an arena reads back like one with its own buffer', () => {
  const arena = new ByteArena();
  const a = new XorChunk(arena);
  const b = new XorChunk();
  for (let i = 0; i < 500; i++) {
    a.append(1000 + i * 15_000, Math.sin(i));
    b.append(1000 + i * 15_000, Math.sin(i));
  }
  assert.deepEqual(a.bytes(), b.bytes());
  a.release();
  const c = new XorChunk(arena);
  c.append(1, 1);
  assert.deepEqual(
    c.bytes(),
    (() => {
      const d = new XorChunk();
      d.append(1, 1);
      return d.bytes();
    })(),
  );
});
