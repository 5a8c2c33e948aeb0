import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  declareHermesMetrics,
  HermesDefinitionsError,
  loadHermesDefinitions,
  parseHermesDefinitions,
} from '../../../src/inputs/hermes/index.ts';
import { Registry } from '../../../src/registry/index.ts';
import { memoryLogger, SEED_DEFINITIONS_PATH } from './harness.ts';

function issuesOf(value: unknown): readonly string[] {
  try {
    parseHermesDefinitions(value);
  } catch (err) {
    assert.ok(err instanceof HermesDefinitionsError);
    return err.issues;
  }
  assert.fail('expected a HermesDefinitionsError');
}

const entry = (metric_name: string, labels: string[] = []) => ({
  metric_name,
  metric_description: 'd',
  labels,
});

describe('hermes definitions', () => {
  it('loads the README configuration (gauges and counters) plus histograms and summaries', () => {
    const defs = loadHermesDefinitions(SEED_DEFINITIONS_PATH);
    assert.equal(defs.service_name, 'testing-service');
    assert.deepEqual(defs.gauges, [
      {
        metric_name: 'sample_gauge',
        metric_description: 'gauges are awesome',
        labels: ['label_1', 'label_2'],
      },
    ]);
    assert.equal(defs.counters[0].metric_name, 'sample_counter');
    assert.equal(defs.histograms.length, 1);
    assert.equal(defs.summaries.length, 1);
  });

  it('treats missing or null sections, labels and descriptions as empty (Go zero values)', () => {
    const defs = parseHermesDefinitions({
      gauges: null,
      counters: [{ metric_name: 'c', labels: null, metric_description: null }],
    });
    assert.deepEqual(defs, {
      service_name: '',
      gauges: [],
      counters: [{ metric_name: 'c', metric_description: '', labels: [] }],
      histograms: [],
      summaries: [],
    });
  });

  it('accepts the buckets and quantiles extensions', () => {
    const defs = parseHermesDefinitions({
      histograms: [{ ...entry('h'), buckets: [0.1, 1, 10] }],
      summaries: [{ ...entry('s'), quantiles: [0.5, { quantile: 0.99, error: 0.001 }] }],
    });
    assert.deepEqual(defs.histograms[0].buckets, [0.1, 1, 10]);
    assert.deepEqual(defs.summaries[0].quantiles, [0.5, { quantile: 0.99, error: 0.001 }]);
    const registry = new Registry();
    const table = declareHermesMetrics(registry, defs);
    assert.equal(table.get('h')?.kind, 'histogram');
    assert.equal(
      registry.summary({ name: 's', help: 'd', quantiles: [0.5, { quantile: 0.99, error: 0.001 }] }),
      table.get('s')?.family,
    );
  });

  it('names every problem with its JSON path', () => {
    const issues = issuesOf({
      gauges: [entry('bad-name'), entry('ok', ['bad label', '__reserved', 'dup', 'dup'])],
      histograms: [{ ...entry('h', ['le']), buckets: [2, 1] }],
      summaries: [{ ...entry('s', ['quantile']), quantiles: [1.5] }],
    });
    const expected = [
      /^gauges\[0\]\.metric_name: "bad-name" is not a valid metric name/,
      /^gauges\[1\]\.labels\[0\]: "bad label" is not a valid label name/,
      /^gauges\[1\]\.labels\[1\]: "__reserved" is reserved/,
      /^gauges\[1\]\.labels\[3\]: label "dup" is listed twice/,
      /^histograms\[0\]\.labels\[0\]: "le" cannot be used on a histogram/,
      /^histograms\[0\]\.buckets: buckets must be strictly increasing/,
      /^summaries\[0\]\.labels\[0\]: "quantile" cannot be used on a summary/,
      /^summaries\[0\]\.quantiles: quantile 1.5 is not within \[0, 1\]/,
    ];
    assert.equal(issues.length, expected.length, issues.join('\n'));
    expected.forEach((re, i) => {
      assert.match(issues[i], re);
    });
  });

  it('reports type errors with their paths', () => {
    const issues = issuesOf({ gauges: [{ metric_name: 5, labels: 'x' }], counters: {} });
    assert.ok(issues.some((i) => i.startsWith('gauges[0].metric_name:')));
    assert.ok(issues.some((i) => i.startsWith('gauges[0].labels:')));
    assert.ok(issues.some((i) => i.startsWith('counters:')));
    assert.deepEqual(issuesOf([]), ['(top level): Invalid input: expected object, received array']);
  });

  it('refuses a metric declared twice, within or across kinds, naming every place', () => {
    const issues = issuesOf({
      gauges: [entry('x')],
      counters: [entry('x'), entry('y'), entry('y')],
      summaries: [entry('x')],
    });
    assert.deepEqual(issues, [
      'metric "x" is declared more than once: gauges[0], counters[0], summaries[0]',
      'metric "y" is declared more than once: counters[1], counters[2]',
    ]);
  });

  it('warns about unknown keys (Hermes ignores them) but not about the v0.1 listen keys', () => {
    const logger = memoryLogger();
    parseHermesDefinitions(
      { listen_address: '0.0.0.0', listen_port: 7789, extra: 1, gauges: [{ ...entry('g'), buckets: [1] }] },
      { logger },
    );
    assert.equal(logger.lines.length, 1);
    assert.deepEqual((logger.lines[0].obj as { keys: string[] }).keys, ['extra', 'gauges[0].buckets']);
  });

  it('names the file when it cannot be read or is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hermes-defs-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "gauges": [ ');
    assert.throws(
      () => loadHermesDefinitions(bad),
      (err: Error) => err.message.includes(bad) && /not valid JSON/.test(err.message),
    );
    const missing = join(dir, 'missing.json');
    assert.throws(
      () => loadHermesDefinitions(missing),
      (err: Error) => err.message.includes(missing) && /cannot read/.test(err.message),
    );
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ counters: [entry('a-b')] }));
    assert.throws(
      () => loadHermesDefinitions(invalid),
      (err: Error) => err.message.includes(`invalid Hermes definitions in ${invalid}`),
    );
  });

  it('declaring twice into one registry is idempotent; a conflicting family throws', () => {
    const registry = new Registry();
    const defs = loadHermesDefinitions(SEED_DEFINITIONS_PATH);
    const a = declareHermesMetrics(registry, defs);
    const b = declareHermesMetrics(registry, defs);
    assert.equal(a.get('sample_counter')?.family, b.get('sample_counter')?.family);
    const other = new Registry();
    other.gauge({ name: 'sample_counter', help: '' });
    assert.throws(() => declareHermesMetrics(other, defs), /already registered/);
  });
});
