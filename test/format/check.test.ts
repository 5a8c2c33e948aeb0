import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExposition, formatProblems } from '../../src/format/exposition/check.ts';

test('a clean exposition is ok with no problems', () => {
  const r = checkExposition(
    '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total 1\n',
    {
      openMetrics: false,
    },
  );
  assert.deepEqual(r, { ok: true, problems: [] });
  const o = checkExposition(
    '# TYPE a_seconds counter\n# UNIT a_seconds seconds\n# HELP a_seconds A.\na_seconds_total 1\n# EOF\n',
    {
      openMetrics: true,
    },
  );
  assert.deepEqual(o, { ok: true, problems: [] });
});

test('lints are warnings and keep ok true', () => {
  const r = checkExposition(
    [
      '# TYPE requests counter',
      'requests 1',
      '# HELP latency_milliseconds Latency.',
      '# TYPE latency_milliseconds gauge',
      'latency_milliseconds{httpMethod="GET"} 3',
      '# HELP g_total G.',
      '# TYPE g_total gauge',
      'g_total 1',
      'x 1',
      'x 2',
    ].join('\n'),
    { openMetrics: false },
  );
  assert.equal(r.ok, true);
  assert.ok(r.problems.every((p) => p.severity === 'warning'));
  const messages = r.problems.map((p) => `${p.line}: ${p.message}`);
  for (const expected of [
    '1: "requests": no help text',
    '1: "requests": counter metrics should have "_total" suffix',
    '3: "latency_milliseconds": use base unit "seconds" instead of "milliseconds"',
    `3: "latency_milliseconds": label names should be written in 'snake_case' not 'camelCase' ("httpMethod")`,
    '6: "g_total": non-counter metrics should not have "_total" suffix',
    '10: duplicate sample x{} ignored (the first one is kept)',
  ]) {
    assert.ok(messages.includes(expected), `missing ${expected} in\n${messages.join('\n')}`);
  }
  // Sorted by line.
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [...r.problems.map((p) => p.line)].sort((a, b) => a - b),
  );
});

test('a parse error makes ok false and names the line', () => {
  const r = checkExposition('a 1\nb{foo} 1\n', { openMetrics: false });
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems, [
    { line: 2, message: 'expected "=" after label name "foo", found "}"', severity: 'error' },
  ]);
  const o = checkExposition('a 1\n', { openMetrics: true });
  assert.equal(o.ok, false);
  // The same text is fine as Prometheus text.
  assert.equal(checkExposition('a 1\n', { openMetrics: false }).ok, true);
});

test('text histograms get structural lints, since text has no rules for them', () => {
  const r = checkExposition(
    '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_count 2\n',
    {
      openMetrics: false,
    },
  );
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.problems.map((p) => p.message),
    ['"h": histogram without a le="+Inf" bucket', '"h": histogram bucket counts are not cumulative'],
  );
});

test('formatProblems gives one "source:line: severity: message" line each', () => {
  assert.equal(
    formatProblems('metrics.txt', [
      { line: 3, message: 'expected "=" after label name "foo"', severity: 'error' },
      { line: 5, message: '"x": no help text', severity: 'warning' },
    ]),
    'metrics.txt:3: error: expected "=" after label name "foo"\nmetrics.txt:5: warning: "x": no help text\n',
  );
  assert.equal(formatProblems('-', []), '');
});
