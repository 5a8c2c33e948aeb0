import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createInputMetrics,
  inputCounters,
  ProcessCollector,
  Registry,
  RegistryCollector,
} from '../../src/registry/index.ts';

describe('self-metrics', () => {
  it('input metrics are declared once, shared by inputs, with every reason present from the start', () => {
    const self = new Registry();
    const m = createInputMetrics(self);
    assert.equal(createInputMetrics(self).dropped, m.dropped);
    const hermes = inputCounters(m, 'hermes', ['bad_json', 'oversized'] as const);
    hermes.received.inc();
    hermes.dropped.bad_json.inc(2);
    const out = new Map(self.collect().map((f) => [f.name, f]));
    assert.deepEqual(
      out.get('telemux_input_dropped_total')?.metrics.map((x) => [x.labels.toString(), x.value]),
      [
        ['{input="hermes", reason="bad_json"}', 2],
        ['{input="hermes", reason="oversized"}', 0],
      ],
    );
    assert.equal(out.get('telemux_input_received_total')?.metrics[0].value, 1);
  });

  it('registry collector reports series and drops of one or several registries', () => {
    const main = new Registry({ maxSeries: 1 });
    const f = main.counter({ name: 'c', help: '', labelNames: ['id'] });
    f.labels('1');
    f.labels('2');
    const single = new RegistryCollector(main).collect();
    assert.deepEqual(
      single.map((x) => [x.name, x.type, x.metrics[0].labels.size, x.metrics[0].value]),
      [
        ['telemux_registry_series', 'gauge', 0, 1],
        ['telemux_registry_series_dropped_total', 'counter', 0, 1],
      ],
    );
    const self = new Registry();
    const hermes = new Registry();
    const collector = new RegistryCollector({ main, hermes });
    self.registerCollector(collector);
    const out = self.collect();
    assert.deepEqual(
      out[0].metrics.map((x) => [x.labels.toString(), x.value]),
      [
        ['{registry="hermes"}', 0],
        ['{registry="main"}', 1],
      ],
    );
    // The same Labels instances on every collect.
    assert.equal(self.collect()[0].metrics[0].labels, out[0].metrics[0].labels);
  });

  it('process collector reports process metrics and build info', () => {
    const out = new ProcessCollector('1.2.3').collect();
    const names = out.map((f) => f.name);
    assert.deepEqual(names, [...names].sort());
    for (const n of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'telemux_build_info']) {
      assert.ok(names.includes(n), n);
    }
    const build = out.find((f) => f.name === 'telemux_build_info')!;
    assert.equal(build.metrics[0].labels.get('version'), '1.2.3');
  });
});
