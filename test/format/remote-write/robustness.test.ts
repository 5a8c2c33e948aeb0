// Whatever the body — random bytes, truncated or bit-flipped valid bodies, compressed or not — the
// decoder returns or throws RemoteWriteDecodeError with a layer prefix; nothing else, and it finishes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeWriteRequest,
  decodeWriteRequestProto,
  encodeWriteRequestProto,
  RemoteWriteDecodeError,
  snappyCompress,
} from '../../../src/format/remote-write/index.ts';
import { writeRequest } from './arbitraries.ts';

const LIMIT = { maxDecompressedBytes: 1 << 20 };

function decodesOrFailsCleanly(body: Uint8Array, compressed: boolean): void {
  try {
    if (compressed) decodeWriteRequest(body, LIMIT);
    else decodeWriteRequestProto(body);
  } catch (err) {
    if (!(err instanceof RemoteWriteDecodeError)) throw err;
    assert.match(err.message, /^(snappy|protobuf|labels): /);
  }
}

/** A valid body with damage: cut short, bits flipped, or bytes overwritten. */
const damaged = fc
  .tuple(
    writeRequest.map(encodeWriteRequestProto),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.constantFrom('flip', 'set', 'cut')), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.nat(255),
  )
  .map(([proto, edits, byte]) => {
    let b = proto.slice();
    for (const [pos, bit, kind] of edits) {
      if (b.length === 0) break;
      const i = pos % b.length;
      if (kind === 'flip') b[i] ^= 1 << bit;
      else if (kind === 'set') b[i] = byte;
      else b = b.subarray(0, i);
    }
    return b;
  });

test('random bytes never throw anything but RemoteWriteDecodeError', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      decodesOrFailsCleanly(b, true);
      decodesOrFailsCleanly(b, false);
    }),
    { numRuns: 3000 },
  );
});

test('damaged protobuf bodies fail cleanly, compressed or not', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(damaged, (b) => {
      decodesOrFailsCleanly(b, false);
      decodesOrFailsCleanly(snappyCompress(b), true);
    }),
    { numRuns: 2000 },
  );
});

test('damaged snappy blocks fail cleanly', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(
      writeRequest.map((r) => snappyCompress(encodeWriteRequestProto(r))),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      fc.boolean(),
      (body, pos, bit, cut) => {
        const b = body.slice();
        const i = pos % b.length;
        if (cut) decodesOrFailsCleanly(b.subarray(0, i), true);
        else {
          b[i] ^= 1 << bit;
          decodesOrFailsCleanly(b, true);
        }
      },
    ),
    { numRuns: 2000 },
  );
});
