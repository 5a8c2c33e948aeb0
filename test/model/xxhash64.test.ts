import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { prometheusLabelsHash, xxhash64 } from '../../src/model/xxhash64.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

test('XXH64 with seed 0 gives the reference values', () => {
  // From the xxHash reference implementation (and Python's xxhash.xxh64): short, tail and 32-byte paths.
  assert.equal(xxhash64(bytes('')).toString(16), 'ef46db3751d8e999');
  assert.equal(xxhash64(bytes('a')).toString(16), 'd24ec4f1a98c6e5b');
  assert.equal(xxhash64(bytes('abc')).toString(16), '44bc2cf5ad770999');
  assert.equal(xxhash64(bytes('Nobody inspects the spammish repetition')).toString(16), 'fbcea83c8a378bf1');
});

test('a label set hashes as its names and values each followed by 0xff, and stays in 64 bits', () => {
  const flat = ['__name__', 'up', 'job', 'ü'];
  const manual = new Uint8Array([
    ...bytes('__name__'),
    0xff,
    ...bytes('up'),
    0xff,
    ...bytes('job'),
    0xff,
    ...bytes('ü'),
    0xff,
  ]);
  assert.equal(prometheusLabelsHash(flat), xxhash64(manual));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      const h = xxhash64(b);
      assert.ok(h >= 0n && h < 1n << 64n);
      assert.equal(h, xxhash64(Uint8Array.from(b)), 'a view or a copy hash the same');
    }),
  );
});
