// The batch format between the receive thread and the main thread: what goes in comes out, in order,
// byte for byte, whatever the sizes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BATCH_BYTES, BatchWriter, forEachDatagram } from '../../../src/inputs/udp-receiver/batch.ts';

interface Datagram {
  readonly payload: Uint8Array;
  readonly source: string;
}

/** Writes datagrams the way the receive thread does (a new batch when the next does not fit); reads them back. */
function roundTrip(datagrams: readonly Datagram[]): { out: Datagram[]; batches: number } {
  const writer = new BatchWriter();
  const out: Datagram[] = [];
  let batches = 0;
  const flush = () => {
    if (writer.length === 0) return;
    const { buffer, length } = writer.take();
    assert.ok(length <= buffer.byteLength);
    batches++;
    forEachDatagram(buffer, length, (datagram, source) =>
      out.push({ payload: new Uint8Array(datagram), source }),
    );
  };
  for (const d of datagrams) {
    if (!writer.fits(d.payload.length, d.source)) flush();
    writer.add(d.payload, d.source);
  }
  flush();
  return { out, batches };
}

// Few senders, so that runs of one sender (written once per run) are common.
const source = fc.oneof(
  fc.constantFrom('127.0.0.1:8125', '127.0.0.1:40000', '::1:5353', 'fe80::1%eth0:9', ''),
  fc.ipV4().chain((ip) => fc.integer({ min: 0, max: 65535 }).map((p) => `${ip}:${p}`)),
);

const hex = (ds: readonly Datagram[]) => ds.map((d) => [Buffer.from(d.payload).toString('hex'), d.source]);

describe('udp datagram batches', () => {
  it('give back every datagram and its sender, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ payload: fc.uint8Array({ maxLength: 3000 }), source }), { maxLength: 120 }),
        (datagrams) => assert.deepEqual(hex(roundTrip(datagrams).out), hex(datagrams)),
      ),
      { numRuns: 300 },
    );
  });

  it('carry the largest UDP payload in a buffer of its own', () => {
    const big = new Uint8Array(65507).map((_, i) => i * 7);
    const datagrams = [
      { payload: Uint8Array.of(1, 2, 3), source: '127.0.0.1:1' },
      { payload: big, source: '127.0.0.1:2' },
      { payload: new Uint8Array(0), source: '127.0.0.1:3' },
    ];
    const { out, batches } = roundTrip(datagrams);
    assert.equal(batches, 3);
    assert.deepEqual(out, datagrams);
  });

  it('pack small datagrams together up to the batch size', () => {
    const datagrams = Array.from({ length: 5000 }, (_, i) => ({
      payload: Buffer.from(`metric.${i}:1|c`),
      source: '127.0.0.1:9999',
    }));
    const { out, batches } = roundTrip(datagrams);
    assert.equal(out.length, 5000);
    assert.ok(batches <= Math.ceil((5000 * (5 + 14 + 15)) / BATCH_BYTES) + 1, `${batches} batches`);
  });

  it('refuse a record that runs past the end of the batch', () => {
    const writer = new BatchWriter();
    writer.add(Buffer.from('abc'), '1.2.3.4:5');
    const { buffer, length } = writer.take();
    assert.throws(() => forEachDatagram(buffer, length - 1, () => {}), /runs past the end/);
    assert.throws(() => forEachDatagram(buffer, 7, () => {}), /a source runs past the end/);
  });

  it('write a sender once for a run of its datagrams, and again in the next batch', () => {
    const writer = new BatchWriter();
    writer.add(Buffer.from('a:1|c'), '10.0.0.1:1000');
    const one = writer.length;
    writer.add(Buffer.from('a:1|c'), '10.0.0.1:1000');
    assert.equal(writer.length - one, 5 + 5, 'no source bytes for the same sender');
    writer.add(Buffer.from('a:1|c'), '10.0.0.2:1000');
    assert.equal(writer.length, 2 * one + 10, 'another sender is written out');
    writer.take();
    writer.add(Buffer.from('a:1|c'), '10.0.0.2:1000');
    assert.equal(writer.length, one, 'a new batch names its first sender');
  });
});
