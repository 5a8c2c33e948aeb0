// Valid PromQL: the trees the parser builds (literals, precedence, selectors, modifiers, aggregations,
// calls, strings, names) and their positions, checked against what Prometheus 3.x builds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../../src/promql/ast.ts';
import { parseExpr, positionOf, typeOf } from '../../../src/promql/parser/index.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { withoutPositions } from './ast-compare.ts';

const tree = (q: string) => withoutPositions(parseExpr(q));
const num = (value: number) => ({ type: 'NumberLiteral', value });
const sel = (name: string, ...matchers: string[]) => ({
  type: 'VectorSelector',
  name,
  matchers: [...matchers, ...(name === '' ? [] : [`__name__="${name}"`])].sort(),
  offsetMs: 0,
  at: undefined,
});
const bin = (op: string, lhs: unknown, rhs: unknown, matching?: unknown, returnBool = false) => ({
  type: 'BinaryExpr',
  op,
  lhs,
  rhs,
  matching,
  returnBool,
});
const oneToOne = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
const manyToMany = { card: 'many-to-many', matchingLabels: [], on: false, include: [] };

function value(q: string): number {
  const e = parseExpr(q);
  assert.equal(e.type, 'NumberLiteral', q);
  return e.type === 'NumberLiteral' ? e.value : Number.NaN;
}

test('number literals: decimal, float, exponent, hex, octal, separators, Inf and NaN, durations as seconds', () => {
  const cases: [string, number][] = [
    ['1', 1],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['inf', Number.POSITIVE_INFINITY],
    ['.5', 0.5],
    ['5.', 5],
    ['123.4567', 123.4567],
    ['5e-3', 0.005],
    ['5e3', 5000],
    ['1E3', 1000],
    ['0xc', 12],
    ['0XC', 12],
    ['0x_1F', 31],
    ['0755', 493],
    ['08', 8],
    ['+5.5e-3', 0.0055],
    ['-0755', -493],
    ['1_000', 1000],
    ['1_000.5', 1000.5],
    ['9223372036854775807', 2 ** 63],
    ['5m', 300],
    ['1h30m', 5400],
    ['1s500ms', 1.5],
  ];
  for (const [q, v] of cases) assert.equal(value(q), v, q);
  assert.ok(Number.isNaN(value('NaN')));
  assert.ok(Number.isNaN(value('-nan')));
  assert.ok(Object.is(value('-0'), -0));
});

test('unary minus folds into number literals, but binds less tightly than ^', () => {
  const neg = parseExpr('-1*2');
  assert.deepEqual(neg.type === 'BinaryExpr' && neg.lhs.pos, { start: 0, end: 2 });
  assert.deepEqual(tree('-1*2'), bin('*', num(-1), num(2)));
  assert.deepEqual(tree('-1+2'), bin('+', num(-1), num(2)));
  assert.deepEqual(tree('-1^2'), { type: 'UnaryExpr', op: '-', expr: bin('^', num(1), num(2)) });
  assert.deepEqual(tree('-1^-2'), { type: 'UnaryExpr', op: '-', expr: bin('^', num(1), num(-2)) });
  assert.deepEqual(
    tree('2 * -1 ^ 2'),
    bin('*', num(2), { type: 'UnaryExpr', op: '-', expr: bin('^', num(1), num(2)) }),
  );
  assert.deepEqual(tree('-1 ^ 2 ^ 3'), {
    type: 'UnaryExpr',
    op: '-',
    expr: bin('^', num(1), bin('^', num(2), num(3))),
  });
  assert.deepEqual(tree('+1 + -2 * 1'), bin('+', num(1), bin('*', num(-2), num(1))));
  assert.deepEqual(tree('- -1'), num(1));
  assert.deepEqual(tree('-(1)'), { type: 'UnaryExpr', op: '-', expr: { type: 'ParenExpr', expr: num(1) } });
  const pow = parseExpr('-1^2');
  assert.deepEqual(pow.pos, { start: 0, end: 4 });
  assert.deepEqual(pow.type === 'UnaryExpr' && pow.expr.pos, { start: 1, end: 4 });
  const lit = parseExpr(' - 5');
  assert.deepEqual(lit.pos, { start: 1, end: 4 });
});

test('binary operators: precedence, right-associative ^, set operators, bool and vector matching', () => {
  assert.deepEqual(tree('1 + 2 * 3'), bin('+', num(1), bin('*', num(2), num(3))));
  assert.deepEqual(tree('1 - 2 - 3'), bin('-', bin('-', num(1), num(2)), num(3)));
  assert.deepEqual(tree('2 ^ 3 ^ 2'), bin('^', num(2), bin('^', num(3), num(2))));
  assert.deepEqual(
    tree('1 < bool 2 - 1 * 2'),
    bin('<', num(1), bin('-', num(2), bin('*', num(1), num(2))), undefined, true),
  );
  assert.deepEqual(
    tree('1 + 2/(3*1)'),
    bin('+', num(1), bin('/', num(2), { type: 'ParenExpr', expr: bin('*', num(3), num(1)) })),
  );
  assert.deepEqual(tree('foo * bar'), bin('*', sel('foo'), sel('bar'), oneToOne));
  assert.deepEqual(tree('foo == 1'), bin('==', sel('foo'), num(1)));
  assert.deepEqual(tree('foo == bool 1'), bin('==', sel('foo'), num(1), undefined, true));
  assert.deepEqual(tree('2.5 / bar'), bin('/', num(2.5), sel('bar')));
  assert.deepEqual(tree('foo atan2 bar'), bin('atan2', sel('foo'), sel('bar'), oneToOne));
  assert.deepEqual(
    tree('foo + bar or bla and blub'),
    bin(
      'or',
      bin('+', sel('foo'), sel('bar'), oneToOne),
      bin('and', sel('bla'), sel('blub'), manyToMany),
      manyToMany,
    ),
  );
  assert.deepEqual(
    tree('foo and bar unless baz or qux'),
    bin(
      'or',
      bin('unless', bin('and', sel('foo'), sel('bar'), manyToMany), sel('baz'), manyToMany),
      sel('qux'),
      manyToMany,
    ),
  );
  assert.deepEqual(
    tree('bar + on(foo) bla / on(baz, buz) group_right(test) blub'),
    bin(
      '+',
      sel('bar'),
      bin('/', sel('bla'), sel('blub'), {
        card: 'one-to-many',
        matchingLabels: ['baz', 'buz'],
        on: true,
        include: ['test'],
      }),
      { card: 'one-to-one', matchingLabels: ['foo'], on: true, include: [] },
    ),
  );
  assert.deepEqual(
    tree('foo * on(test,blub) group_left bar'),
    bin('*', sel('foo'), sel('bar'), {
      card: 'many-to-one',
      matchingLabels: ['test', 'blub'],
      on: true,
      include: [],
    }),
  );
  assert.deepEqual(tree('foo and on() bar'), bin('and', sel('foo'), sel('bar'), { ...manyToMany, on: true }));
  assert.deepEqual(
    tree('foo and ignoring(test,blub) bar'),
    bin('and', sel('foo'), sel('bar'), { ...manyToMany, matchingLabels: ['test', 'blub'] }),
  );
  assert.deepEqual(
    tree('foo - ignoring(test,blub) group_right(bar,foo) bar'),
    bin('-', sel('foo'), sel('bar'), {
      card: 'one-to-many',
      matchingLabels: ['test', 'blub'],
      on: false,
      include: ['bar', 'foo'],
    }),
  );
  assert.deepEqual(
    tree('a * on("a.b") group_left("c.d") b'),
    bin('*', sel('a'), sel('b'), {
      card: 'many-to-one',
      matchingLabels: ['a.b'],
      on: true,
      include: ['c.d'],
    }),
  );
  // Scalar sides drop vector matching; `on()` without labels is allowed there.
  assert.deepEqual(tree('1 + on() foo'), bin('+', num(1), sel('foo')));
  const b = parseExpr('foo  +  bar');
  assert.deepEqual(b.pos, { start: 0, end: 11 });
});

test('vector selectors: matchers, quoted and UTF-8 names, __name__, keywords as metric names, trailing commas', () => {
  assert.deepEqual(tree('foo'), sel('foo'));
  assert.deepEqual(tree('min'), sel('min'));
  assert.deepEqual(tree('foo:bar{a="bc"}'), sel('foo:bar', 'a="bc"'));
  assert.deepEqual(tree('{"foo"}'), sel('', '__name__="foo"'));
  assert.deepEqual(
    tree(`{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}`),
    sel('', `__name__="foo'bar"`, `a\\dos\\path="boo\\\\urns"`),
  );
  assert.deepEqual(tree('{"foo", a="bc"}'), sel('', '__name__="foo"', 'a="bc"'));
  assert.deepEqual(tree(`foo{NaN='bc'}`), sel('foo', 'NaN="bc"'));
  assert.deepEqual(tree(`foo{bar='}'}`), sel('foo', 'bar="}"'));
  assert.deepEqual(
    tree('foo{a="b", foo!="bar", test=~"test", bar!~"baz",}'),
    sel('foo', 'a="b"', 'foo!="bar"', 'test=~"test"', 'bar!~"baz"'),
  );
  assert.deepEqual(tree('{__name__=~"bar", __name__!~"baz"}'), sel('', '__name__=~"bar"', '__name__!~"baz"'));
  assert.deepEqual(tree('{"bar", __name__="baz"}'), sel('', '__name__="bar"', '__name__="baz"'));
  assert.deepEqual(tree('{"my.metric", "label.x"="v"}'), sel('', '__name__="my.metric"', 'label.x="v"'));
  assert.deepEqual(tree('{`raw\\name`="x"}'), sel('', 'raw\\name="x"'));
  for (const name of [
    'sum',
    'by',
    'without',
    'and',
    'offset',
    'start',
    'end',
    'step',
    'range',
    'anchored',
    'smoothed',
    'fill',
    'limitk',
  ])
    assert.deepEqual(tree(name), sel(name), name);
  assert.deepEqual(tree('offset{step="1s"}[5m]'), {
    type: 'MatrixSelector',
    vector: sel('offset', 'step="1s"'),
    rangeMs: 300_000,
  });
  assert.deepEqual(tree('fill + fill'), bin('+', sel('fill'), sel('fill'), oneToOne));
  assert.deepEqual(
    tree('a + on(x) offset'),
    bin('+', sel('a'), sel('offset'), { ...oneToOne, on: true, matchingLabels: ['x'] }),
  );
  // The matcher for the name outside the braces comes last, as in Prometheus.
  const e = parseExpr('foo{a="b"}');
  assert.deepEqual(e.type === 'VectorSelector' && e.matchers.map(String), ['a="b"', '__name__="foo"']);
  assert.deepEqual(e.pos, { start: 0, end: 10 });
  // Comments anywhere.
  assert.deepEqual(tree('foo{a="b", # the label\n c="d"} # done'), sel('foo', 'a="b"', 'c="d"'));
});

test('offset and @ modifiers on selectors and subqueries, with the positions Prometheus gives them', () => {
  const vs = (q: string) => {
    const e = parseExpr(q);
    assert.equal(e.type, 'VectorSelector', q);
    return e as Extract<Expr, { type: 'VectorSelector' }>;
  };
  assert.equal(vs('foo offset 5m').offsetMs, 300_000);
  assert.deepEqual(vs('foo offset 5m').pos, { start: 0, end: 13 });
  assert.equal(vs('foo offset -7m').offsetMs, -420_000);
  assert.equal(vs('foo OFFSET 1h30m').offsetMs, 5_400_000);
  assert.equal(vs('foo OFFSET 1m30ms').offsetMs, 60_030);
  assert.equal(vs('foo offset 5').offsetMs, 5000);
  assert.equal(vs('foo offset 1.5').offsetMs, 1500);
  assert.equal(vs('foo offset -(5)').offsetMs, -5000);
  assert.equal(vs('foo offset (5s)').offsetMs, 5000);
  assert.deepEqual(vs('foo @ 1603774568').at, { kind: 'timestamp', ms: 1_603_774_568_000 });
  assert.deepEqual(vs('foo @ -100').at, { kind: 'timestamp', ms: -100_000 });
  assert.deepEqual(vs('foo @ .3').at, { kind: 'timestamp', ms: 300 });
  assert.deepEqual(vs('foo @ 3.').at, { kind: 'timestamp', ms: 3000 });
  assert.deepEqual(vs('foo @ 3.3333').at, { kind: 'timestamp', ms: 3333 });
  assert.deepEqual(vs('foo @ 3.3335').at, { kind: 'timestamp', ms: 3334 });
  assert.deepEqual(vs('foo @ 3e2').at, { kind: 'timestamp', ms: 300_000 });
  assert.deepEqual(vs('foo @ 0xA').at, { kind: 'timestamp', ms: 10_000 });
  assert.deepEqual(vs('foo @ -3.3e1').at, { kind: 'timestamp', ms: -33_000 });
  assert.deepEqual(vs('foo @ 1m').at, { kind: 'timestamp', ms: 60_000 });
  assert.deepEqual(vs('foo @ start()').at, { kind: 'start' });
  assert.deepEqual(vs('foo @ END()').at, { kind: 'end' });
  assert.deepEqual(vs('foo @ start()').pos, { start: 0, end: 13 });
  const both = vs('foo offset 1m @ 123');
  assert.deepEqual(
    [both.offsetMs, both.at, both.pos],
    [60_000, { kind: 'timestamp', ms: 123_000 }, { start: 0, end: 19 }],
  );
  // Modifiers bind tighter than any operator: they belong to the operand they follow.
  assert.deepEqual(
    tree('metric1 offset 15m or metric2 offset 45m'),
    bin(
      'or',
      { ...sel('metric1'), offsetMs: 900_000 },
      { ...sel('metric2'), offsetMs: 2_700_000 },
      manyToMany,
    ),
  );
  assert.deepEqual(tree('-a offset 5m'), {
    type: 'UnaryExpr',
    op: '-',
    expr: { ...sel('a'), offsetMs: 300_000 },
  });
  assert.deepEqual(
    tree('a + b @ 5 + c'),
    bin(
      '+',
      bin('+', sel('a'), { ...sel('b'), at: { kind: 'timestamp', ms: 5000 } }, oneToOne),
      sel('c'),
      oneToOne,
    ),
  );
  assert.deepEqual(tree('foo offset -1^1'), bin('^', { ...sel('foo'), offsetMs: -1000 }, num(1)));
  // After a modifier, operators still bind by precedence: `+` before `and`, `^` before unary minus.
  assert.deepEqual(
    tree('a and b offset 1m + c'),
    bin('and', sel('a'), bin('+', { ...sel('b'), offsetMs: 60_000 }, sel('c'), oneToOne), manyToMany),
  );
  assert.deepEqual(
    tree('a + b @ 5 * c'),
    bin(
      '+',
      sel('a'),
      bin('*', { ...sel('b'), at: { kind: 'timestamp', ms: 5000 } }, sel('c'), oneToOne),
      oneToOne,
    ),
  );
  assert.deepEqual(tree('-a offset 5m ^ 2'), {
    type: 'UnaryExpr',
    op: '-',
    expr: bin('^', { ...sel('a'), offsetMs: 300_000 }, num(2)),
  });
  assert.ok(Object.is(vs('foo offset -0s').offsetMs, 0));
});

test('range selectors and subqueries', () => {
  const m = parseExpr('test[5h] OFFSET 5m');
  assert.ok(m.type === 'MatrixSelector');
  assert.deepEqual(
    [m.rangeMs, m.vector.offsetMs, m.pos, m.vector.pos],
    [18_000_000, 300_000, { start: 0, end: 18 }, { start: 0, end: 4 }],
  );
  const ranges: [string, number][] = [
    ['test[1000ms]', 1000],
    ['test[5s]', 5000],
    ['foo[5m30s]', 330_000],
    ['test[5d]', 432_000_000],
    ['test[5w]', 3_024_000_000],
    ['test[5y]', 157_680_000_000],
    ['test[5]', 5000],
    ['foo[4.18]', 4180],
    ['foo[4.018]', 4018],
    ['foo[ 5m ]', 300_000],
    ['foo[(5s)]', 5000],
  ];
  for (const [q, ms] of ranges) {
    const e = parseExpr(q);
    assert.equal(e.type === 'MatrixSelector' && e.rangeMs, ms, q);
  }
  const at = parseExpr('foo[3ms] @ 2.345');
  assert.ok(at.type === 'MatrixSelector');
  assert.deepEqual(at.vector.at, { kind: 'timestamp', ms: 2345 });

  const s = parseExpr('foo{bar="baz"}[10m5s:1h6ms]');
  assert.ok(s.type === 'SubqueryExpr');
  assert.deepEqual(
    [s.rangeMs, s.stepMs, s.pos, s.expr.pos],
    [605_000, 3_600_006, { start: 0, end: 27 }, { start: 0, end: 14 }],
  );
  const d = parseExpr('foo[10m:]');
  assert.ok(d.type === 'SubqueryExpr' && d.stepMs === 0);
  const nested = parseExpr('min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]');
  assert.ok(nested.type === 'SubqueryExpr' && nested.expr.type === 'Call');
  const inner = nested.expr.args[0];
  assert.ok(inner.type === 'SubqueryExpr');
  assert.deepEqual([inner.offsetMs, inner.pos], [240_000, { start: 14, end: 53 }]);
  const sub = parseExpr('some_metric @ 123 offset 1m [10m:5s]');
  assert.ok(sub.type === 'SubqueryExpr' && sub.expr.type === 'VectorSelector');
  assert.deepEqual(
    [sub.expr.pos, sub.expr.offsetMs, sub.pos],
    [{ start: 0, end: 27 }, 60_000, { start: 0, end: 36 }],
  );
  const after = parseExpr('some_metric[10m:5s] offset 1m @ 123');
  assert.ok(after.type === 'SubqueryExpr');
  assert.deepEqual(
    [after.offsetMs, after.at, after.pos],
    [60_000, { kind: 'timestamp', ms: 123_000 }, { start: 0, end: 35 }],
  );
  assert.equal(parseExpr('(foo + bar{nm="val"})[5m:]').type, 'SubqueryExpr');
});

test('aggregations: grouping before or after, keywords and quoted names as labels, parameters', () => {
  const agg = (q: string) => {
    const e = parseExpr(q);
    assert.equal(e.type, 'AggregateExpr', q);
    return e as Extract<Expr, { type: 'AggregateExpr' }>;
  };
  const sum = agg('sum by (foo)(some_metric)');
  assert.deepEqual(
    [sum.op, sum.grouping, sum.without, sum.pos, sum.expr.pos],
    ['sum', ['foo'], false, { start: 0, end: 25 }, { start: 13, end: 24 }],
  );
  const after = agg('sum (some_metric) without (foo)');
  assert.deepEqual([after.grouping, after.without, after.pos], [['foo'], true, { start: 0, end: 31 }]);
  assert.deepEqual(agg('stddev(some_metric)').grouping, []);
  assert.deepEqual(agg('sum by ()(some_metric)').grouping, []);
  assert.deepEqual(agg('sum by (foo,bar,)(some_metric)').grouping, ['foo', 'bar']);
  assert.deepEqual(agg('SUM BY (group) (x)').op, 'sum');
  assert.deepEqual(agg('sum without(and, by, avg, count, alert, annotations)(some_metric)').grouping, [
    'and',
    'by',
    'avg',
    'count',
    'alert',
    'annotations',
  ]);
  assert.deepEqual(agg('sum by (offset, bool, on, start)(x)').grouping, ['offset', 'bool', 'on', 'start']);
  assert.deepEqual(agg(`sum by ("foo", bar, 'baz')({"some.metric"})`).grouping, ['foo', 'bar', 'baz']);
  const topk = agg('topk(5, some_metric)');
  assert.deepEqual(withoutPositions(topk.param!), num(5));
  assert.deepEqual(topk.pos, { start: 0, end: 20 });
  assert.deepEqual(withoutPositions(agg('count_values("value", some_metric)').param!), {
    type: 'StringLiteral',
    value: 'value',
  });
  for (const op of [
    'avg',
    'min',
    'max',
    'count',
    'group',
    'stdvar',
    'bottomk',
    'quantile',
    'limitk',
    'limit_ratio',
  ])
    assert.equal(
      agg(['bottomk', 'quantile', 'limitk', 'limit_ratio'].includes(op) ? `${op}(0.5, x)` : `${op}(x)`).op,
      op,
    );
  assert.deepEqual(agg('(sum(foo) by (bar))'.slice(1, -1)).pos, { start: 0, end: 17 });
  const p = parseExpr('(sum by (bar) (foo))');
  assert.ok(p.type === 'ParenExpr');
  assert.deepEqual(
    [p.pos, p.expr.pos],
    [
      { start: 0, end: 20 },
      { start: 1, end: 19 },
    ],
  );
});

test('function calls: every function parses by name, experimental ones included', () => {
  const call = (q: string) => {
    const e = parseExpr(q);
    assert.equal(e.type, 'Call', q);
    return e as Extract<Expr, { type: 'Call' }>;
  };
  assert.deepEqual(
    [call('time()').func, call('time()').args, call('time()').pos],
    ['time', [], { start: 0, end: 6 }],
  );
  assert.equal(call('round(some_metric, 5)').args.length, 2);
  assert.equal(call('label_join(a, "d", ",", "s1", "s2", "s3")').args.length, 6);
  assert.equal(call('histogram_quantiles(x, "q", 0.1, 0.5, 0.9)').args.length, 5);
  assert.equal(call('min_of(3, 5)').func, 'min_of');
  assert.equal(call('max_of(-2, -5)').func, 'max_of');
  assert.equal(call('integral(x[5m])').func, 'integral');
  for (const f of ['start', 'end', 'step', 'range', 'pi']) assert.equal(call(`${f}()`).func, f);
  assert.equal(call('info(x, {a="b"})').args.length, 2);
  assert.equal(call('info(rate(http_request_counter_total{}[5m]))').args.length, 1);
  assert.equal(call('sort_by_label(x, "a", "b")').func, 'sort_by_label');
  const rate = call('rate(metric[1m])');
  const arg = rate.args[0];
  assert.ok(arg.type === 'MatrixSelector');
  assert.deepEqual(
    [arg.vector.pos, positionOf('rate(metric[1m])', arg.vector.pos.start)],
    [
      { start: 5, end: 11 },
      { line: 1, col: 6 },
    ],
  );
});

test('string literals: Go escapes in double and single quotes, raw backtick strings, bytes kept', () => {
  const str = (q: string) => {
    const e = parseExpr(q);
    assert.equal(e.type, 'StringLiteral', q);
    return e.type === 'StringLiteral' ? e.value : '';
  };
  assert.equal(
    str('"double-quoted string \\" with escaped quote"'),
    'double-quoted string " with escaped quote',
  );
  assert.equal(
    str("'single-quoted string \\' with escaped quote'"),
    "single-quoted string ' with escaped quote",
  );
  assert.equal(str('`backtick-quoted string`'), 'backtick-quoted string');
  assert.equal(
    str('"\\a\\b\\f\\n\\r\\t\\v\\\\\\" - \\u1234\\U00010111\\U0001011111☺"'),
    '\x07\b\f\n\r\t\v\\" - \u1234\u{10111}\u{10111}11☺',
  );
  assert.equal(str('`\\a\\b\\n`'), '\\a\\b\\n');
  assert.equal(str('"\\xc3\\xa9\\303\\251"'), 'éé');
  // A byte that is not UTF-8 stays a byte: the lone surrogate U+DC00+byte, printed back as `\xc5`.
  assert.equal(str('"a\\xc5z"'), 'a\udcc5z');
  assert.equal(formatExpr(parseExpr('"a\\xc5z"')), '"a\\xc5z"');
  assert.equal(str('"\\xFF\\377"'), '\udcff\udcff');
  assert.equal(str('"multi\\u00e9"'), 'multié');
});

test('typeOf gives Prometheus value types', () => {
  const cases: [string, string][] = [
    ['1', 'scalar'],
    ['"a"', 'string'],
    ['foo', 'vector'],
    ['foo[5m]', 'matrix'],
    ['foo[5m:1m]', 'matrix'],
    ['sum(foo)', 'vector'],
    ['1 + 2', 'scalar'],
    ['1 + foo', 'vector'],
    ['-(1)', 'scalar'],
    ['(foo)', 'vector'],
    ['time()', 'scalar'],
    ['scalar(foo)', 'scalar'],
    ['rate(foo[5m])', 'vector'],
  ];
  for (const [q, t] of cases) assert.equal(typeOf(parseExpr(q)), t, q);
});

test('positionOf counts lines and UTF-8 columns from 1', () => {
  assert.deepEqual(positionOf('abc', 0), { line: 1, col: 1 });
  assert.deepEqual(positionOf('abc', 3), { line: 1, col: 4 });
  assert.deepEqual(positionOf('a\nbc', 2), { line: 2, col: 1 });
  assert.deepEqual(positionOf('a\nbc', 3), { line: 2, col: 2 });
  assert.deepEqual(positionOf('{"é"} + x', 8), { line: 1, col: 10 });
  assert.deepEqual(positionOf('"😀" + x', 7), { line: 1, col: 10 });
});
