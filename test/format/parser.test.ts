import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpositionParseError } from '../../src/format/exposition/errors.ts';
import type { MetricFamily } from '../../src/format/exposition/family.ts';
import { parseExposition, parseExpositionDetailed } from '../../src/format/exposition/parser.ts';

const text = (s: string) => parseExposition(s);
const om = (s: string) => parseExposition(s, { openMetrics: true });

/** Assert a parse error on `line` whose reason matches `pattern`. */
function rejects(fn: () => unknown, line: number, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ExpositionParseError, `not an ExpositionParseError: ${String(e)}`);
    assert.equal(e.line, line, `wrong line for: ${e.message}`);
    assert.match(e.reason, pattern);
    assert.equal(e.message, `line ${e.line}: ${e.reason}`);
    return;
  }
  assert.fail('expected a parse error');
}

const summaryOf = (fs: MetricFamily[]) =>
  fs.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toRecord() })),
  }));

test('text: blanks and tabs between tokens, comments, blank lines, optional metadata', () => {
  const fs = text(
    [
      '# a comment',
      '',
      '   # HELP  x   The x.  ',
      '#\tTYPE x gauge',
      'x{ a = "1" ,\tb="2", } \t 3.5   1700000000000  ',
      '  x 4',
      'y{a="b"} 7',
      '{"z.z", "q.q"="v"} 1',
      '"w.w"{a="1"} 2',
    ].join('\n'),
  );
  assert.deepEqual(summaryOf(fs), [
    {
      name: 'x',
      type: 'gauge',
      help: 'The x.  ',
      metrics: [
        { labels: { a: '1', b: '2' }, value: 3.5, timestampMs: 1700000000000 },
        { labels: {}, value: 4 },
      ],
    },
    { name: 'y', type: 'untyped', help: '', metrics: [{ labels: { a: 'b' }, value: 7 }] },
    { name: 'z.z', type: 'untyped', help: '', metrics: [{ labels: { 'q.q': 'v' }, value: 1 }] },
    { name: 'w.w', type: 'untyped', help: '', metrics: [{ labels: { a: '1' }, value: 2 }] },
  ]);
});

test('text: histogram and summary samples are put together by suffix and labels', () => {
  const fs = text(
    [
      '# TYPE h histogram',
      'h_bucket{a="1",le="1"} 1',
      'h_bucket{a="2",le="+Inf"} 5',
      'h_bucket{a="1",le="+Inf"} 2',
      'h_sum{a="1"} 3',
      'h_count{a="1"} 2',
      '# TYPE s summary',
      's{quantile="0.5"} 1',
      's_sum 9',
      's_count 3',
      '# TYPE c counter',
      'c 1',
    ].join('\n'),
  );
  assert.deepEqual(summaryOf(fs), [
    {
      name: 'h',
      type: 'histogram',
      help: '',
      metrics: [
        {
          labels: { a: '1' },
          buckets: [
            { upperBound: 1, cumulativeCount: 1 },
            { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 2 },
          ],
          count: 2,
          sum: 3,
        },
        { labels: { a: '2' }, buckets: [{ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 5 }] },
      ],
    },
    {
      name: 's',
      type: 'summary',
      help: '',
      metrics: [{ labels: {}, quantiles: [{ quantile: 0.5, value: 1 }], count: 3, sum: 9 }],
    },
    { name: 'c', type: 'counter', help: '', metrics: [{ labels: {}, value: 1 }] },
  ]);
});

test('text: families must not be split, metadata once, TYPE before samples', () => {
  rejects(
    () => text('a 1\nb 1\na 2\n'),
    3,
    /"a" appears again after other families \(it started at line 1\)/,
  );
  rejects(() => text('# TYPE h histogram\nh_sum 1\nb 1\nh_count 1\n'), 4, /"h" appears again/);
  rejects(() => text('# TYPE a gauge\n# TYPE a gauge\n'), 2, /second TYPE line for metric name "a"/);
  rejects(() => text('# HELP a x\n# HELP a y\n'), 2, /second HELP line/);
  rejects(() => text('a 1\n# TYPE a gauge\n'), 2, /TYPE line for "a" comes after its samples/);
  rejects(() => text('# TYPE a gaugehistogram\n'), 1, /unknown metric type "gaugehistogram"/);
});

test('text: errors name the line and what is wrong', () => {
  rejects(() => text('a 1\nb{foo} 1\n'), 2, /expected "=" after label name "foo", found "}"/);
  rejects(() => text('a{foo="1} 1\n'), 1, /unterminated value of label "foo"/);
  rejects(() => text('a{foo="\\t"} 1\n'), 1, /invalid escape sequence "\\t" in value of label "foo"/);
  rejects(() => text('a{x="1",x="2"} 1\n'), 1, /duplicate label name "x"/);
  rejects(() => text('a{__name__="b"} 1\n'), 1, /"__name__" is reserved/);
  rejects(() => text('a abc\n'), 1, /invalid value "abc" for "a"/);
  rejects(
    () => text('a 1 1.5\n'),
    1,
    /invalid timestamp "1.5" \(expected an integer number of milliseconds\)/,
  );
  rejects(() => text('a 1 2 3\n'), 1, /unexpected "3" after the timestamp/);
  rejects(() => text('a 1\r\nb 2\r\n'), 1, /lines must end with \\n, not \\r\\n/);
  rejects(() => text('a-b 1\n'), 1, /unexpected "-" after metric name "a"/);
  rejects(() => text('a 1 # {x="y"} 1\n'), 1, /exemplars .* exist only in OpenMetrics/);
  rejects(() => text('# HELP a bad \\x escape\n'), 1, /invalid escape sequence "\\x" in HELP/);
  rejects(() => text('# TYPE h histogram\nh_bucket{le="x"} 1\n'), 2, /label le="x" is not a number/);
  rejects(() => text('{a="b"} 1\n'), 1, /missing metric name/);
  rejects(() => text('a 1e999\n'), 1, /out of the float64 range/);
});

test('text: a missing final newline and duplicate samples are warnings, not errors', () => {
  const r = parseExpositionDetailed('a{x="1"} 1\na{x="1"} 2\na{x="1"} 3 1000\na 4');
  assert.deepEqual(
    r.families[0].metrics.map((m) => m.value),
    [1, 3, 4],
  );
  assert.deepEqual(
    r.warnings.map((w) => [w.line, w.severity]),
    [
      [2, 'warning'],
      [4, 'warning'],
    ],
  );
  assert.match(r.warnings[0].message, /duplicate sample a\{x="1"\} ignored/);
  assert.equal(r.familyLines[0], 1);
});

test('text: quoted UTF-8 names with escapes, and a BOM is skipped', () => {
  const fs = text('\ufeff# TYPE "a\\"b" counter\n{"a\\"b","c\\nd"="e\\\\"} 1\n');
  assert.equal(fs[0].name, 'a"b');
  assert.equal(fs[0].type, 'counter');
  assert.deepEqual(fs[0].metrics[0].labels.toRecord(), { 'c\nd': 'e\\' });
});

test('OpenMetrics: names map back to the model (counter _total, info _info), times to exact ms', () => {
  const fs = om(
    [
      '# TYPE a_seconds counter',
      '# UNIT a_seconds seconds',
      'a_seconds_total{x="1"} 1.5 1520879607.789 # {trace="t"} 2 1520879607.001',
      'a_seconds_created{x="1"} 1520430000.123 1520879607.789',
      '# TYPE b info',
      'b_info{v="1"} 1',
      '# TYPE c stateset',
      'c{c="on"} 1',
      'c{c="off"} 0',
      '# EOF',
    ].join('\n'),
  );
  assert.deepEqual(
    fs.map((f) => [f.name, f.type, f.unit]),
    [
      ['a_seconds_total', 'counter', 'seconds'],
      ['b_info', 'info', ''],
      ['c', 'stateset', ''],
    ],
  );
  const m = fs[0].metrics[0];
  assert.equal(m.value, 1.5);
  assert.equal(m.timestampMs, 1520879607789);
  assert.equal(m.createdMs, 1520430000123);
  assert.equal(m.exemplar?.value, 2);
  assert.equal(m.exemplar?.timestampMs, 1520879607001);
  assert.deepEqual(m.exemplar?.labels.toRecord(), { trace: 't' });
  assert.deepEqual(
    fs[2].metrics.map((x) => [x.labels.get('c'), x.value]),
    [
      ['on', 1],
      ['off', 0],
    ],
  );
});

test('OpenMetrics: strict syntax and semantics, each with its line', () => {
  rejects(() => om('a 1\n'), 1, /missing "# EOF"/);
  rejects(() => om(''), 1, /missing "# EOF"/);
  rejects(() => om('a 1\n# EOF\n\n'), 3, /nothing may follow/);
  rejects(() => om('a 1\n\n# EOF\n'), 2, /blank lines/);
  rejects(() => om('# just a comment\n# EOF\n'), 1, /unknown line "# just"/);
  rejects(() => om('a  1\n# EOF\n'), 1, /expected a value for "a", found " " \(a space\)/);
  rejects(() => om('a{b="c",} 1\n# EOF\n'), 1, /expected a label name, found "}"/);
  rejects(() => om('a 0x1p3\n# EOF\n'), 1, /invalid value "0x1p3"/);
  rejects(() => om('# TYPE a gauge\na 1\nb 1\na 2\n# EOF\n'), 4, /"a" already appeared at line 1/);
  rejects(
    () => om('# TYPE a gauge\na{x="1"} 1\na{x="2"} 1\na{x="1"} 2\n# EOF\n'),
    4,
    /appears again after other series/,
  );
  rejects(() => om('# TYPE a counter\na_total -1\n# EOF\n'), 2, /must not be negative/);
  rejects(() => om('# TYPE a counter\na_created 1\n# EOF\n'), 2, /_created sample but no _total/);
  rejects(() => om('# TYPE a histogram\na_bucket{le="1"} 1\n# EOF\n'), 2, /no le="\+Inf" bucket/);
  rejects(
    () => om('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 2\na_sum 1\na_sum{le="x"} 1\n# EOF\n'),
    5,
    /label "le" is not allowed on "a_sum"/,
  );
  rejects(
    () => om('# TYPE a histogram\na_bucket{le="inf"} 2\n# EOF\n'),
    2,
    /le="inf" must be written "\+Inf"/,
  );
  rejects(() => om('# TYPE a_x gauge\n# UNIT a_x y\n# EOF\n'), 2, /unit "y" must be the suffix/);
  rejects(() => om('# TYPE a gauge\na 1 1 # {x="y"} 1\n# EOF\n'), 2, /cannot have an exemplar/);
  rejects(() => om('\ufeffa 1\n# EOF\n'), 1, /byte order mark/);
  rejects(() => om('a{"b"} 1\n# EOF\n'), 1, /expected "=" after label name "b"/);
});

test('OpenMetrics: non-canonical le, exemplars above their bucket and duplicates are warnings', () => {
  const r = parseExpositionDetailed(
    '# TYPE a histogram\na_bucket{le="1"} 0 # {} 5\na_bucket{le="+Inf"} 1\na_bucket{le="+Inf"} 1\n# EOF\n',
    { openMetrics: true },
  );
  assert.deepEqual(
    r.warnings.map((w) => w.line),
    [2, 2, 4],
  );
  assert.match(r.warnings[0].message, /le="1" is not in canonical form \("1\.0"\)/);
  assert.match(r.warnings[1].message, /exemplar value 5 is above/);
  assert.match(r.warnings[2].message, /duplicate sample/);
});

test('bytes: invalid UTF-8 is an error on its line; NUL bytes are fine in strings', () => {
  rejects(
    () => parseExposition(Buffer.from([0x61, 0x20, 0x31, 0x0a, 0x62, 0xff, 0x20, 0x31, 0x0a])),
    2,
    /invalid UTF-8 \(byte 0xff at offset 5\)/,
  );
  rejects(() => parseExposition(Buffer.from('a 1\n\xed\xa0\x80 1\n', 'latin1')), 2, /invalid UTF-8/);
  const fs = parseExposition(Buffer.from('# TYPE a counter\n# HELP a he\0lp\na_total{x="\0"} 1\n# EOF\n'), {
    openMetrics: true,
  });
  assert.equal(fs[0].help, 'he\0lp');
  rejects(() => text('a{x="\ud800"} 1\n'), 1, /lone surrogate/);
});
