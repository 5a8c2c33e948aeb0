// Repeated line shapes skip the full parse (src/inputs/statsd/line-shapes.ts). Whatever the lines,
// the input must end in exactly the state it reaches when every line takes the full parse. Lines
// arriving as bytes (datagrams, TCP) look their shape up; handleLine(text) always parses in full.

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
          const a = cached.input.handleDatagram(Buffer.from(l));
          const b = full.input.handleLine(l);
          assert.equal(a, b === null ? 0 : 1, l);
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
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:1|c|#q:a')), 0);
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:2|c|#q:a')), 0); // a known shape
    assert.match(text(), /^jobs\{q="a"\} 3$/m);
    clock += 2000;
    assert.equal(h.input.expire(), 1);
    assert.doesNotMatch(text(), /jobs/);
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:5|c|#q:a')), 0);
    assert.match(text(), /^jobs\{q="a"\} 5$/m);
  });

  it('are forgotten when the mapping changes', () => {
    const h = makeHarness({ listenUdp: '', listenTcp: '' });
    const text = () => renderExposition(h.registry.collect()).body.toString('utf8');
    h.input.handleDatagram(Buffer.from('api.hits:1|c'));
    h.input.setMapping(parseMappingConfig('mappings:\n  - match: "api.*"\n    name: api_$1_renamed\n'));
    h.input.handleDatagram(Buffer.from('api.hits:1|c'));
    assert.match(text(), /^api_hits 1$/m);
    assert.match(text(), /^api_hits_renamed 1$/m);
  });

  it('finds a remembered shape by its bytes whatever the value, and tells where the value is', () => {
    const shapes = new LineShapes<string>();
    const get = (line: string, pad = 0) => {
      const buf = Buffer.from(`${'\n'.repeat(pad)}${line}\n`);
      const found = shapes.get(buf, pad, buf.length - 1);
      return { found, value: buf.toString('latin1', shapes.valueStart, shapes.valueEnd) };
    };
    shapes.set('http.duration:12.5|ms|#route:/a', 'target');
    assert.deepEqual(get('http.duration:80|ms|#route:/a'), { found: 'target', value: '80' });
    assert.deepEqual(get('http.duration:-1.5e3|ms|#route:/a', 7), { found: 'target', value: '-1.5e3' });
    assert.equal(get('http.duration:80|ms|#route:/b').found, undefined);
    assert.equal(get('http.other:80|ms|#route:/a').found, undefined);
    assert.equal(get('http.duration:80|ms').found, undefined);
    assert.equal(get('no colon').found, undefined);
    assert.equal(get(':1|c').found, undefined);
    assert.equal(shapes.size, 1);
    // The name ends at the first `:`, so a name holding `|` is not confused with a rest.
    shapes.set('a|b:1|c', 'pipe in the name');
    assert.equal(get('a:1|b|c').found, undefined);
    assert.equal(get('a|b:2|c').found, 'pipe in the name');
    // Non-ASCII names and tags are bytes like any other.
    shapes.set('température:21|g|#pièce:salon', 'utf8');
    assert.equal(get('température:22.5|g|#pièce:salon').found, 'utf8');
    // Set again: the new target replaces the old.
    shapes.set('http.duration:1|ms|#route:/a', 'again');
    assert.equal(get('http.duration:2|ms|#route:/a').found, 'again');
    assert.equal(shapes.size, 3);
    shapes.clear();
    assert.equal(get('http.duration:12.5|ms|#route:/a').found, undefined);
    assert.equal(shapes.size, 0);
  });

  it('never stand in for a line that is not UTF-8, nor change a line that is malformed', () => {
    const h = makeHarness({ listenUdp: '', listenTcp: '' });
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:1|c')), 0);
    // The same shape with a value of invalid bytes: malformed, whatever the shape.
    const bad = Buffer.concat([Buffer.from('jobs:'), Buffer.from([0xff, 0x31]), Buffer.from('|c')]);
    assert.equal(h.input.handleDatagram(bad), 1);
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:x|c')), 1);
    assert.equal(h.input.handleDatagram(Buffer.from('jobs:2|c\r\njobs:3|c\n\njobs:|c')), 1);
    assert.deepEqual(h.drops(), { malformed: 1, bad_value: 2 });
    assert.match(renderExposition(h.registry.collect()).body.toString('utf8'), /^jobs 6$/m);
  });
});
