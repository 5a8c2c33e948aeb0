// Parse errors: the message Prometheus 3.x prints (position prefix included) and the offsets.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromqlParseError, PromqlUnsupportedError } from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';

function parseFailure(query: string): PromqlParseError {
  try {
    parseExpr(query);
  } catch (err) {
    assert.ok(err instanceof PromqlParseError, `${query}: ${String(err)}`);
    return err;
  }
  assert.fail(`${JSON.stringify(query)} parsed`);
}

// [query, message, start, end?]
const CASES: [string, string, number, number?][] = [
  // Lexical errors: from the offending token to the end of the input.
  ['', 'unknown position: parse error: no expression found in input', 0, 0],
  ['# just a comment\n\n', '1:1: parse error: no expression found in input', 0, 0],
  ['.', "1:1: parse error: unexpected character: '.'", 0, 1],
  ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."', 0, 4],
  ['100..4', '1:1: parse error: bad number or duration syntax: "100.."', 0, 6],
  ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"', 0, 9],
  ['(1))', "1:5: parse error: unexpected right parenthesis ')'", 4, 4],
  ['((1)', '1:5: parse error: unclosed left parenthesis', 4, 4],
  ['(', '1:2: parse error: unclosed left parenthesis', 1, 1],
  ['sum(', '1:5: parse error: unclosed left parenthesis', 4, 4],
  ['sum(rate(', '1:10: parse error: unclosed left parenthesis', 9, 9],
  ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'", 2, 6],
  ['1 =~ 1', "1:3: parse error: unexpected character after '=': '~'", 2, 6],
  ['{', '1:2: parse error: unexpected end of input inside braces', 1, 1],
  ['}', "1:1: parse error: unexpected character: '}'", 0, 1],
  ['some{', '1:6: parse error: unexpected end of input inside braces', 5, 5],
  ['some}', "1:5: parse error: unexpected character: '}'", 4, 5],
  ['some_metric{a:b="b"}', "1:14: parse error: unexpected character inside braces: ':'", 13, 20],
  ['foo{a*"b"}', "1:6: parse error: unexpected character inside braces: '*'", 5, 10],
  ['foo{a>="b"}', "1:6: parse error: unexpected character inside braces: '>'", 5, 11],
  ['foo{1}', "1:5: parse error: unexpected character inside braces: '1'", 4, 6],
  ['foo[5mm]', '1:5: parse error: bad number or duration syntax: "5mm"', 4, 8],
  ['foo[5m1]', '1:5: parse error: bad number or duration syntax: "5m1"', 4, 8],
  ['foo[5m:1m1]', '1:8: parse error: bad number or duration syntax: "1m1"', 7, 11],
  ['foo["5m"]', "1:5: parse error: unexpected character in duration expression: '\"'", 4, 9],
  ['foo{bar="baz"}[', '1:16: parse error: unexpected end of input in duration expression', 15, 15],
  ['foo[5s x 5s]', "1:8: parse error: unexpected character: 'x', expected ':'", 7, 12],
  ['foo[5s s 5s]', "1:8: parse error: unexpected character: 's', expected ':'", 7, 12],
  ['some_metric[5m] OFFSET 1mm', '1:24: parse error: bad number or duration syntax: "1mm"', 23, 26],
  ['`\\``', '1:4: parse error: unterminated raw string', 3, 4],
  ['"\\', '1:1: parse error: escape sequence not terminated', 0, 2],
  ['"\\c"', "1:1: parse error: unknown escape sequence U+0063 'c'", 0, 4],
  ['"\\x."', "1:1: parse error: illegal character U+002E '.' in escape sequence", 0, 5],
  ['"\\ud800"', '1:1: parse error: escape sequence is an invalid Unicode code point', 0, 8],
  ['"abc', '1:1: parse error: unterminated quoted string', 0, 4],
  ['sum by ("foo)(some_metric{})', '1:9: parse error: unterminated quoted string', 8, 28],
  ['"a\uFFFDb"', '1:1: parse error: invalid UTF-8 rune', 0, 5],
  // Syntax errors.
  ['1+', '1:3: parse error: unexpected end of input', 2, 2],
  ['1 /', '1:4: parse error: unexpected end of input', 3, 3],
  ['*1', '1:1: parse error: unexpected <op:*>', 0, 1],
  ['*test', '1:1: parse error: unexpected <op:*>', 0, 1],
  ['@@', '1:1: parse error: unexpected <op:@>', 0, 1],
  ['-=', '1:2: parse error: unexpected "="', 1, 2],
  ['++-++-+-+-<', '1:11: parse error: unexpected <op:<>', 10, 11],
  ['e-+=/(0)', '1:4: parse error: unexpected "="', 3, 4],
  ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>', 10, 18],
  ['foo + group_left(baz) bar', '1:7: parse error: unexpected <group_left>', 6, 16],
  [
    'some_metric{a=b}',
    '1:15: parse error: unexpected identifier "b" in label matching, expected string',
    14,
    15,
  ],
  [
    'foo{gibberish}',
    '1:14: parse error: unexpected "}" in label matching, expected label matching operator',
    13,
    14,
  ],
  ['foo{__name__= =}', '1:15: parse error: unexpected "=" in label matching, expected string', 14, 15],
  ['foo{,}', '1:5: parse error: unexpected "," in label matching, expected identifier or "}"', 4, 5],
  ['foo{__name__ == "bar"}', '1:15: parse error: unexpected "=" in label matching, expected string', 14, 15],
  [
    'foo{__name__="bar" lol}',
    '1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"',
    19,
    22,
  ],
  ['foo{"a"=}', '1:9: parse error: unexpected "}" in label matching, expected string', 8, 9],
  [
    'sum without(==)(some_metric)',
    '1:13: parse error: unexpected <op:==> in grouping opts, expected label',
    12,
    14,
  ],
  [
    'sum without(,)(some_metric)',
    '1:13: parse error: unexpected "," in grouping opts, expected label',
    12,
    13,
  ],
  [
    'sum without(foo,,)(some_metric)',
    '1:17: parse error: unexpected "," in grouping opts, expected label',
    16,
    17,
  ],
  ['sum by (inf) (x)', '1:9: parse error: unexpected number "inf" in grouping opts, expected label', 8, 11],
  ['sum some_metric by (test)', '1:5: parse error: unexpected identifier "some_metric"', 4, 15],
  [
    'sum (some_metric) by test',
    '1:22: parse error: unexpected identifier "test" in grouping opts, expected "("',
    21,
    25,
  ],
  ['MIN keep_common (some_metric)', '1:5: parse error: unexpected identifier "keep_common"', 4, 15],
  ['MIN (some_metric) keep_common', '1:19: parse error: unexpected identifier "keep_common"', 18, 29],
  ['sum (some_metric) without (test) by (test)', '1:34: parse error: unexpected <by>', 33, 35],
  ['sum without (test) (some_metric) by (test)', '1:34: parse error: unexpected <by>', 33, 35],
  ['topk(some_metric,)', '1:17: parse error: trailing commas not allowed in function call args', 16, 17],
  ['rate(some_metric[5m],)', '1:21: parse error: trailing commas not allowed in function call args', 20, 21],
  [
    'foo[]',
    '1:5: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()',
    4,
    5,
  ],
  [
    'foo[step]',
    '1:9: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()',
    8,
    9,
  ],
  [
    'some_metric[5m] OFFSET',
    '1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()',
    22,
    22,
  ],
  ['some_metric[5m] @', '1:18: parse error: unexpected end of input in @, expected timestamp', 17, 17],
  ['a>b()', '1:3: parse error: unknown function with name "b"', 2, 3],
  [
    'non_existent_function_far_bar()',
    '1:1: parse error: unknown function with name "non_existent_function_far_bar"',
    0,
    29,
  ],
  ['RATE(x[5m])', '1:1: parse error: unknown function with name "RATE"', 0, 4],
  ['foo(bar) + "\\q"', '1:1: parse error: unknown function with name "foo"', 0, 3],
  ['foo(bar"\\q")', "1:8: parse error: unknown escape sequence U+0071 'q'", 7, 12],
  ['atan2', '1:1: parse error: unexpected <op:atan2>', 0, 5],
  // Grammar actions.
  [
    `999${'9'.repeat(306)}`,
    `1:1: parse error: error parsing number: strconv.ParseFloat: parsing "${'9'.repeat(309)}": value out of range`,
    0,
    309,
  ],
  [
    '1 offset 1d',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    0,
    1,
  ],
  ['foo offset 1s offset 2s', '1:1: parse error: offset may not be set multiple times', 0, 13],
  ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times', 0, 7],
  [
    'rate(some_metric[5m]) @ 1234',
    '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    0,
    21,
  ],
  ['foo @ +Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf', 0, 3],
  ['foo @ -Inf', '1:1: parse error: timestamp out of bounds for @ modifier: -Inf', 0, 3],
  ['foo @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN', 0, 3],
  [
    'foo @ 9223372036854775808',
    '1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000',
    0,
    3,
  ],
  ['foo[5y1hs]', '1:5: parse error: unknown unit "hs" in duration "5y1hs"', 4, 9],
  ['foo[5m1h]', '1:5: parse error: not a valid duration string: "5m1h"', 4, 8],
  ['foo[5m1m]', '1:5: parse error: not a valid duration string: "5m1m"', 4, 8],
  ['foo[0m]', '1:5: parse error: duration must be greater than 0', 4, 6],
  ['foo[-1]', '1:5: parse error: duration must be greater than 0', 4, 6],
  ['foo offset 9.5e10', '1:12: parse error: duration out of range', 11, 17],
  ['foo[9.5e10]', '1:5: parse error: duration out of range', 4, 10],
  ['foo[300000y]', '1:5: parse error: duration out of range', 4, 11],
  ['some_metric OFFSET 1m[5m]', '1:22: parse error: no offset modifiers allowed before range', 21, 25],
  ['some_metric @ 1234 [5m]', '1:20: parse error: no @ modifiers allowed before range', 19, 23],
  ['some_metric @ start() [5m]', '1:23: parse error: no @ modifiers allowed before range', 22, 26],
  ['(foo + bar)[5m]', '1:12: parse error: ranges only allowed for vector selectors', 11, 15],
  ['rate(food[1m])[1h] offset 1h', '1:15: parse error: ranges only allowed for vector selectors', 14, 18],
  ['sum () by (test)', '1:1: parse error: no arguments for aggregate expression provided', 0, 16],
  [
    'topk(some_metric)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
    0,
    17,
  ],
  [
    'sum(a, b)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2',
    0,
    9,
  ],
  ['foo{a=~"("}', '1:5: parse error: invalid regex in matcher', 4, 10],
  // Type checking.
  ['1 and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression', 0, 7],
  ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier', 2, 3],
  ['1 or 1', '1:1: parse error: set operator "or" not allowed in binary scalar expression', 0, 6],
  ['1 unless 1', '1:1: parse error: set operator "unless" not allowed in binary scalar expression', 0, 10],
  [
    '-"string"',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
    0,
    9,
  ],
  [
    '-test[5m]',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    0,
    9,
  ],
  ['foo and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression', 0, 9],
  ['1 or on(bar) foo', '1:1: parse error: vector matching only allowed between instant vectors', 0, 16],
  ['foo == on(bar) 10', '1:1: parse error: vector matching only allowed between instant vectors', 0, 17],
  ['foo and on(bar) group_left(baz) bar', '1:1: parse error: no grouping allowed for "and" operation', 0, 35],
  [
    'foo unless on(bar) group_right(baz) bar',
    '1:1: parse error: no grouping allowed for "unless" operation',
    0,
    39,
  ],
  [
    'http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"}',
    '1:35: parse error: label "instance" must not occur in ON and GROUP clause at once',
    34,
  ],
  ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators', 4, 9],
  ['foo + bool 10', '1:5: parse error: bool modifier can only be used on comparison operators', 4, 9],
  ['foo and bool 10', '1:5: parse error: bool modifier can only be used on comparison operators', 4, 11],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher', 0, 2],
  ['{x=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher', 0, 6],
  ['{x=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher', 0, 9],
  ['{x!~".+"}', '1:1: parse error: vector selector must contain at least one non-empty matcher', 0, 9],
  ['{x!="a"}', '1:1: parse error: vector selector must contain at least one non-empty matcher', 0, 8],
  ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"', 0, 19],
  [
    'topk(some_metric, other_metric)',
    '1:6: parse error: expected type scalar in aggregation parameter, got instant vector',
    5,
    16,
  ],
  [
    'count_values(5, other_metric)',
    '1:14: parse error: expected type string in aggregation parameter, got scalar',
    13,
    14,
  ],
  ['sum(1)', '1:5: parse error: expected type instant vector in aggregation expression, got scalar', 4, 5],
  ['floor()', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0', 0, 7],
  [
    'floor(some_metric, other_metric)',
    '1:1: parse error: expected 1 argument(s) in call to "floor", got 2',
    0,
    32,
  ],
  [
    'floor(1)',
    '1:7: parse error: expected type instant vector in call to function "floor", got scalar',
    6,
    7,
  ],
  [
    'hour(some_metric, some_metric, some_metric)',
    '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3',
    0,
    43,
  ],
  [
    'label_join(a)',
    '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1',
    0,
    13,
  ],
  ['time(some_metric)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1', 0, 17],
  [
    'rate(some_metric)',
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    5,
    16,
  ],
  [
    'rate(avg)',
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    5,
    8,
  ],
  ['rate(x[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2', 0, 14],
  [
    'label_join(a, "b", "c", "d", 1)',
    '1:30: parse error: expected type string in call to function "label_join", got scalar',
    29,
    30,
  ],
  [
    'test[5d] OFFSET 10s [10m:5s]',
    '1:1: parse error: subquery is only allowed on instant vector, got matrix instead',
    0,
    28,
  ],
  [
    '(foo + bar{nm="val"})[5m:][10m:5s]',
    '1:1: parse error: subquery is only allowed on instant vector, got matrix instead',
    0,
    34,
  ],
  [
    'x[5m] + 1',
    '1:1: parse error: binary expression must contain only scalar and instant vector types',
    0,
    5,
  ],
  ['1 + "a"', '1:5: parse error: binary expression must contain only scalar and instant vector types', 4, 7],
  [
    'info(rate(http_request_counter_total{}[5m]), target_info{foo="bar"})',
    '1:46: parse error: expected label selectors only, got vector selector instead',
    45,
    67,
  ],
  [
    'info(http_request_counter_total{namespace="zzz"}, {foo="bar"} == 1)',
    '1:51: parse error: expected label selectors only',
    50,
    66,
  ],
  [
    'a\n  + "b"',
    '2:5: parse error: binary expression must contain only scalar and instant vector types',
    6,
    9,
  ],
];

test('parse errors carry Prometheus messages and offsets', () => {
  for (const [query, message, start, end] of CASES) {
    const err = parseFailure(query);
    if (message.endsWith('invalid regex in matcher'))
      assert.ok(err.message.startsWith(message), `${query}: ${err.message}`);
    else assert.equal(err.message, message, `query ${JSON.stringify(query)}`);
    assert.equal(err.start, start, `start of ${JSON.stringify(query)}: ${err.message}`);
    if (end !== undefined) assert.equal(err.end, end, `end of ${JSON.stringify(query)}: ${err.message}`);
    assert.ok(!(err instanceof PromqlUnsupportedError), query);
  }
});

test('experimental features telemux does not implement are PromqlUnsupportedError, naming the feature', () => {
  const cases: [string, RegExp][] = [
    ['rate(foo[1m] anchored)', /anchored/],
    ['foo[1m] smoothed', /smoothed/],
    ['a + fill(0) b', /fill modifiers/],
    ['a + fill_left(1) fill_right(2) b', /fill modifiers/],
    ['a </ b', /binary operator <\//],
    ['foo[5m::1m]', /aligned subqueries/],
  ];
  for (const [query, feature] of cases) {
    const err = parseFailure(query);
    assert.ok(err instanceof PromqlUnsupportedError, `${query}: ${err.message}`);
    assert.match(err.feature, feature, query);
    assert.match(
      err.message,
      /^1:\d+: parse error: not supported by telemux \(experimental in Prometheus\): /,
    );
  }
});

test('huge and deeply nested queries parse or fail with a PromqlParseError, never a stack overflow', () => {
  const deep = [
    Array.from({ length: 20_000 }, () => '2').join(' ^ '),
    `${'('.repeat(20_000)}1${')'.repeat(20_000)}`,
    `${'abs('.repeat(5000)}x${')'.repeat(5000)}`,
    `${'-'.repeat(20_000)}x`,
  ];
  for (const q of deep) {
    try {
      parseExpr(q);
    } catch (err) {
      assert.ok(err instanceof PromqlParseError, String(err));
    }
  }
  // The lezer parser stops long left-associative chains (its guard against trees too deep to walk).
  const chain = Array.from({ length: 600 }, (_, i) => `metric_${i}`).join(' + ');
  const err = parseFailure(chain);
  assert.match(
    err.message,
    /parse error: too many chained binary operators before identifier "metric_\d+": at most 300/,
  );
  // Below the limit such a chain is fine.
  assert.equal(parseExpr(Array.from({ length: 250 }, (_, i) => `m${i}`).join(' + ')).type, 'BinaryExpr');
});
