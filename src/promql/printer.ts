// The canonical single-line text of a PromQL tree, as Prometheus' Expr.String() writes it (what
// `/api/v1/format_query` answers): `sum by (job) (rate(http_requests_total{job="api"}[5m] offset 1h))`.
// Matchers sorted, durations as `1h30m`, numbers as Go's shortest `%f` form, names quoted when they are
// not legacy names. Parsing the output gives the same tree back.
//
// Trees from the parser keep their parentheses as ParenExpr nodes, so none are needed beyond them;
// for trees built by hand the printer adds the ones without which the text would parse differently.

import type { Matcher } from '../tsdb/index/matcher.ts';
import {
  type AtModifier,
  type BinaryOp,
  type DurationExpr,
  type DurationOperand,
  type Expr,
  type NumberLiteral,
  PRECEDENCE,
  type VectorSelector,
} from './ast.ts';
import { formatDuration } from './parser/durations.ts';
import { formatFixed, formatFloat } from './parser/numbers.ts';
import { goQuote } from './parser/strings.ts';

const METRIC_NAME = '__name__';
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return numberText(e);
    case 'StringLiteral':
      return goQuote(e.value);
    case 'VectorSelector':
      return selector(e) + at(e.at) + offset(e);
    case 'MatrixSelector':
      return `${selector(e.vector)}[${duration(e.rangeMs, e.rangeExpr)}]${at(e.vector.at)}${offset(e.vector)}`;
    case 'SubqueryExpr': {
      const inner = formatExpr(e.expr);
      const target = e.expr.type === 'BinaryExpr' || e.expr.type === 'UnaryExpr' ? `(${inner})` : inner;
      const step = e.stepExpr === undefined && e.stepMs === 0 ? '' : duration(e.stepMs, e.stepExpr);
      return `${target}[${duration(e.rangeMs, e.rangeExpr)}:${step}]${at(e.at)}${offset(e)}`;
    }
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${labelList(e.grouping)}) `;
      else if (e.grouping.length > 0) s += ` by (${labelList(e.grouping)}) `;
      const param = e.param === undefined ? '' : `${formatExpr(e.param)}, `;
      return `${s}(${param}${formatExpr(e.expr)})`;
    }
    case 'BinaryExpr': {
      const m = e.matching;
      let matching = '';
      if (m !== undefined) {
        const grouped = m.card === 'many-to-one' || m.card === 'one-to-many';
        if (m.matchingLabels.length > 0 || m.on || grouped)
          matching = ` ${m.on ? 'on' : 'ignoring'} (${labelList(m.matchingLabels)})`;
        if (grouped)
          matching += ` group_${m.card === 'many-to-one' ? 'left' : 'right'} (${labelList(m.include)})`;
      }
      const bool = e.returnBool ? ' bool' : '';
      return `${operand(e.lhs, e.op, 'lhs')} ${e.op}${bool}${matching} ${operand(e.rhs, e.op, 'rhs')}`;
    }
    case 'UnaryExpr': {
      const inner = formatExpr(e.expr);
      const loose = e.expr.type === 'BinaryExpr' && e.expr.op !== '^';
      return `${e.op}${loose ? `(${inner})` : inner}`;
    }
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'Call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
    case 'StepInvariantExpr':
      return formatExpr(e.expr);
  }
}

/** An operand of a binary operator, in parentheses when it would otherwise bind differently. */
function operand(e: Expr, parent: BinaryOp, side: 'lhs' | 'rhs'): string {
  const s = formatExpr(e);
  const p = PRECEDENCE[parent];
  if (e.type === 'BinaryExpr') {
    const c = PRECEDENCE[e.op];
    const rightAssociative = parent === '^';
    if (c < p || (c === p && side === (rightAssociative ? 'lhs' : 'rhs'))) return `(${s})`;
  }
  if (parent === '^' && side === 'lhs') {
    // A sign before `^` would apply to the whole power: `-1 ^ 2` is -(1 ^ 2).
    if (e.type === 'NumberLiteral' && e.value === Number.POSITIVE_INFINITY) return 'Inf';
    if (e.type === 'UnaryExpr' || s.startsWith('-')) return `(${s})`;
  }
  return s;
}

/** `name{matchers}`, without the name's own `__name__` matcher, the rest sorted as Go sorts strings. */
function selector(v: VectorSelector): string {
  const parts: string[] = [];
  for (const m of v.matchers) {
    if (m.name === METRIC_NAME && m.type === '=' && m.value === v.name && m.value !== '') continue;
    parts.push(matcherText(m));
  }
  if (parts.length === 0) return v.name;
  parts.sort(compareCodePoints);
  return `${v.name}{${parts.join(',')}}`;
}

function matcherText(m: Matcher): string {
  return `${needsQuoting(m.name) ? goQuote(m.name) : m.name}${m.type}${goQuote(m.value)}`;
}

/** Prometheus quotes a matcher's label name unless it is `[a-zA-Z_][a-zA-Z0-9_]*`. */
function needsQuoting(name: string): boolean {
  return !LEGACY_LABEL_NAME.test(name);
}

function labelList(names: readonly string[]): string {
  return names.map((n) => (needsQuoting(n) ? goQuote(n) : n)).join(', ');
}

function at(a: AtModifier | undefined): string {
  if (a === undefined) return '';
  if (a.kind === 'start') return ' @ start()';
  if (a.kind === 'end') return ' @ end()';
  return ` @ ${formatFixed(a.ms / 1000, 3)}`;
}

function offset(e: { offsetMs: number; offsetExpr?: DurationExpr }): string {
  if (e.offsetExpr !== undefined) return ` offset ${formatDurationExpr(e.offsetExpr)}`;
  if (e.offsetMs > 0) return ` offset ${formatDuration(e.offsetMs)}`;
  if (e.offsetMs < 0) return ` offset -${formatDuration(-e.offsetMs)}`;
  return '';
}

/** A range or step: as written when it is an expression, else as a duration. */
function duration(ms: number, expr: DurationExpr | undefined): string {
  return expr === undefined ? formatDuration(ms) : formatDurationExpr(expr);
}

/** A number as Go's FormatFloat, or a duration literal (`5m`, `-90s`) as written. */
function numberText(e: NumberLiteral): string {
  if (!e.duration) return formatFloat(e.value);
  // A duration literal holds whole milliseconds as seconds, which a float may hold a hair below
  // (4h33m59s617ms is 16439.616999… s): round, so that the text reads back to the same value.
  const ms = Math.round(e.value * 1000);
  // `-0d` is the scalar -0: keep its sign, so that the text parses back to the same value.
  return ms < 0 || Object.is(ms, -0) ? `-${formatDuration(-ms)}` : formatDuration(ms);
}

/**
 * A duration expression as Prometheus' DurationExpr.String() writes it: `5m * 2`, `-step()`,
 * `min_of(1m, range())`, `(1h + 5m)` where it was written in parentheses. Parentheses a hand-built
 * tree needs to read back the same are added.
 */
export function formatDurationExpr(e: DurationOperand): string {
  if (e.type === 'NumberLiteral') return numberText(e);
  let s: string;
  switch (e.op) {
    case 'step':
    case 'range':
      s = `${e.op}()`;
      break;
    case 'min_of':
    case 'max_of':
      s = `${e.op}(${formatDurationExpr(e.lhs!)}, ${formatDurationExpr(e.rhs!)})`;
      break;
    default:
      if (e.lhs === undefined) {
        const rhs = durationOperand(e.rhs!, '^', 'rhs');
        s = e.op === '-' ? `-${rhs}` : rhs;
      } else s = `${durationOperand(e.lhs, e.op, 'lhs')} ${e.op} ${durationOperand(e.rhs!, e.op, 'rhs')}`;
  }
  return e.wrapped ? `(${s})` : s;
}

/** An operand of a duration operator, in parentheses when it would otherwise bind differently. */
function durationOperand(e: DurationOperand, parent: BinaryOp, side: 'lhs' | 'rhs'): string {
  const s = formatDurationExpr(e);
  if (e.type === 'DurationExpr' && !e.wrapped && e.lhs !== undefined && Object.hasOwn(PRECEDENCE, e.op)) {
    const [c, p] = [PRECEDENCE[e.op as BinaryOp], PRECEDENCE[parent]];
    if (c < p || (c === p && side === (parent === '^' ? 'lhs' : 'rhs'))) return `(${s})`;
  }
  // A sign before `^` would apply to the whole power; a unary sign's operand binds like `^`'s.
  if (parent === '^' && side === 'lhs' && s.startsWith('-')) return `(${s})`;
  return s;
}

/** Go's string order (UTF-8 bytes), which is code point order; UTF-16 order differs above U+D7FF. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
