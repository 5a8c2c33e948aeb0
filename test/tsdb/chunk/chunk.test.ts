import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { STALE_NAN } from '../../../src/model/staleness.ts';
import { hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import {
  type Chunk,
  ChunkAppendError,
  ChunkBuilder,
  ChunkCorruptError,
  DecimalChunk,
  Encoding,
  encodeChunk,
  encodeDecimal,
  encodeXor,
  openChunk,
  XorChunk,
} from '../../../src/tsdb/chunk/index.ts';
import { anySeries, decimalSeries, type Series } from './arbitraries.ts';

const RUNS = { numRuns: 300 };

/** Asserts the chunk yields exactly `s` (timestamps equal, values bit-identical), twice. */
function assertHolds(chunk: Chunk, s: Series, n = s.ts.length): void {
  assert.equal(chunk.numSamples, n);
  if (n > 0) {
    assert.equal(chunk.minT, s.ts[0]);
    assert.equal(chunk.maxT, s.ts[n - 1]);
  } else {
    assert.ok(Number.isNaN(chunk.minT) && Number.isNaN(chunk.maxT));
  }
  for (let pass = 0; pass < 2; pass++) {
    const it = chunk.iterator();
    let i = 0;
    while (it.next()) {
      assert.ok(i < n, 'iterator yields too many samples');
      assert.equal(it.t, s.ts[i], `t at ${i}`);
      const v = it.v;
      const want = s.values[i];
      if (hiBits(v) !== hiBits(want) || loBits(v) !== loBits(want)) {
        assert.fail(
          `value ${i}: got bits ${hiBits(v).toString(16)}:${loBits(v).toString(16)}, ` +
            `want ${hiBits(want).toString(16)}:${loBits(want).toString(16)}`,
        );
      }
      i++;
    }
    assert.equal(i, n);
    assert.equal(it.next(), false);
  }
}

function assertRoundTrip(chunk: Chunk, s: Series): void {
  assertHolds(chunk, s);
  const reopened = openChunk(chunk.bytes().slice());
  assert.equal(reopened.encoding, chunk.encoding);
  assertHolds(reopened, s);
}

test('XOR chunks round-trip any timestamps and bit patterns', () => {
  fc.assert(
    fc.property(anySeries(), (s) => {
      const c = encodeXor(s.ts, s.values, 0, s.ts.length);
      assert.equal(c.bytes()[0], Encoding.XOR);
      assertRoundTrip(c, s);
    }),
    RUNS,
  );
});

test('XOR chunk bytes stay exactly as they were (the Prometheus layout): a digest of 3,000 chunks', () => {
  // Regular, jittered, irregular and far-apart timestamps; constant, decimal, random and nearly equal
  // values — every dod bucket and both XOR window cases. The digest was taken from the encoder
  // before its writes were merged (one write per prefix and value).
  const digest = createHash('sha256');
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let c = 0; c < 3000; c++) {
    const chunk = new XorChunk();
    let t = Math.floor(rnd() * 1e12);
    let v = rnd() * 1000;
    const kind = c % 4;
    for (let i = 0; i < 120; i++) {
      if (kind === 0) t += 15000;
      else if (kind === 1) t += 15000 + Math.floor(rnd() * 10) - 5;
      else if (kind === 2) {
        t += Math.floor(rnd() * 2 ** 22) + 1;
        v = rnd();
      } else {
        t += Math.floor(rnd() * 2 ** 40) + 1;
        if (rnd() >= 0.5) v *= 1 + rnd() * 1e-9;
      }
      if (kind === 1) v = Math.round(v + rnd() * 100) / 100;
      chunk.append(t, v);
    }
    digest.update(chunk.bytes());
  }
  assert.equal(digest.digest('hex'), '3e07f195b8b9493b75dd7bb20bdf8c040f23fcd1621db499e6fe0e990e3b63cf');
});

test('decimal chunks round-trip exact decimals and refuse everything else', () => {
  fc.assert(
    fc.property(decimalSeries(), (s) => {
      const c = encodeDecimal(s.ts, s.values, 0, s.ts.length);
      const hugeGap = s.ts.some((t, i) => i > 1 && Math.abs(t - 2 * s.ts[i - 1] + s.ts[i - 2]) > 2 ** 50);
      if (!hugeGap) assert.ok(c !== undefined, 'exact decimals must be decimal-encodable');
      if (c !== undefined) {
        assert.equal(c.bytes()[0], Encoding.Decimal);
        assertRoundTrip(c, s);
      }
    }),
    RUNS,
  );
  fc.assert(
    fc.property(anySeries(), (s) => {
      const c = encodeDecimal(s.ts, s.values, 0, s.ts.length);
      if (c !== undefined) assertRoundTrip(c, s);
    }),
    RUNS,
  );
});

test('special values never go into a decimal chunk', () => {
  const ts = new Float64Array([1000, 2000]);
  for (const special of [STALE_NAN, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0]) {
    const values = new Float64Array([1.5, special]);
    assert.equal(encodeDecimal(ts, values, 0, 2), undefined);
    const c = encodeChunk(ts, values);
    assert.equal(c.encoding, Encoding.XOR);
    assertRoundTrip(c, { ts, values });
  }
});

test('encodeChunk keeps the smaller encoding and round-trips', () => {
  fc.assert(
    fc.property(fc.oneof(anySeries(), decimalSeries()), (s) => {
      const c = encodeChunk(s.ts, s.values);
      const xorBytes = encodeXor(s.ts, s.values, 0, s.ts.length).bytes().length;
      const decimal = encodeDecimal(s.ts, s.values, 0, s.ts.length);
      assert.equal(c.bytes().length, Math.min(xorBytes, decimal?.bytes().length ?? Number.POSITIVE_INFINITY));
      assertRoundTrip(c, s);
    }),
    RUNS,
  );
});

test('decimal beats XOR on a typical jittered decimal gauge', () => {
  const n = 120;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = 1_700_000_000_000 + i * 15_000 + (i % 7 === 3 ? 2 : 0);
    values[i] = Math.round(5820 + 40 * Math.sin(i / 5)) / 100;
  }
  const decimal = encodeDecimal(ts, values, 0, n)!;
  const xor = encodeXor(ts, values, 0, n);
  assert.ok(
    decimal.bytes().length < xor.bytes().length,
    `${decimal.bytes().length} vs ${xor.bytes().length}`,
  );
  assert.equal(encodeChunk(ts, values).encoding, Encoding.Decimal);
});

test('empty and one-sample chunks', () => {
  const empty: Series = { ts: new Float64Array(0), values: new Float64Array(0) };
  assertRoundTrip(new XorChunk(), empty);
  assertRoundTrip(encodeDecimal(empty.ts, empty.values, 0, 0)!, empty);
  assertRoundTrip(encodeChunk(empty.ts, empty.values), empty);
  const one: Series = { ts: new Float64Array([1_700_000_000_000]), values: new Float64Array([STALE_NAN]) };
  assertRoundTrip(encodeXor(one.ts, one.values, 0, 1), one);
  assertRoundTrip(encodeChunk(one.ts, one.values), one);
  const oneDecimal: Series = { ts: new Float64Array([0]), values: new Float64Array([0.37]) };
  assertRoundTrip(encodeDecimal(oneDecimal.ts, oneDecimal.values, 0, 1)!, oneDecimal);
});

test('out-of-order, duplicate and invalid timestamps are rejected', () => {
  const c = new XorChunk();
  c.append(2000, 1);
  assert.throws(() => c.append(2000, 2), ChunkAppendError);
  assert.throws(() => c.append(1999, 2), ChunkAppendError);
  assert.throws(() => c.append(2000.5, 2), ChunkAppendError);
  assert.throws(() => new XorChunk().append(-1, 2), ChunkAppendError);
  c.append(3000, 2); // still usable after a rejection
  assertHolds(c, { ts: new Float64Array([2000, 3000]), values: new Float64Array([1, 2]) });
  const ts = new Float64Array([1000, 3000, 2000]);
  const values = new Float64Array([1, 2, 3]);
  assert.throws(() => encodeDecimal(ts, values, 0, 3), ChunkAppendError);
  assert.throws(() => encodeChunk(ts, values), ChunkAppendError);
  const b = new ChunkBuilder();
  b.append(5, 1);
  assert.throws(() => b.append(5, 1), ChunkAppendError);
  assert.throws(() => b.append(Number.NaN, 1), ChunkAppendError);
});

test('an opened XOR chunk can be appended to and re-encodes identically', () => {
  fc.assert(
    fc.property(anySeries(50), (s) => {
      const n = s.ts.length;
      const half = n >> 1;
      const full = encodeXor(s.ts, s.values, 0, n).bytes();
      const reopened = XorChunk.fromBytes(encodeXor(s.ts, s.values, 0, half).bytes());
      for (let i = half; i < n; i++) reopened.append(s.ts[i], s.values[i]);
      assert.deepEqual(reopened.bytes(), full);
    }),
    { numRuns: 100 },
  );
});

test('ChunkBuilder cuts at 120 samples or the time span, and loses nothing', () => {
  fc.assert(
    fc.property(anySeries(600), fc.constantFrom(undefined, 600_000), (s, maxSpanMs) => {
      const b = new ChunkBuilder(maxSpanMs === undefined ? {} : { maxSpanMs });
      const chunks: Chunk[] = [];
      for (let i = 0; i < s.ts.length; i++) {
        const c = b.append(s.ts[i], s.values[i]);
        if (c !== undefined) chunks.push(c);
      }
      const last = b.flush();
      if (last !== undefined) chunks.push(last);
      assert.equal(b.flush(), undefined);
      let offset = 0;
      for (const c of chunks) {
        assert.ok(c.numSamples >= 1 && c.numSamples <= 120);
        assert.ok(c.maxT - c.minT < (maxSpanMs ?? 7_200_000));
        const slice: Series = {
          ts: s.ts.subarray(offset, offset + c.numSamples),
          values: s.values.subarray(offset, offset + c.numSamples),
        };
        assertRoundTrip(c, slice);
        offset += c.numSamples;
      }
      assert.equal(offset, s.ts.length);
    }),
    { numRuns: 100 },
  );
});

/** Opens and fully iterates; returns normally or throws whatever the chunk code throws. */
function readAll(bytes: Uint8Array): number {
  const c = openChunk(bytes);
  const it = c.iterator();
  let n = 0;
  while (it.next()) n++;
  return n;
}

test('truncated chunks throw ChunkCorruptError', () => {
  fc.assert(
    fc.property(fc.oneof(anySeries(150), decimalSeries(150)), fc.nat(), (s, cut) => {
      const bytes = encodeChunk(s.ts, s.values).bytes();
      const len = cut % bytes.length; // at least one byte short
      assert.throws(() => readAll(bytes.subarray(0, len)), ChunkCorruptError);
    }),
    RUNS,
  );
});

test('corrupt chunks end in ChunkCorruptError or a bounded read, never another failure', () => {
  fc.assert(
    fc.property(
      fc.oneof(anySeries(150), decimalSeries(150)),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
      (s, flips) => {
        const bytes = encodeChunk(s.ts, s.values).bytes().slice();
        for (const [at, mask] of flips) bytes[at % bytes.length] ^= mask;
        try {
          const n = readAll(bytes);
          assert.ok(n <= 0xffff);
        } catch (err) {
          if (!(err instanceof ChunkCorruptError)) throw err;
        }
      },
    ),
    RUNS,
  );
  assert.throws(() => openChunk(new Uint8Array(0)), ChunkCorruptError);
  assert.throws(() => openChunk(new Uint8Array([99, 0, 0])), /unknown chunk encoding 99/);
  assert.throws(() => XorChunk.fromBytes(new Uint8Array([Encoding.Decimal, 0])), ChunkCorruptError);
  assert.throws(() => DecimalChunk.fromBytes(new Uint8Array([Encoding.XOR, 0, 0])), ChunkCorruptError);
});
