// format_query, parse_query and query_exemplars: parse errors and their messages, the syntax tree in
// Prometheus' parse_query JSON, and the exemplar endpoint's checks and empty answers. The parser is
// a table of hand-built trees here, so these tests pin the endpoints, not the parser.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { astJson, selectorsOf } from '../../../src/api/prometheus/ast-json.ts';
import { type ExpressionSyntax, expressionRoutes } from '../../../src/api/prometheus/expression-routes.ts';
import type { DurationExpr, Expr, VectorSelector } from '../../../src/promql/ast.ts';
import { PromqlParseError } from '../../../src/promql/errors.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';

const P = { start: 0, end: 0 };
const sel = (name: string, extra: Matcher[] = [], more: Partial<VectorSelector> = {}): VectorSelector => ({
  type: 'VectorSelector',
  name,
  matchers: [...extra, Matcher.equal('__name__', name)],
  offsetMs: 0,
  at: undefined,
  pos: P,
  ...more,
});

// sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m)) / on(job) group_left(team) up @ 1000
const tree: Expr = {
  type: 'BinaryExpr',
  op: '/',
  lhs: {
    type: 'AggregateExpr',
    op: 'sum',
    grouping: ['job'],
    without: false,
    param: undefined,
    pos: P,
    expr: {
      type: 'Call',
      func: 'rate',
      pos: P,
      args: [
        {
          type: 'MatrixSelector',
          rangeMs: 300_000,
          pos: P,
          vector: sel('http_requests_total', [Matcher.regex('code', '5..')], { offsetMs: 60_000 }),
        },
      ],
    },
  },
  rhs: sel('up', [], { at: { kind: 'timestamp', ms: 1_000_000 } }),
  matching: { card: 'many-to-one', matchingLabels: ['job'], on: true, include: ['team'] },
  returnBool: false,
  pos: P,
};

const TREES: Record<string, Expr> = {
  'sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m)) / on (job) group_left (team) up @ 1000':
    tree,
  '1e-7 * -(2)': {
    type: 'BinaryExpr',
    op: '*',
    lhs: { type: 'NumberLiteral', value: 1e-7, pos: P },
    rhs: {
      type: 'UnaryExpr',
      op: '-',
      pos: P,
      expr: { type: 'ParenExpr', pos: P, expr: { type: 'NumberLiteral', value: 2, pos: P } },
    },
    matching: undefined,
    returnBool: false,
    pos: P,
  },
  'max_over_time(up[1h:5m] @ end())': {
    type: 'Call',
    func: 'max_over_time',
    pos: P,
    args: [
      {
        type: 'SubqueryExpr',
        expr: sel('up'),
        rangeMs: 3_600_000,
        stepMs: 300_000,
        offsetMs: 0,
        at: { kind: 'end' },
        pos: P,
      },
    ],
  },
  '"text"': { type: 'StringLiteral', value: 'text', pos: P },
};

const syntax: ExpressionSyntax = {
  parse(query) {
    const t = TREES[query.trim()];
    if (t === undefined)
      throw new PromqlParseError(
        `1:${query.length + 1}: parse error: unexpected end of input`,
        query.length,
        query.length,
      );
    return t;
  },
  format(expr) {
    const entry = Object.entries(TREES).find(([, t]) => t === expr);
    assert.ok(entry);
    return entry[0];
  },
  signature: (name) =>
    name === 'rate' ? { argTypes: ['matrix'], variadic: 0, returnType: 'vector' } : undefined,
};

const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
await app.register(expressionRoutes, { syntax });
after(() => app.close());

const q = encodeURIComponent;
const BIG = Object.keys(TREES)[0];

test('format_query answers the canonical text, GET or POST; a bad query is bad_data', async () => {
  const r = await app.inject(`/api/v1/format_query?query=${q(`  ${BIG}  `)}`);
  assert.deepEqual(r.json(), { status: 'success', data: BIG });
  const p = await app.inject({
    method: 'POST',
    url: '/api/v1/format_query',
    payload: `query=${q(BIG)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.deepEqual(p.json(), { status: 'success', data: BIG });
  const bad = await app.inject('/api/v1/format_query?query=up%7B');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json(), {
    status: 'error',
    errorType: 'bad_data',
    error: 'invalid parameter "query": 1:4: parse error: unexpected end of input',
  });
});

test("parse_query answers the tree in Prometheus' JSON shape", async () => {
  const r = await app.inject(`/api/v1/parse_query?query=${q(BIG)}`);
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), {
    status: 'success',
    data: {
      type: 'binaryExpr',
      op: '/',
      lhs: {
        type: 'aggregation',
        op: 'sum',
        expr: {
          type: 'call',
          func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
          args: [
            {
              type: 'matrixSelector',
              name: 'http_requests_total',
              range: 300_000,
              offset: 60_000,
              matchers: [
                { name: 'code', value: '5..', type: '=~' },
                { name: '__name__', value: 'http_requests_total', type: '=' },
              ],
              timestamp: null,
              startOrEnd: null,
            },
          ],
        },
        param: null,
        grouping: ['job'],
        without: false,
      },
      rhs: {
        type: 'vectorSelector',
        name: 'up',
        offset: 0,
        matchers: [{ name: '__name__', value: 'up', type: '=' }],
        timestamp: 1_000_000,
        startOrEnd: null,
      },
      matching: { card: 'many-to-one', labels: ['job'], on: true, include: ['team'] },
      bool: false,
    },
  });
});

test('parse_query: numbers in plain digits, unary, paren, subquery with @ end(), string', () => {
  const none = () => undefined;
  assert.deepEqual(astJson(TREES['1e-7 * -(2)'], none), {
    type: 'binaryExpr',
    op: '*',
    lhs: { type: 'numberLiteral', val: '0.0000001' },
    rhs: {
      type: 'unaryExpr',
      op: '-',
      expr: { type: 'parenExpr', expr: { type: 'numberLiteral', val: '2' } },
    },
    matching: null,
    bool: false,
  });
  assert.deepEqual(astJson({ type: 'NumberLiteral', value: 1.5e22, pos: P }, none), {
    type: 'numberLiteral',
    val: '15000000000000000000000',
  });
  assert.deepEqual(astJson({ type: 'NumberLiteral', value: Number.POSITIVE_INFINITY, pos: P }, none), {
    type: 'numberLiteral',
    val: '+Inf',
  });
  const sub = astJson(TREES['max_over_time(up[1h:5m] @ end())'], none) as { args: unknown[]; func: unknown };
  assert.deepEqual(sub.func, { name: 'max_over_time', argTypes: [], variadic: 0, returnType: '' });
  assert.deepEqual(sub.args[0], {
    type: 'subquery',
    expr: {
      type: 'vectorSelector',
      name: 'up',
      offset: 0,
      matchers: [{ name: '__name__', value: 'up', type: '=' }],
      timestamp: null,
      startOrEnd: null,
    },
    range: 3_600_000,
    offset: 0,
    step: 300_000,
    timestamp: null,
    startOrEnd: 'end',
  });
  assert.deepEqual(astJson(TREES['"text"'], none), { type: 'stringLiteral', val: 'text' });
});

test('parse_query: durations written with step() or range() are 0 until a query runs, as in Prometheus', () => {
  const step: DurationExpr = {
    type: 'DurationExpr',
    op: 'step',
    lhs: undefined,
    rhs: undefined,
    wrapped: false,
    pos: P,
  };
  const unresolved: Expr = {
    type: 'SubqueryExpr',
    expr: {
      type: 'MatrixSelector',
      vector: sel('up', [], { offsetMs: Number.NaN, offsetExpr: step }),
      rangeMs: Number.NaN,
      rangeExpr: step,
      pos: P,
    },
    rangeMs: Number.NaN,
    rangeExpr: step,
    stepMs: Number.NaN,
    stepExpr: step,
    offsetMs: 60_000,
    at: undefined,
    pos: P,
  };
  const json = astJson(unresolved, () => undefined) as Record<string, unknown> & {
    expr: Record<string, unknown>;
  };
  assert.deepEqual([json.range, json.step, json.offset], [0, 0, 60_000]);
  assert.deepEqual([json.expr.range, json.expr.offset], [0, 0]);
});

test('the selectors of a tree, inside range selectors and subqueries too', () => {
  assert.deepEqual(
    selectorsOf(tree).map((ms) => ms.map((m) => m.toString())),
    [['code=~"5.."', '__name__="http_requests_total"'], ['__name__="up"']],
  );
  assert.equal(selectorsOf(TREES['max_over_time(up[1h:5m] @ end())']).length, 1);
  assert.deepEqual(selectorsOf(TREES['1e-7 * -(2)']), []);
});

test('query_exemplars: checked like Prometheus, and empty', async () => {
  const r = await app.inject(`/api/v1/query_exemplars?query=${q(BIG)}&start=1&end=2`);
  assert.deepEqual(r.json(), { status: 'success', data: [] });
  const noSelectors = await app.inject(`/api/v1/query_exemplars?query=${q('1e-7 * -(2)')}`);
  assert.equal(noSelectors.statusCode, 204);
  const backwards = await app.inject(`/api/v1/query_exemplars?query=${q(BIG)}&start=2&end=1`);
  assert.equal(backwards.statusCode, 400);
  assert.equal(
    (backwards.json() as { error: string }).error,
    'end timestamp must not be before start timestamp',
  );
  const bad = await app.inject('/api/v1/query_exemplars?query=up%7B');
  assert.deepEqual(bad.json(), {
    status: 'error',
    errorType: 'bad_data',
    error: '1:4: parse error: unexpected end of input',
  });
  const badTime = await app.inject(`/api/v1/query_exemplars?query=${q(BIG)}&start=x`);
  assert.equal(
    (badTime.json() as { error: string }).error,
    'invalid parameter "start": cannot parse "x" to a valid timestamp',
  );
});
