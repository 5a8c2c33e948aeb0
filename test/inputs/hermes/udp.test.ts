// The README's packets over real UDP, from three senders: this process, a python3 script using
// only the standard library, and telemux/client.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { HermesClient } from '../../../src/client/index.ts';
import { HermesInput } from '../../../src/inputs/hermes/index.ts';
import { createInputMetrics, DEFAULT_BUCKETS, Registry } from '../../../src/registry/index.ts';
import { type Harness, memoryLogger, PYTHON_SENDER_PATH, startHermes } from './harness.ts';
import {
  COUNTER,
  GAUGE_DECREMENT,
  GAUGE_INCREMENT,
  GAUGE_SET,
  HISTOGRAM,
  L1,
  L12,
  SEED_PACKETS,
  SUMMARY,
} from './seed-packets.ts';

const run = promisify(execFile);

/** The registry after all six README packets (increment, decrement, then set 65.4). */
function assertSeedState(h: Harness, times = 1): void {
  assert.equal(h.counter('sample_counter').getChild(L1)?.value, times);
  assert.equal(h.gauge('sample_gauge').getChild(L12)?.value, 65.4);
  const hist = h.histogram('sample_histogram').getChild(L1)!;
  assert.deepEqual(
    hist.buckets().map((b) => [b.upperBound, b.cumulativeCount]),
    [...DEFAULT_BUCKETS.map((b) => [b, 0]), [Number.POSITIVE_INFINITY, times]],
  );
  assert.equal(hist.count, times);
  assert.ok(Math.abs(hist.sum - 65.4 * times) < 1e-9);
  const summary = h.summary('sample_summary').getChild(L1)!;
  assert.equal(summary.count, times);
  assert.ok(Math.abs(summary.sum - 65.4 * times) < 1e-9);
  assert.deepEqual(summary.quantiles(), []); // Hermes' summaries have no quantiles
  // The exposition has the four families, with HELP from metric_description.
  const families = h.registry.collect();
  assert.deepEqual(
    families.map((f) => [f.name, f.type, f.help]),
    [
      ['sample_counter', 'counter', 'counters are awesome too'],
      ['sample_gauge', 'gauge', 'gauges are awesome'],
      ['sample_histogram', 'histogram', 'histograms observe things'],
      ['sample_summary', 'summary', 'summaries sum things'],
    ],
  );
}

describe('hermes input over UDP', () => {
  it('applies every README packet: counter, gauge increment/decrement/set, histogram, summary', async () => {
    const h = await startHermes();
    try {
      await h.send([COUNTER]);
      await h.waitForHandled(1);
      assert.equal(h.counter('sample_counter').getChild(L1)?.value, 1);

      await h.send([GAUGE_INCREMENT]);
      await h.waitForHandled(2);
      assert.equal(h.gauge('sample_gauge').getChild(L12)?.value, 1);
      await h.send([GAUGE_DECREMENT]);
      await h.waitForHandled(3);
      assert.equal(h.gauge('sample_gauge').getChild(L12)?.value, 0);
      await h.send([GAUGE_SET]);
      await h.waitForHandled(4);
      assert.equal(h.gauge('sample_gauge').getChild(L12)?.value, 65.4);

      await h.send([HISTOGRAM, SUMMARY]);
      await h.waitForHandled(6);
      assertSeedState(h);
      assert.equal(h.received(), 6);
    } finally {
      await h.close();
    }
  });

  it('accepts the README packets sent by a python3 script (standard library only)', async () => {
    const h = await startHermes();
    try {
      const { stdout } = await run('python3', [PYTHON_SENDER_PATH, '127.0.0.1', String(h.port)]);
      assert.equal(stdout.trim(), String(SEED_PACKETS.length));
      await h.waitForHandled(SEED_PACKETS.length);
      assert.equal(h.received(), SEED_PACKETS.length);
      assertSeedState(h);
    } finally {
      await h.close();
    }
  });

  it('accepts the same operations sent with telemux/client', async () => {
    const h = await startHermes();
    const client = new HermesClient({ host: '127.0.0.1', port: h.port });
    try {
      client.incrementCounter('sample_counter', L1);
      client.incrementGauge('sample_gauge', L12);
      await client.flush();
      await h.waitForHandled(2);
      client.decrementGauge('sample_gauge', L12);
      await client.flush();
      await h.waitForHandled(3);
      assert.equal(h.gauge('sample_gauge').getChild(L12)?.value, 0);
      client.setGauge('sample_gauge', 65.4, L12);
      client.observeHistogram('sample_histogram', 65.4, L1);
      client.observeSummary('sample_summary', 65.4, L1);
      await client.flush();
      await h.waitForHandled(6);
      assert.equal(h.received(), 6);
      assert.equal(client.errors, 0);
      assertSeedState(h);
    } finally {
      client.close();
      await h.close();
    }
  });

  it('drops datagrams over maxDatagramBytes as oversized, accepts one exactly at the limit', async () => {
    const h = await startHermes({ maxDatagramBytes: 2048 });
    try {
      const base = COUNTER.replace('{', '{"pad": "",');
      const exact = base.replace('"pad": ""', `"pad": "${'x'.repeat(2048 - Buffer.byteLength(base))}"`);
      assert.equal(Buffer.byteLength(exact), 2048);
      const over = exact.replace('"pad": "', '"pad": "x');
      await h.send([exact, over, Buffer.alloc(60_000, 0x20)]);
      await h.waitForHandled(3);
      assert.equal(h.received(), 1);
      assert.equal(h.dropped('oversized'), 2);
    } finally {
      await h.close();
    }
  });

  it('binds port 0 to a free port, stops, starts again, and keeps its values', async () => {
    const h = await startHermes();
    try {
      assert.ok(h.port > 0);
      assert.deepEqual(h.input.address?.port, h.port);
      await h.input.stop();
      assert.equal(h.input.address, undefined);
      await h.input.stop(); // idempotent
      const again = await h.input.start();
      await assert.rejects(() => h.input.start(), /already started/);
      const sock = createSocket('udp4');
      await new Promise<void>((resolve) => sock.send(COUNTER, again.port, '127.0.0.1', () => resolve()));
      sock.close();
      await h.waitForHandled(1);
      assert.equal(h.counter('sample_counter').getChild(L1)?.value, 1);
    } finally {
      await h.close();
    }
  });

  it('rejects start() cleanly when the port is taken', async () => {
    const h = await startHermes();
    const other = new HermesInput({
      port: h.port,
      definitions: { service_name: '', gauges: [], counters: [], histograms: [], summaries: [] },
      registry: new Registry(),
      inputMetrics: createInputMetrics(new Registry()),
      logger: memoryLogger(),
    });
    try {
      await assert.rejects(() => other.start(), /EADDRINUSE/);
      assert.equal(other.address, undefined);
    } finally {
      await h.close();
    }
  });
});
