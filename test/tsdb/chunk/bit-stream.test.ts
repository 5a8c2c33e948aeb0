import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BitReader } from '../../../src/tsdb/chunk/bit-reader.ts';
import { BitWriter } from '../../../src/tsdb/chunk/bit-writer.ts';
import { ChunkCorruptError } from '../../../src/tsdb/chunk/errors.ts';

// Fields of 0–32 bits at every alignment, as the chunk encodings write them.
const field = fc
  .integer({ min: 0, max: 32 })
  .chain((nbits) =>
    fc.record({ nbits: fc.constant(nbits), value: fc.integer({ min: 0, max: 2 ** nbits - 1 }) }),
  );

test('bits read back as written, at any alignment, and reading past the end is a clear error', () => {
  fc.assert(
    fc.property(fc.array(field, { maxLength: 60 }), (fields) => {
      const w = new BitWriter(8);
      for (const f of fields) w.writeBits(f.value, f.nbits);
      const bytes = w.view().slice();
      const r = new BitReader(bytes);
      for (const f of fields) assert.equal(r.readBits(f.nbits), f.value);
      const left = bytes.length * 8 - r.pos;
      assert.ok(left < 8, 'only the last byte is padded');
      assert.equal(r.readBits(left), 0, 'padding bits are zero');
      assert.throws(() => r.readBits(1), ChunkCorruptError);
    }),
    { numRuns: 500 },
  );
});

test('a view into a larger buffer reads nothing beyond its own end', () => {
  const big = new Uint8Array(16).fill(0xff);
  const view = big.subarray(2, 4);
  const r = new BitReader(view, 5);
  assert.equal(r.readBits(11), 0x7ff);
  assert.throws(() => r.readBits(1), ChunkCorruptError);
  view.fill(0);
  const z = new BitReader(view, 3);
  assert.equal(z.readBits(13), 0);
});
