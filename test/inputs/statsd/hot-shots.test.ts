// A real client: hot-shots over UDP and TCP, every call type, DogStatsD tags and sample rates.
// hot-shots samples on the client (Math.random() < rate); Math.random is pinned to 0 so every
// sampled call is sent, with its `|@rate`, and the registry's values are exact.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import StatsD from 'hot-shots';
import { renderExposition } from '../../../src/format/exposition/render.ts';
import { parseMappingConfig } from '../../../src/inputs/statsd/index.ts';
import type { Counter, Gauge, Histogram, Summary } from '../../../src/registry/index.ts';
import { makeHarness, type StatsdHarness, waitFor } from './harness.ts';

const MAPPING = `
mappings:
  - match: "hs.hist"
    name: hs_hist
    observer_type: histogram
    buckets: [1, 2.5, 5]
  - match: "hs.dist"
    name: hs_dist
    observer_type: histogram
    buckets: [1, 5, 10]
`;

function handled(h: StatsdHarness): number {
  return h.received() + Object.values(h.drops()).reduce((a, b) => a + b, 0);
}

async function exercise(protocol: 'udp' | 'tcp', datadog: boolean): Promise<void> {
  const h = makeHarness({ mapping: parseMappingConfig(MAPPING) });
  const { udp, tcp } = await h.input.start();
  const port = protocol === 'udp' ? udp!.port : tcp!.port;
  const errors: Error[] = [];
  const client = new StatsD({
    host: '127.0.0.1',
    port,
    protocol,
    datadog,
    ...(datadog ? { containerID: 'ctr123', cardinality: 'low', includeDatadogTelemetry: false } : {}),
    errorHandler: (err: Error) => errors.push(err),
  });
  const realRandom = Math.random;
  Math.random = () => 0;
  let sent = 0;
  // One call at a time, waiting until the input has handled it, so gauge order is exact.
  const call = async (fn: (cb: (err?: Error) => void) => void): Promise<void> => {
    await new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
    sent++;
    await waitFor(() => handled(h) === sent, 3000, `line ${sent}`);
  };
  const tags = { env: 'test', region: 'eu' };
  try {
    await call((cb) => client.increment('hs.count', 1, 0.5, tags, cb)); // +2
    await call((cb) => client.increment('hs.count', 3, 1, tags, cb)); // +3
    await call((cb) => client.decrement('hs.count', 1, 1, tags, cb)); // refused: negative counter
    await call((cb) => client.gauge('hs.gauge', 10, 1, tags, cb));
    await call((cb) => client.gaugeDelta('hs.gauge', -3, 1, tags, cb));
    await call((cb) => client.gaugeDelta('hs.gauge', 5, 0.5, tags, cb)); // gauges ignore the rate
    await call((cb) => client.timing('hs.timer', 250, 0.25, tags, cb)); // 0.25 s, 4 times
    await call((cb) => client.timing('hs.timer', 1500, 1, tags, cb));
    await call((cb) => client.histogram('hs.hist', 2, 1, tags, cb));
    await call((cb) => client.histogram('hs.hist', 7, 0.5, tags, cb)); // twice
    await call((cb) => client.distribution('hs.dist', 5, 1, tags, cb));
    await call((cb) => client.set('hs.set', 'user1', 1, tags, cb)); // refused: sets
  } finally {
    Math.random = realRandom;
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await h.input.stop();
  }
  assert.deepEqual(errors, []);
  assert.equal(h.received(), 10);
  assert.deepEqual(h.drops(), { negative_counter: 1, unsupported_set: 1 });

  const labels = datadog ? { ...tags, container_id: 'ctr123' } : tags;
  const counter = h.registry.get('hs_count')!.getChild(labels) as Counter;
  assert.equal(counter.value, 5);
  assert.equal((h.registry.get('hs_gauge')!.getChild(labels) as Gauge).value, 12);
  const timer = h.registry.get('hs_timer')!.getChild(labels) as Summary;
  assert.equal(h.registry.get('hs_timer')!.type, 'summary');
  assert.equal(timer.count, 5);
  assert.equal(timer.sum, 2.5);
  assert.deepEqual(
    timer.quantiles().map((q) => [q.quantile, q.value]),
    [
      [0.5, 0.25],
      [0.9, 1.5],
      [0.99, 1.5],
    ],
  );
  const hist = h.registry.get('hs_hist')!.getChild(labels) as Histogram;
  assert.deepEqual(
    hist.buckets().map((b) => b.cumulativeCount),
    [0, 1, 1, 3],
  );
  assert.equal(hist.sum, 16);
  const dist = h.registry.get('hs_dist')!.getChild(labels) as Histogram;
  assert.deepEqual(
    dist.buckets().map((b) => b.cumulativeCount),
    [0, 1, 1, 1],
  );
  assert.equal(h.registry.get('hs_set'), undefined);
  const text = renderExposition(h.registry.collect()).body.toString('utf8');
  const l = datadog ? 'container_id="ctr123",env="test",region="eu"' : 'env="test",region="eu"';
  assert.match(text, new RegExp(`^hs_count\\{${l}\\} 5$`, 'm'));
  assert.match(text, new RegExp(`^hs_gauge\\{${l}\\} 12$`, 'm'));
  assert.match(text, new RegExp(`^hs_hist_bucket\\{${l},le="\\+Inf"\\} 3$`, 'm'));
}

describe('hot-shots client', () => {
  it('over UDP: every type, tags, sample rates', () => exercise('udp', false));
  it('over TCP: every type, tags, sample rates', () => exercise('tcp', false));
  it('over UDP in Datadog mode (|c: container id, |card: cardinality)', () => exercise('udp', true));
});
