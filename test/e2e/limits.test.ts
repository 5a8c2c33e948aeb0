// The cardinality limits from the command line hold on a running telemux: series beyond them are
// dropped and counted, earlier series keep their values, and the process keeps serving.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HermesClient } from '../../src/client/index.ts';
import { eventually } from '../helpers/prometheus.ts';
import { startTelemux } from '../helpers/telemux-process.ts';

const definitions = fileURLToPath(new URL('../fixtures/hermes-seed.json', import.meta.url));

test('limits.max_series caps the live series; the overflow is counted, not kept', async () => {
  const t = await startTelemux([`--hermes.definitions=${definitions}`, '--limits.max_series=2']);
  const [host, port] = t.addresses.hermes.split(':');
  const client = new HermesClient({ host, port: Number(port) });
  try {
    for (const v of ['a', 'b', 'c', 'd']) client.incrementCounter('sample_counter', { label_1: v });
    client.incrementCounter('sample_counter', { label_1: 'a' });
    await client.flush();
    const body = await eventually(async () => {
      const text = await (await fetch(`http://${t.addresses.http}/metrics`)).text();
      return text.includes('telemux_input_received_total{input="hermes"} 3') ? text : undefined;
    }, 5000);
    const lines = body.split('\n');
    assert.ok(lines.includes('sample_counter{label_1="a"} 2'));
    assert.ok(lines.includes('sample_counter{label_1="b"} 1'));
    assert.ok(!body.includes('label_1="c"'));
    assert.ok(lines.includes('telemux_input_dropped_total{input="hermes",reason="cardinality_limit"} 2'));
    assert.ok(lines.includes('telemux_registry_series_dropped_total{registry="hermes"} 2'));
    assert.ok(lines.includes('telemux_registry_series{registry="hermes"} 2'));
  } finally {
    client.close();
    await t.stop();
  }
});
