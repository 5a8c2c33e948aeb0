// Repeated line shapes skip the full parse (src/inputs/statsd/line-shapes.ts). Whatever the lines,
// the input must end in exactly the state it reaches when every line takes the full parse.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderExposition } from '../../../src/format/exposition/render.ts';
import { type MappingConfig, parseMappingConfig } from '../../../src/inputs/statsd/index.ts';
import { LineShapes } from '../../../src/inputs/statsd/line-shapes.ts';
import { makeHarness, type StatsdHarness } from './harness.ts';

const MAPPING = parseMappingConfig(
  [
    'mappings:',
    '  - match: "scaled.*"',
    '    name: scaled_$1',
    '    scale: -2',
    '  - match: "hist.*"',
    '    name: hist_$1',
    '    observer_type: histogram',
    '    buckets: [0.01, 1, 100]',
    '    labels: { which: "$1" }',
    '  - match: "gone.*"',
    '    action: drop',
    '',
  ].join('\n'),
);

const name = fc.constantFrom(
  'a',
  'b.c',
  'scaled.x',
  'hist.y',
  'gone.z',
  'a,host=h1',
  'a#host=h2',
  'a[host=h3]',
);
const value = fc.oneof(
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String),
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('+1', '-2', '+0.5', '-0', '1e3', '.5', 'x', '', 'NaN', '1e400', '0x10', '1:2', '3:4:5'),
);
const type = fc.constantFrom('c', 'g', 'ms', 'h', 'd', 's', 'q');
const sections = fc.array(
  fc.constantFrom('@0.5', '@0.1', '@2', '#route:/x', '#route:/y,code:200', 'T12', 'e:x'),
  {
    maxLength: 2,
  },
);
/** A few shapes, then many lines of those shapes with values of every kind. */
const lines = fc.array(fc.tuple(name, type, sections), { minLength: 1, maxLength: 6 }).chain((shapes) =>
  fc.array(
    fc
      .tuple(fc.nat(shapes.length - 1), value)
      .map(([i, v]) => `${shapes[i][0]}:${v}|${shapes[i][1]}${shapes[i][2].map((x) => `|${x}`).join('')}`),
    { minLength: 1, maxLength: 80 },
  ),
);

function state(h: StatsdHarness): string {
  return `${renderExposition(h.registry.collect()).body.toString('utf8')}\n${JSON.stringify(h.drops())} ${h.received()}`;
}

describe('statsd line shapes', () => {
  it('give the same registry and counters as parsing every line in full (property)', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), (lines, mapped) => {
        const mapping: MappingConfig | undefined = mapped ? MAPPING : undefined;
        const cached = makeHarness({ listenUdp: '', listenTcp: '', mapping });
        const full = makeHarness({ listenUdp: '', listenTcp: '', mapping });
        for (const l of lines) {
          const a = cached.input.handleLine(l);
          full.input.setMapping(mapping ?? parseMappingConfig('mappings: []\n')); // forgets every shape
          const b = full.input.handleLine(l);
          assert.equal(a, b, l);
        }
        assert.equal(state(cached), state(full));
      }),
      { numRuns: 1000 },
    );
  });

  it('are forgotten when a series expires, so its next line makes the series again', () => {
    let clock = 1_000_000;
    const h = makeHarness({
      listenUdp: '',
      listenTcp: '',
      now: () => clock,
      mapping: parseMappingConfig('defaults:\n  ttl: 1s\nmappings: []\n'),
    });
    const text = () => renderExposition(h.registry.collect()).body.toString('utf8');
    assert.equal(h.input.handleLine('jobs:1|c|#q:a'), null);
    assert.equal(h.input.handleLine('jobs:2|c|#q:a'), null); // a known shape
    assert.match(text(), /^jobs\{q="a"\} 3$/m);
    clock += 2000;
    assert.equal(h.input.expire(), 1);
    assert.doesNotMatch(text(), /jobs/);
    assert.equal(h.input.handleLine('jobs:5|c|#q:a'), null);
    assert.match(text(), /^jobs\{q="a"\} 5$/m);
  });

  it('are forgotten when the mapping changes', () => {
    const h = makeHarness({ listenUdp: '', listenTcp: '' });
    const text = () => renderExposition(h.registry.collect()).body.toString('utf8');
    h.input.handleLine('api.hits:1|c');
    h.input.setMapping(parseMappingConfig('mappings:\n  - match: "api.*"\n    name: api_$1_renamed\n'));
    h.input.handleLine('api.hits:1|c');
    assert.match(text(), /^api_hits 1$/m);
    assert.match(text(), /^api_hits_renamed 1$/m);
  });

  it('finds a remembered shape whatever the value, and tells where the value is', () => {
    const shapes = new LineShapes<string>();
    shapes.set('http.duration:12.5|ms|#route:/a', 'target');
    assert.equal(shapes.get('http.duration:80|ms|#route:/a'), 'target');
    assert.equal('http.duration:80|ms|#route:/a'.slice(shapes.valueStart, shapes.valueEnd), '80');
    assert.equal(shapes.get('http.duration:80|ms|#route:/b'), undefined);
    assert.equal(shapes.get('http.other:80|ms|#route:/a'), undefined);
    assert.equal(shapes.get('no colon'), undefined);
    assert.equal(shapes.size, 1);
    shapes.clear();
    assert.equal(shapes.get('http.duration:12.5|ms|#route:/a'), undefined);
  });
});
