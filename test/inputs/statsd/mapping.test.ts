import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_QUANTILES,
  loadMappingFile,
  parseMappingConfig,
  StatsdMapper,
  StatsdMappingError,
} from '../../../src/inputs/statsd/index.ts';
import { DEFAULT_BUCKETS } from '../../../src/registry/index.ts';
import { makeHarness } from './harness.ts';

const CONFIG = `
defaults:
  observer_type: histogram
  buckets: [0.1, 1, 10]
  ttl: 0
mappings:
  - match: "test.dispatcher.*.*.*"
    name: "dispatcher_events_total"
    labels:
      processor: "$1"
      action: "$2"
      outcome: "$3"
      job: "test_dispatcher"
  - match: "*.signup.*.*"
    name: "signup_events_total"
    labels: { provider: "$2", outcome: "\${3}", job: "\${1}_server" }
  - match: "drop.*"
    action: drop
  - match: "timer.*"
    match_metric_type: observer
    name: "timer_\${1}_seconds"
    observer_type: summary
    quantiles:
      - quantile: 0.9
        error: 0.01
  - match: "timer.*"
    name: "timer_\${1}_other"
  - match: "hist.*"
    name: "h_$1"
    histogram_options:
      buckets: [1, 2]
  - match: 'client\\.(?P<app>[a-z]+)\\.(\\w+)'
    match_type: regex
    name: "client_$2"
    labels: { app: "\${app}", whole: "$0" }
  - match: "short.*"
    name: "short_$1"
    ttl: 1m
    scale: 0.5
`;

describe('statsd mapping file', () => {
  const cfg = parseMappingConfig(CONFIG, 'test.yml');
  const mapper = new StatsdMapper(cfg);

  it('globs capture components into name and labels', () => {
    const r = mapper.map('test.dispatcher.FooProcessor.send.success', 'counter');
    assert.equal(r.name, 'dispatcher_events_total');
    assert.deepEqual(r.labels, [
      ['processor', 'FooProcessor'],
      ['action', 'send'],
      ['outcome', 'success'],
      ['job', 'test_dispatcher'],
    ]);
    const s = mapper.map('foo_product.signup.facebook.failure', 'counter');
    assert.equal(s.name, 'signup_events_total');
    assert.deepEqual(Object.fromEntries(s.labels), {
      provider: 'facebook',
      outcome: 'failure',
      job: 'foo_product_server',
    });
    // `*` stays within one component.
    assert.equal(mapper.map('test.dispatcher.a.b', 'counter').rule, undefined);
    assert.equal(mapper.map('test.dispatcher.a.b.c.d', 'counter').rule, undefined);
  });

  it('unmatched names are escaped and keep the defaults', () => {
    const r = mapper.map('some.other-metric', 'observer');
    assert.equal(r.name, 'some_other_metric');
    assert.deepEqual(r.labels, []);
    assert.equal(r.observerType, 'histogram');
    assert.deepEqual(r.buckets, [0.1, 1, 10]);
  });

  it('drop, match_metric_type, observer types and options', () => {
    assert.equal(mapper.map('drop.me', 'gauge').action, 'drop');
    const t = mapper.map('timer.api', 'observer');
    assert.equal(t.name, 'timer_api_seconds');
    assert.equal(t.observerType, 'summary');
    assert.deepEqual(t.quantiles, [{ quantile: 0.9, error: 0.01 }]);
    assert.equal(mapper.map('timer.api', 'counter').name, 'timer_api_other');
    const h = mapper.map('hist.x', 'observer');
    assert.equal(h.observerType, 'histogram');
    assert.deepEqual(h.buckets, [1, 2]);
  });

  it('regex mappings run after globs, with named groups and $0', () => {
    const r = mapper.map('client.web.requests', 'counter');
    assert.equal(r.name, 'client_requests');
    assert.deepEqual(Object.fromEntries(r.labels), { app: 'web', whole: 'client.web.requests' });
    const cfg2 = parseMappingConfig(
      `mappings:
  - match: "a\\\\..*"
    match_type: regex
    name: regex_first
  - match: "a.*"
    name: glob_second
`,
      'order.yml',
    );
    assert.equal(new StatsdMapper(cfg2).map('a.b', 'counter').name, 'glob_second');
    assert.equal(new StatsdMapper(cfg2).map('a.b.c', 'counter').name, 'regex_first');
  });

  it('a catch-all regex drop', () => {
    const m = new StatsdMapper(
      parseMappingConfig(
        `mappings:\n  - match: "keep.*"\n    name: kept\n  - match: "."\n    match_type: regex\n    action: drop\n`,
      ),
    );
    assert.equal(m.map('keep.x', 'counter').name, 'kept');
    assert.equal(m.map('other', 'counter').action, 'drop');
  });

  it('defaults: statsd_exporter summary with 0.5/0.9/0.99 and the client_golang buckets', () => {
    const r = new StatsdMapper().map('x', 'observer');
    assert.equal(r.observerType, 'summary');
    assert.deepEqual(r.quantiles, DEFAULT_QUANTILES);
    assert.deepEqual(r.buckets, DEFAULT_BUCKETS);
    const d = parseMappingConfig(
      'defaults:\n  timer_type: histogram\n  match_type: regex\n  ttl: 30s\n  summary_options: { quantiles: [{quantile: 0.5, error: 0.1}] }\nmappings:\n  - match: "^x$"\n    name: y\n',
    );
    assert.equal(d.defaults.observerType, 'histogram');
    assert.equal(d.defaults.ttlMs, 30_000);
    assert.equal(d.rules[0].matchType, 'regex');
    assert.equal(d.rules[0].ttlMs, 30_000);
    assert.deepEqual(d.rules[0].quantiles, [{ quantile: 0.5, error: 0.1 }]);
  });

  it('loading errors name the file and the key', () => {
    const bad: [string, RegExp][] = [
      ['mappings: 3', /f\.yml: mappings: must be a list/],
      ['mappings:\n  - match: "a.*"\n', /f\.yml: mappings\[0\]\.name: must be a string/],
      ['mappings:\n  - match: "a.*"\n    name: x\n    labls: {}\n', /mappings\[0\]\.labls: unknown key/],
      ['mappings:\n  - match: "a b"\n    name: x\n', /mappings\[0\]\.match: invalid glob/],
      [
        'mappings:\n  - match: "("\n    match_type: regex\n    name: x\n',
        /mappings\[0\]\.match: invalid regex/,
      ],
      [
        'mappings:\n  - match: "a"\n    name: x\n    observer_type: gauge\n',
        /mappings\[0\]\.observer_type: must be one of/,
      ],
      [
        'mappings:\n  - match: "a"\n    name: x\n    ttl: 5 minutes\n',
        /mappings\[0\]\.ttl: not a valid duration/,
      ],
      [
        'mappings:\n  - match: "a"\n    name: x\n    buckets: [2, 1]\n',
        /mappings\[0\]\.buckets\[1\]: buckets must be strictly increasing/,
      ],
      [
        'mappings:\n  - match: "a"\n    name: x\n    labels: { "1x": y }\n',
        /mappings\[0\]\.labels\.1x: invalid label name/,
      ],
      [
        'defaults:\n  quantiles: [{quantile: 2}]\n',
        /defaults\.quantiles\[0\]\.quantile: must be within \[0, 1\]/,
      ],
      [
        'defaults:\n  native_histogram_bucket_factor: 1.1\n',
        /defaults\.native_histogram_bucket_factor: unknown key/,
      ],
      ['mappings: [\n', /f\.yml: not valid YAML/],
    ];
    for (const [text, re] of bad)
      assert.throws(
        () => parseMappingConfig(text, 'f.yml'),
        (e: Error) => e instanceof StatsdMappingError && re.test(e.message),
        text,
      );
    const dir = mkdtempSync(join(tmpdir(), 'statsd-map-'));
    const path = join(dir, 'm.yml');
    writeFileSync(path, 'mappings:\n  - match: "a.*"\n    name: a_$1\n');
    assert.equal(new StatsdMapper(loadMappingFile(path)).map('a.b', 'gauge').name, 'a_b');
    assert.throws(() => loadMappingFile(join(dir, 'missing.yml')), /missing\.yml: cannot read/);
  });

  it('an empty file maps nothing', () => {
    assert.equal(parseMappingConfig('', 'e.yml').rules.length, 0);
  });
});

describe('statsd mapping applied by the input', () => {
  it('labels, drop, scale and observer types end up in the registry', () => {
    const h = makeHarness({ mapping: parseMappingConfig(CONFIG, 'test.yml') });
    const lines = [
      'test.dispatcher.FooProcessor.send.success:1|c',
      'test.dispatcher.FooProcessor.send.success:2|c',
      'drop.me:1|c',
      'timer.api:500|ms',
      'hist.x:1.5|h',
      'short.a:10|g',
      'plain.metric:3|g|#env:prod',
    ];
    for (const l of lines) h.input.handleLine(l);
    assert.deepEqual(h.drops(), { mapping_drop: 1 });
    assert.equal(h.received(), 6);
    const c = h.registry.get('dispatcher_events_total')!;
    assert.equal(c.type, 'counter');
    const child = c.getChild({
      processor: 'FooProcessor',
      action: 'send',
      outcome: 'success',
      job: 'test_dispatcher',
    }) as { value: number };
    assert.equal(child.value, 3);
    const t = h.registry.get('timer_api_seconds')!;
    assert.equal(t.type, 'summary');
    const tm = t.collect()!.metrics[0];
    assert.equal(tm.sum, 0.5);
    assert.deepEqual(tm.quantiles, [{ quantile: 0.9, value: 0.5 }]);
    const hx = h.registry.get('h_x')!.collect()!.metrics[0];
    assert.deepEqual(
      hx.buckets?.map((b) => b.cumulativeCount),
      [0, 1, 1],
    );
    assert.equal((h.registry.get('short_a')!.getChild([]) as { value: number }).value, 5); // scale 0.5
    assert.equal((h.registry.get('plain_metric')!.getChild({ env: 'prod' }) as { value: number }).value, 3);
  });

  it('ttl: series not updated within ttl are removed (injected clock); counters restart', () => {
    let now = 1_000_000;
    const h = makeHarness({
      now: () => now,
      mapping: parseMappingConfig('mappings:\n  - match: "a.*"\n    name: a_$1\n    ttl: 1m\n'),
    });
    h.input.handleLine('a.x:1|c|#k:1');
    h.input.handleLine('a.x:1|c|#k:2');
    h.input.handleLine('b:1|c'); // no ttl
    assert.equal(h.input.seriesCount, 3);
    now += 30_000;
    h.input.handleLine('a.x:1|c|#k:2'); // refreshes k=2
    assert.equal(h.input.expire(now + 29_999), 0);
    assert.equal(h.input.expire(now + 30_000), 1); // k=1 is 60 s old
    const fam = h.registry.get('a_x')!;
    assert.equal(fam.getChild({ k: '1' }), undefined);
    assert.equal((fam.getChild({ k: '2' }) as { value: number }).value, 2);
    now += 60_000;
    assert.equal(h.input.expire(), 1);
    // The family is gone with its last series; a new one starts from zero (as statsd_exporter #353).
    assert.equal(h.registry.get('a_x'), undefined);
    h.input.handleLine('a.x:5|c|#k:2');
    assert.equal((h.registry.get('a_x')!.getChild({ k: '2' }) as { value: number }).value, 5);
    assert.equal(h.input.seriesCount, 2);
    assert.equal(h.registry.seriesCount, 2);
  });

  it('honor_labels lets tags win over mapping labels', () => {
    const yaml =
      'mappings:\n  - match: "a"\n    name: a\n    labels: { env: dflt }\n  - match: "b"\n    name: b\n    honor_labels: true\n    labels: { env: dflt }\n';
    const h = makeHarness({ mapping: parseMappingConfig(yaml) });
    h.input.handleLine('a:1|c|#env:tag');
    h.input.handleLine('b:1|c|#env:tag');
    assert.ok(h.registry.get('a')!.getChild({ env: 'dflt' }));
    assert.ok(h.registry.get('b')!.getChild({ env: 'tag' }));
  });
});
