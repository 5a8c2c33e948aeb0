// The canonical text of a tree: Prometheus' String() form for parsed queries, and parentheses where a
// hand-built tree needs them to read back the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../../src/promql/ast.ts';
import { formatDuration } from '../../../src/promql/parser/durations.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { formatFloat } from '../../../src/promql/parser/numbers.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';

const canonical = (q: string) => formatExpr(parseExpr(q));

test('queries print in Prometheus canonical form', () => {
  const cases: [string, string][] = [
    [
      'sum by(job)(rate(http_requests_total{job="api"}[5m] offset 1h))',
      'sum by (job) (rate(http_requests_total{job="api"}[5m] offset 1h))',
    ],
    ['sum(x) without (a,b)', 'sum without (a, b) (x)'],
    ['sum by () (x)', 'sum(x)'],
    ['topk(3, x) by (a)', 'topk by (a) (3, x)'],
    ['count_values("v", x)', 'count_values("v", x)'],
    ['foo{b="1",a=~"x"} @ 1603774568 offset -5m', 'foo{a=~"x",b="1"} @ 1603774568.000 offset -5m'],
    ['foo offset 5m @ 1.5', 'foo @ 1.500 offset 5m'],
    ['foo[90m:1h30m] @ end()', 'foo[1h30m:1h30m] @ end()'],
    ['foo[5m:] @ start()', 'foo[5m:] @ start()'],
    ['foo[5]', 'foo[5s]'],
    ['foo offset 1.5', 'foo offset 1s500ms'],
    ['rate(x[5m] offset 1m @ 100)', 'rate(x[5m] @ 100.000 offset 1m)'],
    ['{"my.metric","a.b"="c"}', '{"a.b"="c",__name__="my.metric"}'],
    ['{__name__="foo",a="b"}', '{__name__="foo",a="b"}'],
    ['a / on(x) group_left(y) b', 'a / on (x) group_left (y) b'],
    ['a * ignoring(x) group_right b', 'a * ignoring (x) group_right () b'],
    ['a and on() b', 'a and on () b'],
    ['a + ignoring() b', 'a + b'],
    ['sum by ("a.b", c) (x) * on ("d e") y', 'sum by ("a.b", c) (x) * on ("d e") y'],
    ['a > bool 1', 'a > bool 1'],
    ['1e30 + 1e-10', '1000000000000000000000000000000 + 0.0000000001'],
    ['0x1F + 0755 + 1_000', '31 + 493 + 1000'],
    ['-Inf + +Inf + NaN', '-Inf + +Inf + NaN'],
    ['Inf ^ 2', 'Inf ^ 2'],
    ['-1^2', '-1 ^ 2'],
    ['- -foo', '--foo'],
    ['(a + b) * c', '(a + b) * c'],
    ["'it\\'s'", '"it\'s"'],
    ['`a\\b`', '"a\\\\b"'],
    ['"a\\xc5z\\u00e9\\n"', '"a\\xc5zé\\n"'],
    ['"\\u200b\\x7f\\ufffd"', '"\\u200b\\x7f\\ufffd"'],
    ['x offset 1m [10m:5s]', 'x offset 1m[10m:5s]'],
    ['min_of(1, 2)', 'min_of(1, 2)'],
  ];
  for (const [q, want] of cases) {
    assert.equal(canonical(q), want, q);
    assert.equal(canonical(want), want, `${want} is a fixed point`);
  }
});

test('durations print as model.Duration.String(): years and weeks only when exact', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [1500, '1s500ms'],
    [90 * 60_000, '1h30m'],
    [90 * 86_400_000, '90d'],
    [14 * 86_400_000, '2w'],
    [365 * 86_400_000, '1y'],
    [366 * 86_400_000, '366d'],
    [2 * 365 * 86_400_000 + 3_600_000, '730d1h'],
  ];
  for (const [ms, s] of cases) assert.equal(formatDuration(ms), s, String(ms));
});

test('a negative zero duration literal keeps its sign, so it reads back as the same value', () => {
  // Found by the damaged-query property: `-0d` is the scalar -0, and `0s` would read back as +0.
  const e = parseExpr('-0d');
  assert.equal(formatExpr(e), '-0s');
  assert.ok(e.type === 'NumberLiteral' && Object.is(e.value, -0));
  const back = parseExpr(formatExpr(e));
  assert.ok(back.type === 'NumberLiteral' && Object.is(back.value, -0));
  assert.equal(canonical('-5m'), '-5m');
  assert.equal(canonical('0d'), '0s');
});

test('numbers print as Go strconv.FormatFloat(v, f, -1, 64)', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [-0, '-0'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [123456789012345680000, '123456789012345680000'],
    [-2.5e25, '-25000000000000000000000000'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ];
  for (const [v, s] of cases) assert.equal(formatFloat(v), s, s);
  assert.equal(formatFloat(5e-324), `0.${'0'.repeat(323)}5`);
});

test('hand-built trees get the parentheses their text needs', () => {
  const P = { start: 0, end: 0 };
  const sel = (name: string): Expr => ({
    type: 'VectorSelector',
    name,
    matchers: [new Matcher('=', '__name__', name)],
    offsetMs: 0,
    at: undefined,
    pos: P,
  });
  const num = (value: number): Expr => ({ type: 'NumberLiteral', value, pos: P });
  const bin = (op: '+' | '*' | '^' | '-', lhs: Expr, rhs: Expr): Expr => ({
    type: 'BinaryExpr',
    op,
    lhs,
    rhs,
    matching: undefined,
    returnBool: false,
    pos: P,
  });
  assert.equal(formatExpr(bin('*', bin('+', sel('a'), sel('b')), sel('c'))), '(a + b) * c');
  assert.equal(formatExpr(bin('-', sel('a'), bin('-', sel('b'), sel('c')))), 'a - (b - c)');
  assert.equal(formatExpr(bin('^', bin('^', sel('a'), sel('b')), sel('c'))), '(a ^ b) ^ c');
  assert.equal(formatExpr(bin('^', num(-1), num(2))), '(-1) ^ 2');
  assert.equal(
    formatExpr({ type: 'UnaryExpr', op: '-', expr: bin('+', sel('a'), sel('b')), pos: P }),
    '-(a + b)',
  );
  assert.equal(
    formatExpr({
      type: 'SubqueryExpr',
      expr: bin('+', sel('a'), sel('b')),
      rangeMs: 60_000,
      stepMs: 0,
      offsetMs: 0,
      at: undefined,
      pos: P,
    }),
    '(a + b)[1m:]',
  );
  assert.equal(formatExpr({ type: 'StepInvariantExpr', expr: sel('a'), pos: P }), 'a');
});
