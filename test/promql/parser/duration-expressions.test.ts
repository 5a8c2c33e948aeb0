// Duration expressions (Prometheus 3.x, on by default since 3.15): what the parser builds for them,
// how they print back (Prometheus' printer_test cases), and the errors it raises while parsing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type {
  DurationExpr,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorSelector,
} from '../../../src/promql/ast.ts';
import { PromqlParseError, PromqlUnsupportedError } from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { withoutPositions } from './ast-compare.ts';

const canonical = (q: string) => formatExpr(parseExpr(q));

function matrix(q: string): MatrixSelector {
  const e = parseExpr(q);
  assert.equal(e.type, 'MatrixSelector', q);
  return e as MatrixSelector;
}

function subquery(q: string): SubqueryExpr {
  const e = parseExpr(q);
  assert.equal(e.type, 'SubqueryExpr', q);
  return e as SubqueryExpr;
}

function selector(q: string): VectorSelector {
  const e = parseExpr(q);
  assert.equal(e.type, 'VectorSelector', q);
  return e as VectorSelector;
}

function parseFailure(query: string): PromqlParseError {
  try {
    parseExpr(query);
  } catch (err) {
    assert.ok(err instanceof PromqlParseError, `${query}: ${String(err)}`);
    assert.ok(!(err instanceof PromqlUnsupportedError), `${query}: ${err.message}`);
    return err;
  }
  assert.fail(`${JSON.stringify(query)} parsed`);
}

const lit = (value: number, duration = false) => ({
  type: 'NumberLiteral',
  value,
  ...(duration && { duration }),
});
const dexpr = (op: string, lhs: unknown, rhs: unknown, wrapped = false) => ({
  type: 'DurationExpr',
  op,
  lhs,
  rhs,
  wrapped,
});

test('constant duration expressions keep the expression and are folded to ms', () => {
  const m = matrix('x[30s * 2]');
  assert.equal(m.rangeMs, 60_000);
  assert.deepEqual(withoutPositions(m.rangeExpr as never), dexpr('*', lit(30, true), lit(2)));
  const cases: [string, number][] = [
    ['x[26m+4m]', 1_800_000],
    ['x[60*30]', 1_800_000],
    ['x[2m*(10+5)]', 1_800_000],
    ['x[24m+((1.5*2m)+2m)]', 1_740_000],
    ['x[-5m+35m]', 1_800_000],
    ['x[1h/2]', 1_800_000],
    ['x[1h30m % 1h]', 1_800_000],
    ['x[30m1s-30m1s % 1m]', 1_800_000],
    ['x[2 ^ 3 ^ 2]', 512_000], // right-associative
    ['x[-2 ^ 2 + 8]', 4000], // the sign binds looser than ^
    ['x[max_of(1h, 30m)]', 3_600_000],
    ['x[MIN_of(1h, 30m)]', 1_800_000],
    ['x[(5m)]', 300_000],
    ['x[-(-5m)]', 300_000],
    ['x[1.5 * 1ms]', 1], // truncated to whole ms, as Go converts
    ['x[7h % 3h]', 3_600_000],
  ];
  for (const [q, ms] of cases) assert.equal(matrix(q).rangeMs, ms, q);

  const s = subquery('x[29s+1s:((((8 - 2) / 3) * 7s) % 4) + 8000ms]');
  assert.deepEqual([s.rangeMs, s.stepMs], [30_000, 10_000]);
  assert.ok(s.rangeExpr !== undefined && s.stepExpr !== undefined);
  assert.equal(selector('x offset -(20 * ((14s % 4) + 8000ms))').offsetMs, -200_000);
  assert.equal(selector('x offset (100 + 2)').offsetMs, 102_000);
  assert.equal(subquery('x[1m:10s] offset (30s * 2)').offsetMs, 60_000);
});

test('literals without operators stay plain durations, signs folded in', () => {
  for (const q of ['x[5m]', 'x[+5m]', 'x[--5m]', 'x[300]']) {
    const m = matrix(q);
    assert.equal(m.rangeMs, 300_000, q);
    assert.equal(m.rangeExpr, undefined, q);
  }
  const v = selector('x offset -90s');
  assert.deepEqual([v.offsetMs, v.offsetExpr], [-90_000, undefined]);
});

test('step() and range() leave the value to the query (NaN until the engine resolves it)', () => {
  const m = matrix('x[step()]');
  assert.ok(Number.isNaN(m.rangeMs));
  assert.deepEqual(withoutPositions(m.rangeExpr as never), dexpr('step', undefined, undefined));
  assert.deepEqual(m.rangeExpr?.pos, { start: 2, end: 8 });
  const s = subquery('x[5m:step() * 2]');
  assert.equal(s.rangeMs, 300_000);
  assert.ok(Number.isNaN(s.stepMs));
  assert.deepEqual(
    withoutPositions(s.stepExpr as never),
    dexpr('*', dexpr('step', undefined, undefined), lit(2)),
  );
  const v = selector('x offset -range()');
  assert.ok(Number.isNaN(v.offsetMs));
  assert.deepEqual(
    withoutPositions(v.offsetExpr as never),
    dexpr('-', undefined, dexpr('range', undefined, undefined)),
  );
  // Any case, as Prometheus' scanner reads them.
  assert.equal(matrix('x[STEP()]').rangeExpr?.op, 'step');
  assert.equal(selector('x offset Range()').offsetExpr?.op, 'range');
  assert.equal(matrix('x[1+(STep()-5)*2]').rangeExpr?.op, '+');
});

test('an expression that cannot be evaluated parses, and fails when the query runs', () => {
  // Prometheus reports these from its duration visitor, not from the parser.
  for (const q of ['x[1m - 2m]', 'x[1m / (1 - 1)]', 'x[(0)]', 'x[1h ^ 20]', 'x[5m:1m-1m]']) {
    const e = parseExpr(q);
    assert.equal(formatExpr(e), canonical(formatExpr(e)), q);
  }
  assert.ok(Number.isNaN(matrix('x[1m - 2m]').rangeMs));
  assert.ok(Number.isNaN(subquery('x[5m:1m-1m]').stepMs));
  // A negative offset is fine.
  assert.equal(selector('x offset (1m - 2m)').offsetMs, -60_000);
});

test('after offset, only a literal, step(), range(), min_of/max_of or parentheses belong to the duration', () => {
  const tree = (q: string) => withoutPositions(parseExpr(q));
  const x = (offsetMs: number) => ({
    type: 'VectorSelector',
    name: 'x',
    matchers: ['__name__="x"'],
    offsetMs,
    at: undefined,
  });
  const bin = (op: string, lhs: unknown, rhs: unknown) => ({
    type: 'BinaryExpr',
    op,
    lhs,
    rhs,
    matching: undefined,
    returnBool: false,
  });
  assert.deepEqual(tree('x offset 100 + 2'), bin('+', x(100_000), lit(2)));
  assert.deepEqual(tree('x offset -2 ^ 2'), bin('^', x(-2000), lit(2)));
  assert.deepEqual(tree('x offset 2 ^ 2'), bin('^', x(2000), lit(2)));
  const e = parseExpr('x offset step() * 0');
  assert.ok(e.type === 'BinaryExpr' && e.lhs.type === 'VectorSelector' && e.lhs.offsetExpr?.op === 'step');
  const m = parseExpr('x offset -min_of(step(), 1s) ^ 0');
  assert.ok(m.type === 'BinaryExpr' && m.op === '^');
  assert.equal(selector('x offset (-2 ^ 2)').offsetMs, -4000);
  assert.equal(selector('x offset (2 ^ 2)').offsetMs, 4000);
});

test('positions of duration expressions are the spans Prometheus reports', () => {
  const pos = (e: DurationExpr | undefined) => [e?.pos.start, e?.pos.end];
  // Binary: the operands (parentheses not included); unary: from the sign; calls: the call.
  assert.deepEqual(pos(matrix('x[1m + 2m]').rangeExpr), [2, 9]);
  assert.deepEqual(pos(matrix('x[(1m + 2m)]').rangeExpr), [3, 10]);
  assert.deepEqual(pos(matrix('x[-(1m + 2m)]').rangeExpr), [2, 11]);
  assert.deepEqual(pos(matrix('x[ range() ]').rangeExpr), [3, 10]);
  assert.deepEqual(pos(matrix('x[max_of(1m, step())]').rangeExpr), [9, 19]);
  // A literal in parentheses is a unary + from the opening parenthesis to the literal's end.
  assert.deepEqual(pos(matrix('x[(5m)]').rangeExpr), [2, 5]);
  assert.deepEqual(parseExpr('x[5m] offset (1m * 2)').pos, { start: 0, end: 21 });
});

test('duration expressions print as Prometheus prints them', () => {
  // From Prometheus' printer tests, and the offset precedence rules of its grammar.
  const cases: [string, string?][] = [
    ['foo[step()]'],
    ['foo[-step()]'],
    ['foo[(step())]'],
    ['foo[-(step())]'],
    ['foo offset step()'],
    ['foo offset -step()'],
    ['foo offset (step())'],
    ['foo offset -(step())'],
    ['foo offset +(5)', 'foo offset (5)'],
    ['foo offset -(5)'],
    ['foo offset (5)'],
    ['foo offset (5m)'],
    ['foo[(5s)]'],
    ['foo[(5m):(1m)]'],
    ['foo offset +min_of(10s, 20s)', 'foo offset min_of(10s, 20s)'],
    ['foo offset -min_of(10s, 20s)'],
    ['foo offset -min_of(10s, +max_of(step() ^ 2, 2))', 'foo offset -min_of(10s, max_of(step() ^ 2, 2))'],
    ['foo[200-min_of(-step()^+step(),1)]', 'foo[200 - min_of(-step() ^ step(), 1)]'],
    ['foo[200 - min_of(step() + 10s, -max_of(step() ^ 2, 3))]'],
    ['foo[range()]'],
    ['foo[-range()]'],
    ['foo offset range()'],
    ['foo offset -range()'],
    ['foo[max_of(range(), 5s)]'],
    ['foo offset -2^2', 'foo offset -2s ^ 2'],
    ['foo offset 1m+1m', 'foo offset 1m + 1m'],
    ['foo offset step()*2', 'foo offset step() * 2'],
    ['x[30s*2]', 'x[30s * 2]'],
    ['x[--5m]', 'x[5m]'],
    ['x[1h30m % 1h]'],
    // Whole milliseconds that a float holds a hair below (found by the property test below).
    ['aaaaaaa offset -10*4h33m59s617ms', 'aaaaaaa offset -10s * 4h33m59s617ms'],
    ['x[2 ^ 3 ^ 2]'],
    ['x[(2 ^ 3) ^ 2]'],
    ['x[1m - (30s - 10s)]'],
    ['x[1.5 * 1m]'],
    ['x[STEP()]', 'x[step()]'],
    ['rate(x[5m:30s * 2] offset (1h + 5m))[1h:step()]'],
    [
      'sum_over_time(metric1_total[29s+1s:20*500ms] offset -(20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms)))',
      'sum_over_time(metric1_total[29s + 1s:20 * 500ms] offset -(20 * (((((8 - 2) / 3) * 7s) % 4) + 8s)))',
    ],
    // A duration literal outside brackets prints as a duration (NumberLiteral.Duration).
    ['5m'],
    ['-5m + 1h30m'],
    ['rate(x[5m]) * 1m'],
  ];
  for (const [q, want = q] of cases) {
    assert.equal(canonical(q), want, q);
    assert.equal(canonical(want), want, `${want} is a fixed point`);
    assert.deepEqual(
      withoutPositions(parseExpr(want)),
      withoutPositions(parseExpr(q)),
      `${q} reads back the same`,
    );
  }
});

// [query, message, start, end]
const ERRORS: [string, string, number, number][] = [
  // Grammar actions: a literal zero divisor, a literal out of range, a literal range or step ≤ 0.
  ['x[1/0]', '1:4: parse error: division by zero', 3, 4],
  ['x[5m + 1m % 0]', '1:11: parse error: modulo by zero', 10, 11],
  ['x[1m / -0]', '1:6: parse error: division by zero', 5, 6],
  ['x offset (1m / 0)', '1:14: parse error: division by zero', 13, 14],
  ['x[9.5e10 * 2]', '1:3: parse error: duration out of range', 2, 8],
  ['x offset (9.5e10)', '1:11: parse error: duration out of range', 10, 16],
  ['x[5m:0]', '1:6: parse error: duration must be greater than 0', 5, 6],
  ['x[5m:-1m]', '1:6: parse error: duration must be greater than 0', 5, 8],
  // The scanner inside brackets.
  ['x[min(1m, 2m)]', "1:3: parse error: unexpected character in duration expression: 'm'", 2, 14],
  ['x[5m + y]', "1:8: parse error: unexpected character: 'y', expected ':'", 7, 9],
  ['x[stepp()]', "1:3: parse error: unexpected character in duration expression: 's'", 2, 10],
  // Only a number or duration before the colon lets the scanner take it (Prometheus' gotDuration).
  ['x[step():5m]', '1:10: parse error: unexpected colon before duration in duration expression', 9, 12],
  // Syntax errors, in the context Prometheus' error productions give them.
  ['x[5m 1m]', '1:6: parse error: unexpected duration "1m" in subquery or range, expected ":" or "]"', 5, 7],
  [
    'x[(5m 1m)]',
    '1:7: parse error: unexpected duration "1m" in subquery or range selector, expected number, duration, step(), or range()',
    6,
    8,
  ],
  ['x[5m:1m 2]', '1:9: parse error: unexpected number "2" in subquery selector, expected "]"', 8, 9],
  [
    'x[5m:1m+]',
    '1:9: parse error: unexpected "]" in subquery selector, expected number, duration, step(), range(), or "]"',
    8,
    9,
  ],
  [
    'x[min_of(1m)]',
    '1:12: parse error: unexpected ")" in subquery or range selector, expected number, duration, step(), or range()',
    11,
    12,
  ],
  [
    'x offset (5m 1m)',
    '1:14: parse error: unexpected duration "1m" in offset, expected number, duration, step(), or range()',
    13,
    15,
  ],
  [
    'x offset step',
    '1:14: parse error: unexpected end of input in offset, expected number, duration, step(), or range()',
    13,
    13,
  ],
  [
    'x offset -',
    '1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()',
    10,
    10,
  ],
  ['MIN_OF(1, 2)', '1:1: parse error: unknown function with name "MIN_OF"', 0, 6],
];

test('errors while parsing duration expressions: Prometheus messages and offsets', () => {
  for (const [query, message, start, end] of ERRORS) {
    const err = parseFailure(query);
    assert.equal(err.message, message, query);
    assert.deepEqual([err.start, err.end], [start, end], `${query}: ${err.message}`);
  }
});

test('min_of and max_of are functions outside brackets and offsets, and still metric names', () => {
  assert.equal(canonical('min_of(1, 2) + max_of(3, step())'), 'min_of(1, 2) + max_of(3, step())');
  assert.equal(canonical('sum by (min_of) (max_of)'), 'sum by (min_of) (max_of)');
  assert.equal(canonical('x offset 1m + min_of(1, 2)'), 'x offset 1m + min_of(1, 2)');
});

// A small grammar of duration expressions, as text.
const durationText: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '2', '0.5', '30s', '5m', '1h30m', '250ms', 'step()', 'range()'),
    fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '^'), tie('expr'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.constantFrom('-', '+'), tie('expr')).map(([s, e]) => `${s}${e}`),
    tie('expr').map((e) => `(${e})`),
    fc
      .tuple(fc.constantFrom('min_of', 'max_of'), tie('expr'), tie('expr'))
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
  ),
})).expr;

test('any duration expression that parses prints back to the same tree', () => {
  fc.assert(
    fc.property(
      durationText,
      fc.constantFrom('x[%]', 'x[5m:%]', 'x offset (%)', 'x[%:1m] offset -(%)'),
      (d, shape) => {
        const q = shape.replaceAll('%', d);
        let e: Expr;
        try {
          e = parseExpr(q);
        } catch (err) {
          // Only the grammar actions' errors (a literal zero divisor, a literal ≤ 0 range), and the
          // scanner's refusal of a subquery range without a number or duration in it.
          assert.ok(err instanceof PromqlParseError && !(err instanceof PromqlUnsupportedError), String(err));
          assert.match(err.message, /by zero|must be greater than 0|out of range|colon before duration/, q);
          return;
        }
        const printed = formatExpr(e);
        const again = parseExpr(printed);
        assert.deepEqual(withoutPositions(again), withoutPositions(e), `${q} → ${printed}`);
        assert.equal(formatExpr(again), printed);
      },
    ),
    { numRuns: 300 },
  );
});
