// Packet semantics (spec/compat.md §3.4) and every drop reason, applied directly (no socket).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HERMES_DROP_REASONS, type HermesDropReason } from '../../../src/inputs/hermes/index.ts';
import { Registry } from '../../../src/registry/index.ts';
import { type Harness, startHermes } from './harness.ts';
import { L1, L12 } from './seed-packets.ts';

const DEFINITIONS = {
  service_name: 'svc',
  gauges: [
    { metric_name: 'sample_gauge', metric_description: '', labels: ['label_1', 'label_2'] },
    { metric_name: 'plain_gauge', metric_description: '', labels: [] },
  ],
  counters: [
    { metric_name: 'sample_counter', metric_description: '', labels: ['label_1'] },
    { metric_name: 'plain_counter', metric_description: '', labels: [] },
  ],
  histograms: [
    { metric_name: 'sample_histogram', metric_description: '', labels: ['label_1'], buckets: [1, 100] },
  ],
  summaries: [
    { metric_name: 'sample_summary', metric_description: '', labels: ['label_1'], quantiles: [0.5] },
  ],
};

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const packet = (metric_name: unknown, payload?: unknown) =>
  json(payload === undefined ? { metric_name } : { metric_name, payload });

async function withInput(fn: (h: Harness) => void | Promise<void>, opts: { registry?: Registry } = {}) {
  const h = await startHermes({ definitions: DEFINITIONS, maxDatagramBytes: 2048, ...opts });
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

describe('hermes packets: accepted', () => {
  it('counter +1, ignoring any value or operation', () =>
    withInput((h) => {
      assert.equal(h.input.handleDatagram(packet('sample_counter', { labels: L1 })), null);
      assert.equal(
        h.input.handleDatagram(packet('sample_counter', { labels: L1, value: 10, operation: 'set' })),
        null,
      );
      assert.equal(h.counter('sample_counter').getChild(L1)?.value, 2);
    }));

  it('gauge increment/decrement with "value": null (python-hermes), set with a number', () =>
    withInput((h) => {
      const g = () => h.gauge('sample_gauge').getChild(L12)?.value;
      assert.equal(
        h.input.handleDatagram(packet('sample_gauge', { operation: 'increment', labels: L12, value: null })),
        null,
      );
      assert.equal(g(), 1);
      assert.equal(
        h.input.handleDatagram(packet('sample_gauge', { operation: 'increment', labels: L12, value: 5 })),
        null,
      );
      assert.equal(g(), 2); // increment is always +1
      assert.equal(
        h.input.handleDatagram(packet('sample_gauge', { operation: 'decrement', labels: L12 })),
        null,
      );
      assert.equal(g(), 1);
      assert.equal(
        h.input.handleDatagram(packet('sample_gauge', { operation: 'set', labels: L12, value: -2.5 })),
        null,
      );
      assert.equal(g(), -2.5);
    }));

  it('"labels": null (Go client, nil map) and a missing or null payload mean no labels', () =>
    withInput((h) => {
      assert.equal(h.input.handleDatagram(packet('plain_counter', { labels: null })), null);
      assert.equal(h.input.handleDatagram(packet('plain_counter', {})), null);
      assert.equal(h.input.handleDatagram(packet('plain_counter')), null);
      assert.equal(h.input.handleDatagram(packet('plain_counter', null)), null);
      assert.equal(
        h.input.handleDatagram(packet('plain_gauge', { operation: 'set', labels: null, value: 3 })),
        null,
      );
      assert.equal(h.counter('plain_counter').getChild([])?.value, 4);
      assert.equal(h.gauge('plain_gauge').getChild([])?.value, 3);
    }));

  it('histogram and summary observations, including the extension buckets and quantiles', () =>
    withInput((h) => {
      for (const v of [0.5, 50, 500]) {
        assert.equal(
          h.input.handleDatagram(packet('sample_histogram', { labels: L1, observation: v })),
          null,
        );
        assert.equal(h.input.handleDatagram(packet('sample_summary', { labels: L1, observation: v })), null);
      }
      const hist = h.histogram('sample_histogram').getChild(L1)!;
      assert.deepEqual(
        hist.buckets().map((b) => b.cumulativeCount),
        [1, 2, 3],
      );
      const s = h.summary('sample_summary').getChild(L1)!;
      assert.equal(s.count, 3);
      assert.equal(s.quantiles()[0].value, 50);
    }));

  it('unicode label values, label order in the packet does not matter', () =>
    withInput((h) => {
      const labels = { label_2: 'ünïcödé ✓ 🚀', label_1: '' };
      assert.equal(h.input.handleDatagram(packet('sample_gauge', { operation: 'increment', labels })), null);
      assert.equal(h.gauge('sample_gauge').getChild({ label_1: '', label_2: 'ünïcödé ✓ 🚀' })?.value, 1);
      assert.equal(h.received(), 1);
    }));
});

describe('hermes packets: every drop has a reason, is counted and logged at debug', () => {
  const cases: [HermesDropReason, string, Buffer][] = [
    ['oversized', 'longer than maxDatagramBytes', Buffer.alloc(2049, 0x20)],
    ['bad_json', 'garbage', Buffer.from('not json')],
    [
      'bad_json',
      'truncated',
      Buffer.from('{"metric_name": "sample_counter", "payload": {"labels": {"label_1": "a"}'),
    ],
    ['bad_json', 'binary', Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37])],
    ['bad_json', 'empty datagram', Buffer.alloc(0)],
    ['not_an_object', 'array', json([1, 2])],
    ['not_an_object', 'number', json(42)],
    ['not_an_object', 'null', json(null)],
    ['not_an_object', 'payload is a string', packet('sample_counter', 'x')],
    ['not_an_object', 'payload is an array', packet('sample_counter', [])],
    ['not_an_object', 'labels is an array', packet('sample_counter', { labels: ['label_1'] })],
    ['unknown_metric', 'not declared', packet('nope', { labels: {} })],
    ['unknown_metric', 'metric_name missing', json({ payload: { labels: L1 } })],
    ['unknown_metric', 'metric_name not a string', packet(7, { labels: L1 })],
    ['unknown_metric', 'prototype key', packet('__proto__', { labels: {} })],
    ['unknown_label', 'undeclared key', packet('sample_counter', { labels: { label_1: 'a', other: 'b' } })],
    [
      'unknown_label',
      'prototype key as label',
      json({ metric_name: 'plain_counter', payload: { labels: JSON.parse('{"__proto__": "x"}') } }),
    ],
    [
      'missing_label',
      'one of two missing',
      packet('sample_gauge', { operation: 'increment', labels: { label_1: 'a' } }),
    ],
    ['missing_label', 'labels missing', packet('sample_counter', {})],
    ['missing_label', 'labels null', packet('sample_counter', { labels: null })],
    ['missing_label', 'no payload', packet('sample_counter')],
    ['bad_label_value', 'number', packet('sample_counter', { labels: { label_1: 1 } })],
    ['bad_label_value', 'null', packet('sample_counter', { labels: { label_1: null } })],
    ['bad_label_value', 'object', packet('sample_counter', { labels: { label_1: {} } })],
    [
      'bad_label_value',
      'lone surrogate',
      Buffer.from('{"metric_name":"sample_counter","payload":{"labels":{"label_1":"\\ud800"}}}'),
    ],
    ['bad_operation', 'missing', packet('sample_gauge', { labels: L12 })],
    ['bad_operation', 'unknown', packet('sample_gauge', { labels: L12, operation: 'inc' })],
    ['bad_operation', 'wrong case', packet('sample_gauge', { labels: L12, operation: 'Increment' })],
    ['bad_operation', 'not a string', packet('sample_gauge', { labels: L12, operation: 1 })],
    ['bad_value', 'set without value', packet('sample_gauge', { labels: L12, operation: 'set' })],
    ['bad_value', 'set with null', packet('sample_gauge', { labels: L12, operation: 'set', value: null })],
    ['bad_value', 'value a string', packet('sample_gauge', { labels: L12, operation: 'set', value: '1' })],
    [
      'bad_value',
      'value a string on increment',
      packet('sample_gauge', { labels: L12, operation: 'increment', value: 'x' }),
    ],
    [
      'bad_value',
      'value too large for a float64',
      Buffer.from(
        '{"metric_name":"sample_gauge","payload":{"labels":{"label_1":"a","label_2":"b"},"operation":"set","value":1e999}}',
      ),
    ],
    // Hermes observes 0 for a missing observation (Go zero value); we refuse it.
    ['bad_value', 'observation missing', packet('sample_histogram', { labels: L1 })],
    ['bad_value', 'observation null', packet('sample_summary', { labels: L1, observation: null })],
    ['bad_value', 'observation a string', packet('sample_histogram', { labels: L1, observation: '1' })],
  ];

  for (const [reason, what, datagram] of cases) {
    it(`${reason}: ${what}`, () =>
      withInput((h) => {
        assert.equal(h.input.handleDatagram(datagram), reason);
        assert.equal(h.dropped(reason), 1);
        assert.equal(h.received(), 0);
        assert.equal(h.registry.seriesCount, 2); // only the two label-less families' series
        const log = h.logger.lines.find((l) => l.level === 'debug');
        assert.equal((log?.obj as { reason?: string } | undefined)?.reason, reason);
      }));
  }

  it('cardinality_limit: a new series beyond the registry limit', () =>
    withInput(
      (h) => {
        // 2 label-less series exist already; the limit is 3.
        assert.equal(h.input.handleDatagram(packet('sample_counter', { labels: { label_1: 'a' } })), null);
        assert.equal(
          h.input.handleDatagram(packet('sample_counter', { labels: { label_1: 'b' } })),
          'cardinality_limit',
        );
        assert.equal(h.input.handleDatagram(packet('sample_counter', { labels: { label_1: 'a' } })), null);
        assert.equal(h.dropped('cardinality_limit'), 1);
        assert.equal(h.registry.droppedSeries, 1);
      },
      { registry: new Registry({ maxSeries: 3 }) },
    ));

  it('every reason has a counter from the start', () =>
    withInput((h) => {
      const reasons = h.metrics.dropped.children().map((c) => c.labels.get('reason'));
      assert.deepEqual(reasons.sort(), [...HERMES_DROP_REASONS].sort());
    }));
});
