// ByteKeyTable behaves as a Map from byte strings to numbers, through growth, collisions and the
// start-over at its byte bound.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteKeyTable, COPIED_BYTES, hashBytes } from '../../../src/inputs/decoding/byte-key-table.ts';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('finds what was set, and nothing else, like a Map', () => {
  // Keys drawn from a small pool, in runs that repeat, so that predicted lookups hit and miss.
  const pool = fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 30 });
  fc.assert(
    fc.property(
      pool.chain((keys) =>
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...keys), fc.nat(9)), { maxLength: 300 }),
      ),
      fc.nat(7),
      (ops, pad) => {
        const table = new ByteKeyTable(1 << 20, 4);
        const model = new Map<string, number>();
        for (const [add, key, restart] of ops) {
          if (restart === 0) table.restart();
          // The key inside a larger buffer, at an offset: only its own bytes count.
          const buf = new Uint8Array(key.length + 2 * pad).fill(0xee);
          buf.set(key, pad);
          const found = table.find(buf, pad, pad + key.length);
          assert.equal(found, model.get(latin1(key)) ?? -1);
          if (add && found < 0) {
            if (model.size % 2 === 0) table.add(buf, pad, pad + key.length, model.size);
            else table.set(buf, pad, pad + key.length, model.size);
            model.set(latin1(key), model.size);
          }
        }
        assert.equal(table.size, model.size);
      },
    ),
    { numRuns: 200 },
  );
});

test('keys in a large buffer, reused with new bytes for each sequence, are found by their bytes', () => {
  // A body large enough to be copied into the table's memory (once per sequence), reused from one
  // sequence to the next with other keys in it, as a decoder's reused output memory is.
  const pool = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(
      pool.chain((keys) =>
        fc.array(fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 40 }), { maxLength: 12 }),
      ),
      (sequences) => {
        const table = new ByteKeyTable(1 << 20, 4);
        const model = new Map<string, number>();
        const body = new Uint8Array(COPIED_BYTES.min + 16 * 1024);
        for (const sequence of sequences) {
          body.fill(0xee);
          const at: number[] = [];
          let p = 3;
          for (const key of sequence) {
            body.set(key, p);
            at.push(p);
            p += key.length + 1;
          }
          table.restart();
          sequence.forEach((key, i) => {
            const expected = model.get(latin1(key)) ?? -1;
            // The key expected next, when the bytes begin with it: a known key, those bytes.
            const guessed = table.expectedAt(body, at[i], at[i] + key.length);
            if (guessed >= 0) assert.ok(model.has(latin1(key.subarray(0, guessed))));
            const found = table.find(body, at[i], at[i] + key.length);
            assert.equal(found, expected);
            if (found < 0) {
              table.add(body, at[i], at[i] + key.length, model.size);
              model.set(latin1(key), model.size);
            }
          });
        }
        assert.equal(table.size, model.size);
      },
    ),
    { numRuns: 200 },
  );
});

test('keys in a large buffer are still found while the arena grows under its copy', () => {
  const table = new ByteKeyTable(1 << 20, 4);
  const key = (i: number) => Uint8Array.from({ length: 500 }, (_, j) => (i * 7 + j * 13) & 0xff);
  const body = new Uint8Array(120 * 501);
  for (let i = 0; i < 120; i++) body.set(key(i), i * 501);
  table.restart();
  // 60 KB of keys: the arena grows from 16 to 64 KiB within the sequence.
  for (let i = 0; i < 120; i++) {
    assert.equal(table.find(body, i * 501, i * 501 + 500), -1);
    table.add(body, i * 501, i * 501 + 500, i);
    for (const k of [0, i >> 1, i]) assert.equal(table.find(body, k * 501, k * 501 + 500), k);
  }
});

test('keys with the same hash are told apart', () => {
  const table = new ByteKeyTable(1 << 20, 2);
  const keys = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`series-${i}`));
  for (const [i, k] of keys.entries()) table.set(k, 0, k.length, i);
  for (const [i, k] of keys.entries()) assert.equal(table.find(k, 0, k.length), i);
  const other = new TextEncoder().encode('series-1000');
  assert.equal(table.find(other, 0, other.length), -1);
});

test('starts over when its keys would pass the byte bound', () => {
  const table = new ByteKeyTable(100, 8);
  const key = (i: number) => new TextEncoder().encode(`k${String(i).padStart(9, '0')}`); // 10 bytes
  for (let i = 0; i < 10; i++) table.set(key(i), 0, 10, i);
  assert.equal(table.size, 10);
  table.set(key(10), 0, 10, 10);
  assert.equal(table.size, 1);
  assert.equal(table.find(key(0), 0, 10), -1);
  assert.equal(table.find(key(10), 0, 10), 10);
});

test('the hash depends on every byte and on the length', () => {
  const a = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
  const seen = new Set<number>();
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let end = 0; end <= a.length; end++) seen.add(hashBytes(view(a), 0, end));
  for (let i = 0; i < a.length; i++) {
    const b = a.slice();
    b[i] ^= 0x40;
    seen.add(hashBytes(view(b), 0, b.length));
  }
  assert.equal(seen.size, 8 + 7);
});

test('a sequence seen before is predicted, runs of a key included: no hashing', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  // Each series' lines together (as the Influx clients write them), or by time (series repeating).
  for (const sequence of [
    ['a', 'a', 'b', 'b', 'b', 'c'],
    ['a', 'b', 'c', 'a', 'b', 'c'],
  ]) {
    const table = new ByteKeyTable(1 << 20, 8);
    const lookUp = () => {
      table.restart();
      for (const [i, k] of sequence.map(enc).entries()) {
        if (table.find(k, 0, k.length) < 0) table.add(k, 0, k.length, i);
      }
    };
    lookUp();
    const hashedBefore = table.hashed;
    lookUp();
    lookUp();
    // Only each request's first lookup is not predicted.
    assert.equal(table.hashed - hashedBefore, 2, sequence.join(''));
    assert.equal(table.size, 3);
  }
});

test('the sequence survives the index growing: keys added in order are predicted in order', () => {
  const enc = (i: number) => new TextEncoder().encode(`series-${i}`);
  // Two slots to start with: adding 500 keys grows the index eight times.
  const table = new ByteKeyTable(1 << 20, 2);
  table.restart();
  for (let i = 0; i < 500; i++) table.add(enc(i), 0, enc(i).length, i);
  table.restart();
  const hashedBefore = table.hashed;
  for (let i = 0; i < 500; i++) assert.equal(table.find(enc(i), 0, enc(i).length), i);
  assert.equal(table.hashed - hashedBefore, 1);
  assert.equal(table.predicted, 499);
});
