// Our packets against python-hermes' serialisation: python3's json.dumps of the same pydantic
// field order, byte for byte.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { counterPacket, gaugePacket, observationPacket } from '../../src/client/index.ts';
import { pyFloat } from '../../src/client/python-json.ts';

// What python-hermes does: model fields in declaration order, floats for value/observation,
// then json.dumps. Reads one JSON case per line, prints one packet per line.
const PYTHON = `
import json, sys
for line in sys.stdin:
    kind, name, labels, number = json.loads(line)
    if kind == 'counter':
        payload = {'labels': labels}
    elif kind in ('increment', 'decrement'):
        payload = {'operation': kind, 'labels': labels, 'value': None}
    elif kind == 'set':
        payload = {'operation': 'set', 'labels': labels, 'value': float(number)}
    else:
        payload = {'labels': labels, 'observation': float(number)}
    print(json.dumps({'metric_name': name, 'payload': payload}))
`;

type Case = [
  kind: 'counter' | 'increment' | 'decrement' | 'set' | 'observe',
  name: string,
  labels: Record<string, string>,
  n: number,
];

function python(cases: readonly Case[]): string[] {
  const input = cases.map((c) => JSON.stringify(c)).join('\n');
  return execFileSync('python3', ['-c', PYTHON], { input, encoding: 'utf8' }).trimEnd().split('\n');
}

function ours([kind, name, labels, n]: Case): string {
  switch (kind) {
    case 'counter':
      return counterPacket(name, labels);
    case 'increment':
    case 'decrement':
      return gaugePacket(name, kind, labels);
    case 'set':
      return gaugePacket(name, 'set', labels, n);
    case 'observe':
      return observationPacket(name, n, labels);
  }
}

describe('packets are byte-identical to python-hermes', () => {
  it('README examples', () => {
    const cases: Case[] = [
      ['counter', 'sample_counter', { label_1: 'testing label 1' }, 0],
      ['increment', 'sample_gauge', { label_1: 'testing label 1', label_2: 'testing label 2' }, 0],
      ['decrement', 'sample_gauge', { label_1: 'testing label 1', label_2: 'testing label 2' }, 0],
      ['set', 'sample_gauge', { label_1: 'testing label 1', label_2: 'testing label 2' }, 65.4],
      ['observe', 'sample_histogram', { label_1: 'test-label' }, 6.54],
      ['observe', 'sample_summary', { label_1: 'test-label' }, 20.84],
      ['set', 'g', {}, 54],
    ];
    assert.deepEqual(cases.map(ours), python(cases));
    assert.equal(
      ours(cases[1]),
      '{"metric_name": "sample_gauge", "payload": {"operation": "increment", "labels": {"label_1": "testing label 1", "label_2": "testing label 2"}, "value": null}}',
    );
  });

  it('any names, labels and finite numbers (property, checked against python3)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const arb = fc.tuple(
      fc.constantFrom(
        'counter' as const,
        'increment' as const,
        'decrement' as const,
        'set' as const,
        'observe' as const,
      ),
      text,
      fc.dictionary(text, text, { maxKeys: 3 }),
      fc
        .oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer(),
          fc.constantFrom(0, 1e16, 1e-5, 1e-4, 123456789012345680000),
        )
        // -0 does not survive the trip to python as JSON; pyFloat(-0) is checked below.
        .map((n) => (Object.is(n, -0) ? 0 : n)),
    );
    const cases = fc.sample(arb, { numRuns: 400, seed: 7 }) as Case[];
    assert.deepEqual(cases.map(ours), python(cases));
  });

  it('formats floats like Python repr', () => {
    assert.deepEqual([1, 0.1, -0, 1e16, 1e15, 1e-5, 0.0001, 1.5e300, 5e-324, 123.456].map(pyFloat), [
      '1.0',
      '0.1',
      '-0.0',
      '1e+16',
      '1000000000000000.0',
      '1e-05',
      '0.0001',
      '1.5e+300',
      '5e-324',
      '123.456',
    ]);
  });
});
