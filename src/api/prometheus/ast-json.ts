// A PromQL syntax tree as `/api/v1/parse_query` answers it: the JSON shape of Prometheus 3.0's
// translateAST (web/api/v1), which its UI draws as a tree.

import type { AtModifier, Expr, ValueType } from '../../promql/ast.ts';
import type { Matcher } from '../../tsdb/index/matcher.ts';
import { formatSampleValue } from './result-json.ts';

/** Prometheus' parser.Function fields of a function, when the parser knows them. */
export interface FunctionSignature {
  readonly argTypes: readonly ValueType[];
  /** 0: fixed arity; -1: any number of the last type; n: up to n optional ones. */
  readonly variadic: number;
  readonly returnType: ValueType;
}

export type SignatureOf = (name: string) => FunctionSignature | undefined;

export function astJson(e: Expr | undefined, signature: SignatureOf): unknown {
  if (e === undefined) return null;
  switch (e.type) {
    case 'AggregateExpr':
      return {
        type: 'aggregation',
        op: e.op,
        expr: astJson(e.expr, signature),
        param: astJson(e.param, signature),
        grouping: e.grouping,
        without: e.without,
      };
    case 'BinaryExpr':
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: astJson(e.lhs, signature),
        rhs: astJson(e.rhs, signature),
        matching:
          e.matching === undefined
            ? null
            : {
                card: e.matching.card,
                labels: e.matching.matchingLabels,
                on: e.matching.on,
                include: e.matching.include,
              },
        bool: e.returnBool,
      };
    case 'Call': {
      const sig = signature(e.func);
      return {
        type: 'call',
        func: {
          name: e.func,
          argTypes: sig?.argTypes ?? [],
          variadic: sig?.variadic ?? 0,
          returnType: sig?.returnType ?? '',
        },
        args: e.args.map((a) => astJson(a, signature)),
      };
    }
    case 'MatrixSelector':
      return {
        type: 'matrixSelector',
        name: e.vector.name,
        range: unresolvedAsZero(e.rangeMs),
        offset: unresolvedAsZero(e.vector.offsetMs),
        matchers: matchersJson(e.vector.matchers),
        ...atJson(e.vector.at),
      };
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: astJson(e.expr, signature),
        range: unresolvedAsZero(e.rangeMs),
        offset: unresolvedAsZero(e.offsetMs),
        step: unresolvedAsZero(e.stepMs),
        ...atJson(e.at),
      };
    case 'NumberLiteral':
      // Go's FormatFloat(v, 'f', -1, 64): plain digits, never an exponent.
      return { type: 'numberLiteral', val: plainFloat(e.value) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: astJson(e.expr, signature) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.value };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: astJson(e.expr, signature) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        offset: unresolvedAsZero(e.offsetMs),
        matchers: matchersJson(e.matchers),
        ...atJson(e.at),
      };
    case 'StepInvariantExpr':
      return astJson(e.expr, signature);
  }
}

/**
 * A duration in ms, or 0 when it is written with step() or range() and so has no value until a query
 * runs (NaN in our tree): Prometheus fills its duration fields only then, and answers 0 before.
 */
function unresolvedAsZero(ms: number): number {
  return Number.isNaN(ms) ? 0 : ms;
}

/** Every vector selector in the tree (those inside range selectors too), in order. */
export function selectorsOf(e: Expr): Matcher[][] {
  const out: Matcher[][] = [];
  const walk = (x: Expr | undefined): void => {
    if (x === undefined) return;
    switch (x.type) {
      case 'VectorSelector':
        out.push([...x.matchers]);
        break;
      case 'MatrixSelector':
        walk(x.vector);
        break;
      case 'AggregateExpr':
        walk(x.param);
        walk(x.expr);
        break;
      case 'BinaryExpr':
        walk(x.lhs);
        walk(x.rhs);
        break;
      case 'Call':
        for (const a of x.args) walk(a);
        break;
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr':
        walk(x.expr);
        break;
    }
  };
  walk(e);
  return out;
}

function matchersJson(ms: readonly Matcher[]): unknown[] {
  return ms.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}

/** `timestamp` (ms, for `@ t`) and `startOrEnd` (`start` / `end` for `@ start()` / `@ end()`). */
function atJson(at: AtModifier | undefined): { timestamp: number | null; startOrEnd: string | null } {
  if (at === undefined) return { timestamp: null, startOrEnd: null };
  if (at.kind === 'timestamp') return { timestamp: at.ms, startOrEnd: null };
  return { timestamp: null, startOrEnd: at.kind };
}

function plainFloat(v: number): string {
  const s = formatSampleValue(v);
  if (!s.includes('e')) return s;
  // Expand the exponent: 'f' format writes every digit.
  const [mant, exp] = s.split('e');
  const neg = mant.startsWith('-');
  const [int, frac = ''] = (neg ? mant.slice(1) : mant).split('.');
  const digits = int + frac;
  const point = int.length + Number(exp);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + body;
}
