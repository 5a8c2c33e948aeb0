import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  counterIncrement,
  escapeMetricName,
  formatSample,
  observationCount,
  observedValue,
  parseLine,
  parsePacket,
  StatsdParseError,
  type StatsdParseReason,
  type StatsdSample,
  type TagStyle,
} from '../../../src/format/statsd/index.ts';
import { parseNumber, parseNumberBytes } from '../../../src/format/statsd/line.ts';

function sample(over: Partial<StatsdSample>): StatsdSample {
  return { name: 'm', type: 'c', value: 1, relative: false, sampleRate: 1, tags: {}, ...over };
}

function reasonOf(line: string): StatsdParseReason {
  try {
    parseLine(line);
  } catch (err) {
    assert.ok(err instanceof StatsdParseError, `expected StatsdParseError, got ${err}`);
    assert.ok(err.message.length > 0);
    return err.reason;
  }
  assert.fail(`"${line}" parsed`);
}

describe('statsd line grammar', () => {
  it('parses every type', () => {
    assert.deepEqual(parsePacket('a.b:1|c\ng:-2.5|g\nt:320|ms\nh:0.5|h\nd:7|d'), [
      sample({ name: 'a.b' }),
      sample({ name: 'g', type: 'g', value: -2.5, relative: true }),
      sample({ name: 't', type: 'ms', value: 320 }),
      sample({ name: 'h', type: 'h', value: 0.5 }),
      sample({ name: 'd', type: 'd', value: 7 }),
    ]);
  });

  it('gauges: a sign means a change; other types ignore it', () => {
    assert.deepEqual(parseLine('g:+3|g'), [sample({ name: 'g', type: 'g', value: 3, relative: true })]);
    assert.deepEqual(parseLine('g:3|g'), [sample({ name: 'g', type: 'g', value: 3 })]);
    assert.deepEqual(parseLine('c:+3|c'), [sample({ name: 'c', value: 3 })]);
  });

  it('several samples per line, split on ":" (statsd_exporter multi-metric)', () => {
    assert.deepEqual(parseLine('a:1|c:2|c|@0.5:3|g'), [
      sample({ name: 'a' }),
      sample({ name: 'a', value: 2, sampleRate: 0.5 }),
      sample({ name: 'a', type: 'g', value: 3 }),
    ]);
  });

  it('DogStatsD extended aggregation only for ms, h and d', () => {
    const tags = { env: 'prod' };
    assert.deepEqual(parseLine('t:1:2:3|ms|@0.5|#env:prod'), [
      sample({ name: 't', type: 'ms', value: 1, sampleRate: 0.5, tags }),
      sample({ name: 't', type: 'ms', value: 2, sampleRate: 0.5, tags }),
      sample({ name: 't', type: 'ms', value: 3, sampleRate: 0.5, tags }),
    ]);
    assert.equal(parseLine('h:1:2|h').length, 2);
    assert.equal(reasonOf('c:1:2|c'), 'malformed');
    assert.equal(reasonOf('c:1:2|g|#a:b'), 'malformed');
  });

  it('tag styles', () => {
    const tags = { k: 'v', k2: 'v2' };
    for (const line of [
      'm:1|c|#k:v,k2:v2',
      'm:1|c|#k:v,#k2:v2',
      'm,k=v,k2=v2:1|c',
      'm#k=v,k2=v2:1|c',
      'm[k=v,k2=v2]:1|c',
    ]) {
      const [s] = parseLine(line);
      assert.equal(s.name, 'm', line);
      assert.deepEqual(s.tags, tags, line);
    }
    // SignalFX: the tags may sit in the middle of the name.
    assert.equal(parseLine('a[k=v].b:1|c')[0].name, 'a.b');
    // One bracket alone: the name is left as it is.
    assert.equal(parseLine('a[k=v:1|c')[0].name, 'a[k=v');
    // DogStatsD tag values may hold ':'; keys are escaped; bad and reserved tags are ignored.
    assert.deepEqual(parseLine('m:1|c|#url:http://x,1a.b:c,novalue,:v,k:,__x:y')[0].tags, {
      url: 'http://x',
      _1a_b: 'c',
    });
    assert.deepEqual(parseLine('m:1|c|#a:b|c:abc123|T1656581400')[0].tags, {
      a: 'b',
      container_id: 'abc123',
    });
    // Without DogStatsD tags the line is split on ':' first (statsd_exporter does the same).
    assert.equal(reasonOf('m:1|c|c:abc123'), 'malformed');
    assert.equal(reasonOf('m,a=b:1|c|#c:d'), 'bad_tags');
    // Only valid name tags make a mix: statsd_exporter counts `m,bad` as a tag error, not a mix.
    assert.deepEqual(parseLine('m,bad:1|c|#c:d')[0].tags, { c: 'd' });
  });

  it('tag styles can be turned off', () => {
    assert.equal(parseLine('m,k=v:1|c', [], { influxdb: false })[0].name, 'm,k=v');
    assert.equal(parseLine('m#k=v:1|c', [], { librato: false })[0].name, 'm#k=v');
    assert.equal(parseLine('m[k=v]:1|c', [], { signalfx: false })[0].name, 'm[k=v]');
    assert.throws(() => parseLine('m:1|c|#k:v', [], { dogstatsd: false }), /DogStatsD tags are disabled/);
  });

  it('sampling', () => {
    const [c] = parseLine('c:3|c|@0.1');
    assert.ok(Math.abs(counterIncrement(c) - 30) < 1e-9);
    const [t] = parseLine('t:250|ms|@0.3');
    assert.equal(observedValue(t), 0.25);
    assert.equal(observationCount(t), 3); // int(1/0.3)
    assert.equal(parseLine('c:3|c|@0')[0].sampleRate, 1);
    assert.equal(parseLine('g:3|g|@0.5')[0].sampleRate, 0.5);
    for (const bad of ['c:1|c|@x', 'c:1|c|@1.5', 'c:1|c|@-0.1', 'c:1|c|@', 't:1|ms|@0.00001']) {
      assert.equal(reasonOf(bad), 'bad_sample_rate', bad);
    }
  });

  it('errors name what is wrong', () => {
    const cases: [string, StatsdParseReason][] = [
      ['nocolon', 'malformed'],
      [':1|c', 'malformed'],
      [',k=v:1|c', 'malformed'],
      ['m:1', 'malformed'],
      ['m:1|c|', 'malformed'],
      ['m:1|c|x', 'malformed'],
      ['m:1|c|c:', 'malformed'],
      ['m:1|c|Tabc', 'malformed'],
      ['m:1|c|@1|@1|@1|@1|@1|@1|@1', 'malformed'],
      ['m:abc|c', 'bad_value'],
      ['m:|c', 'bad_value'],
      ['m:NaN|g', 'bad_value'],
      ['m:Inf|g', 'bad_value'],
      ['m:1e999|g', 'bad_value'],
      ['m:0x10|g', 'bad_value'],
      ['m:1|x', 'unknown_type'],
      ['m:1|', 'unknown_type'],
      ['m:u1|s', 'unsupported_set'],
    ];
    for (const [line, reason] of cases) assert.equal(reasonOf(line), reason, line);
    try {
      parseLine('m:1|kg');
    } catch (err) {
      assert.match((err as Error).message, /unknown type "kg"/);
    }
  });

  it('escapes names as statsd_exporter does', () => {
    assert.equal(escapeMetricName('a.b-c d'), 'a_b_c_d');
    assert.equal(escapeMetricName('1abc'), '_1abc');
    assert.equal(escapeMetricName('a:b'), 'a_b');
    assert.equal(escapeMetricName('héllo😀'), 'h_llo_');
    assert.equal(escapeMetricName('ok_Name9'), 'ok_Name9');
  });
});

// --- properties ---------------------------------------------------------------------------------

const NAME = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,20}$/);
const TAG_KEY = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,10}$/);
const TAG_VALUE = fc.stringMatching(/^[a-zA-Z0-9_./-]{1,12}$/);
const VALUE = fc
  .oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
  .map((v) => (Object.is(v, -0) ? 0 : v));
const RATE = fc.oneof(
  fc.constant(1),
  fc.double({ min: 0.001, max: 1, noNaN: true }).filter((r) => r > 0),
);

const SAMPLE: fc.Arbitrary<StatsdSample> = fc
  .record({
    name: NAME,
    type: fc.constantFrom('c', 'g', 'ms', 'h', 'd' as const),
    value: VALUE,
    relative: fc.boolean(),
    sampleRate: RATE,
    tags: fc.dictionary(TAG_KEY, TAG_VALUE, { maxKeys: 4 }).map((d) => ({ ...d })),
  })
  .map((s) => {
    const relative = s.type === 'g' && s.relative;
    const value = s.type === 'g' && !relative ? Math.abs(s.value) : s.value;
    return { ...s, relative, value };
  });

describe('statsd grammar properties', () => {
  it('sample → line → parse gives the same sample, in every tag style', () => {
    fc.assert(
      fc.property(
        SAMPLE,
        fc.constantFrom<TagStyle>('dogstatsd', 'influxdb', 'librato', 'signalfx'),
        (s, style) => {
          const line = formatSample(s, style);
          assert.deepEqual(parseLine(line), [s]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('multi-sample lines and multi-line packets round-trip', () => {
    fc.assert(
      fc.property(fc.array(SAMPLE, { minLength: 1, maxLength: 6 }), (samples) => {
        const untagged = samples.map((s) => ({ ...s, name: samples[0].name, tags: {} }));
        const line = `${untagged[0].name}:${untagged.map((s) => formatSample(s).slice(s.name.length + 1)).join(':')}`;
        assert.deepEqual(parseLine(line), untagged);
        assert.deepEqual(parsePacket(samples.map((s) => formatSample(s)).join('\n')), samples);
      }),
      { numRuns: 500 },
    );
  });

  it('random text never throws anything but StatsdParseError', () => {
    const alphabet = fc.constantFrom(...'ab.:|@#,=[]cgmshd01-+e\n'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 60 }), fc.string({ unit: 'binary' })),
        (text) => {
          try {
            parsePacket(text);
          } catch (err) {
            if (!(err instanceof StatsdParseError)) throw err;
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('parseNumberBytes reads bytes as parseNumber reads their text, to the bit', () => {
    const digits = fc.stringMatching(/^[0-9]{0,20}$/);
    const numeric = fc.oneof(
      fc.double({ noNaN: true }).map(String),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(3)),
      fc.integer().map(String),
      fc
        .tuple(fc.constantFrom('', '+', '-'), digits, fc.constantFrom('', '.', 'e', 'E', '.', '..'), digits)
        .map((p) => p.join('')),
      fc.constantFrom('', '.', '+', '-', '5.', '.5', '-0', '+0.0', '1e400', 'NaN', 'Infinity', '0x10', '1_0'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(numeric, fc.nat(3), fc.nat(3), (text, before, after) => {
        // Around the value, bytes that must not be read.
        const buf = Buffer.from(`${'9'.repeat(before)}${text}${'7'.repeat(after)}`, 'utf8');
        const end = buf.length - after;
        const got = parseNumberBytes(buf, before, end);
        const want = parseNumber(buf.toString('utf8', before, end));
        assert.ok(Object.is(got, want), `${JSON.stringify(text)}: ${got} against ${want}`);
      }),
      { numRuns: 20_000 },
    );
  });
});
