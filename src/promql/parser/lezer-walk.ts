// The lezer tree → the typed AST, doing what Prometheus' grammar actions do while it parses:
// folding signs into number literals (and unary minus below `^`, which binds tighter), applying
// `offset` and `@` to selectors and subqueries, reading durations, numbers and strings, building
// matchers, and raising the errors Prometheus raises at that stage ("unknown function", "ranges only
// allowed for vector selectors", ...). Type checking comes after, in check.ts.
//
// Names, numbers and strings are read from the original text and Prometheus' tokens: the text lezer
// saw may have been rewritten (lezer-input.ts), always keeping offsets.

import type { SyntaxNode, Tree } from '@lezer/common';
import { Matcher, MatcherError, type MatchType } from '../../tsdb/index/matcher.ts';
import {
  type AggregateExpr,
  type AggregateOp,
  type AtModifier,
  type BinaryExpr,
  type BinaryOp,
  type Cardinality,
  type DurationExpr,
  type Expr,
  type MatrixSelector,
  type NumberLiteral,
  type PosRange,
  PRECEDENCE,
  type SubqueryExpr,
  type VectorSelector,
} from '../ast.ts';
import { FUNCTIONS } from '../functions/signatures.ts';
import { constantDurationMs } from './duration-eval.ts';
import { type DurationSource, durationOperand, offsetOperand } from './duration-syntax.ts';
import { parseDuration, secondsToMs } from './durations.ts';
import type { TokenList } from './lexer.ts';
import { formatFixed, goRound, parseNumber } from './numbers.ts';
import { unsupportedError } from './positions.ts';
import { goQuote, unquoteString } from './strings.ts';
import { canBeMetricName, describeToken, Tok } from './tokens.ts';
import { typeOf } from './types.ts';

/**
 * An error raised while building, as a Prometheus grammar action raises it. `reportAt` is where the
 * action runs (the end of the construct), which decides whether a later lexical error comes first.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
    readonly reportAt: number,
  ) {
    super(message);
  }
}

/** The modifiers of a binary expression as written, which type checking needs after `matching` is settled. */
export interface BinaryModifiers {
  readonly returnBool: boolean;
  readonly on: boolean;
  readonly matchingLabels: readonly string[];
  readonly card: Cardinality;
  readonly include: readonly string[];
}

export interface Built {
  readonly expr: Expr;
  readonly modifiers: ReadonlyMap<BinaryExpr, BinaryModifiers>;
}

const METRIC_NAME = '__name__';

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

const PARAM_AGGREGATIONS: ReadonlySet<AggregateOp> = new Set([
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'limitk',
  'limit_ratio',
]);

const TIMESTAMP_LIMIT = 2 ** 63;

export function buildAst(tree: Tree, text: string, tokens: TokenList): Built {
  const builder = new Builder(text, tokens);
  const top = children(tree.topNode)[0];
  return { expr: builder.expr(top), modifiers: builder.modifiers };
}

/** A node's children, without the comments lezer keeps in the tree. */
function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

const range = (start: number, end: number): PosRange => ({ start, end });

/** A range, step or offset: ms, and the expression when it was written as one. */
interface WrittenDuration {
  readonly ms: number;
  readonly expr?: DurationExpr;
}

const hasOffset = (e: { offsetMs: number; offsetExpr?: DurationExpr }) =>
  e.offsetMs !== 0 || e.offsetExpr !== undefined;

class Builder {
  readonly modifiers = new Map<BinaryExpr, BinaryModifiers>();
  readonly #text: string;
  readonly #tokens: TokenList;

  constructor(text: string, tokens: TokenList) {
    this.#text = text;
    this.#tokens = tokens;
  }

  expr(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'NumberDurationLiteral':
        return this.#numberLiteral(n);
      case 'StringLiteral':
        return { type: 'StringLiteral', value: unquoteString(this.#slice(n)), pos: range(n.from, n.to) };
      case 'VectorSelector':
        return this.#vectorSelector(n);
      case 'MatrixSelector':
        return this.#matrixSelector(n);
      case 'SubqueryExpr':
        return this.#subquery(n);
      case 'OffsetExpr':
        return this.#offset(n);
      case 'StepInvariantExpr':
        return this.#at(n);
      case 'AggregateExpr':
        return this.#aggregate(n);
      case 'FunctionCall':
        return this.#call(n);
      case 'BinaryExpr':
        return this.#binary(n);
      case 'UnaryExpr':
        return this.#unary(n);
      case 'ParenExpr':
        return { type: 'ParenExpr', expr: this.expr(children(n)[0]), pos: range(n.from, n.to) };
      case 'AnchoredExpr':
        throw this.#unsupported('the anchored range selector modifier', n);
      case 'SmoothedExpr':
        throw this.#unsupported('the smoothed range selector modifier', n);
    }
    throw new Error(`unexpected ${n.name} node in the PromQL syntax tree`);
  }

  #slice(n: { from: number; to: number }): string {
    return this.#text.slice(n.from, n.to);
  }

  #fail(message: string, start: number, end: number, reportAt = end): never {
    throw new ActionError(message, start, end, reportAt);
  }

  readonly #durations: DurationSource = {
    children,
    literal: (n) => this.#unsignedLiteral(n),
    slice: (n) => this.#slice(n),
    fail: (message, start, end) => this.#fail(message, start, end),
  };

  #unsupported(feature: string, n: SyntaxNode) {
    return unsupportedError(this.#text, feature, n.from, n.to);
  }

  /** The index of Prometheus' token covering offset `pos`; a lexical error stopped the scan before it otherwise. */
  #tokenAt(pos: number): number {
    const i = this.#tokens.indexAfter(pos);
    if (i >= this.#tokens.count || this.#tokens.starts[i] > pos)
      this.#fail('no token here (the scan stopped at a lexical error)', pos, pos, Number.POSITIVE_INFINITY);
    return i;
  }

  #tokenText(i: number): string {
    return this.#text.slice(this.#tokens.starts[i], this.#tokens.ends[i]);
  }

  // --- literals ---

  /** A NUMBER or DURATION token as the seconds Prometheus' NumberLiteral holds. */
  #tokenSeconds(i: number): number {
    const t = this.#tokenText(i);
    const [start, end] = [this.#tokens.starts[i], this.#tokens.ends[i]];
    if (this.#tokens.kinds[i] === Tok.DURATION) {
      const d = parseDuration(t);
      if ('error' in d) this.#fail(d.error, start, end);
      return d.ms / 1000;
    }
    const v = parseNumber(t);
    if ('error' in v) this.#fail(v.error, start, end);
    return v.value;
  }

  /** `1`, `-1`, `+Inf`, `5m` (300 seconds): the sign is part of the lezer node. */
  #numberLiteral(n: SyntaxNode): NumberLiteral {
    const negative = this.#text[n.from] === '-';
    const lit = this.#unsignedLiteral(n);
    return { ...lit, value: negative ? -lit.value : lit.value, pos: range(n.from, n.to) };
  }

  /** The literal without its sign, as the token Prometheus folds the sign into. */
  #unsignedLiteral(n: SyntaxNode): NumberLiteral {
    const i = this.#tokenAt(n.to - 1);
    const pos = range(this.#tokens.starts[i], this.#tokens.ends[i]);
    const value = this.#tokenSeconds(i);
    if (this.#tokens.kinds[i] === Tok.DURATION) return { type: 'NumberLiteral', value, duration: true, pos };
    return { type: 'NumberLiteral', value, pos };
  }

  // --- durations (ranges, subquery steps, offsets) ---

  /** A range or subquery step (Prometheus' positive_duration_expr): a literal must be > 0. */
  #positiveDuration(n: SyntaxNode, reportAt: number): WrittenDuration {
    const d = durationOperand(n, this.#durations);
    if (d.type === 'DurationExpr') return { ms: constantDurationMs(d, false), expr: d };
    if (!(d.value > 0)) this.#fail('duration must be greater than 0', d.pos.start, d.pos.end, reportAt);
    return { ms: this.#literalMs(d) };
  }

  #offsetDuration(n: SyntaxNode): WrittenDuration {
    const d = offsetOperand(n, this.#durations);
    if (d.type === 'DurationExpr') return { ms: constantDurationMs(d, true), expr: d };
    return { ms: this.#literalMs(d) };
  }

  /** A literal duration (seconds) in ms: durations exactly, numbers truncated as Go converts them. */
  #literalMs(lit: NumberLiteral): number {
    if (lit.duration) return Math.round(lit.value * 1000) + 0; // + 0: no negative zero for `-0s`
    const d = secondsToMs(lit.value);
    if ('error' in d) this.#fail(d.error, lit.pos.start, lit.pos.end);
    return d.ms + 0;
  }

  // --- selectors and their modifiers ---

  #vectorSelector(n: SyntaxNode): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    for (const k of children(n)) {
      if (k.name === 'Identifier') {
        const i = this.#tokenAt(k.from);
        if (!canBeMetricName(this.#tokens.kinds[i]))
          this.#fail(
            `unexpected ${describeToken(this.#tokens.kinds[i], this.#tokenText(i))}`,
            this.#tokens.starts[i],
            this.#tokens.ends[i],
          );
        name = this.#slice(k);
      } else {
        for (const m of children(k)) matchers.push(this.#matcher(m));
      }
    }
    if (name !== '') matchers.push(new Matcher('=', METRIC_NAME, name));
    return { type: 'VectorSelector', name, matchers, offsetMs: 0, at: undefined, pos: range(n.from, n.to) };
  }

  #matcher(m: SyntaxNode): Matcher {
    const kids = children(m);
    let type: MatchType = '=';
    let label = METRIC_NAME;
    let value: string;
    if (m.name === 'QuotedLabelName') {
      value = unquoteString(this.#slice(kids[0]));
    } else {
      label =
        m.name === 'QuotedLabelMatcher'
          ? unquoteString(this.#slice(children(kids[0])[0]))
          : this.#slice(kids[0]);
      type = this.#slice(kids[1]) as MatchType;
      value = unquoteString(this.#slice(kids[2]));
    }
    try {
      return new Matcher(type, label, value);
    } catch (err) {
      if (err instanceof MatcherError) this.#fail(err.message, m.from, m.to);
      throw err;
    }
  }

  /**
   * Applies a postfix construct (`[range]`, `[range:step]`, `offset`, `@`) to what it follows. In
   * Prometheus these bind tighter than every operator, so in `a + b offset 5m` the offset belongs to
   * `b`; the lezer grammar reduces `a + b` first, so the construct is pushed down to the rightmost
   * operand of binary and unary expressions (parenthesized ones are ParenExpr and stay whole).
   */
  #postfix(e: Expr, apply: (operand: Expr) => Expr): Expr {
    if (e.type === 'UnaryExpr') {
      const inner = this.#postfix(e.expr, apply);
      return { ...e, expr: inner, pos: range(e.pos.start, inner.pos.end) };
    }
    if (e.type === 'BinaryExpr') {
      const mods = this.modifiers.get(e)!;
      this.modifiers.delete(e);
      return this.#binaryExpr(e.op, e.lhs, this.#postfix(e.rhs, apply), mods);
    }
    return apply(e);
  }

  #matrixSelector(n: SyntaxNode): Expr {
    const [exprNode, durNode] = children(n);
    const target = this.expr(exprNode);
    const written = this.#positiveDuration(durNode, n.to);
    // Errors about the selector point at `[…]`.
    const bracket = this.#tokens.indexAfter(exprNode.to);
    const from = bracket < this.#tokens.count ? this.#tokens.starts[bracket] : durNode.from - 1;
    return this.#postfix(target, (inner): MatrixSelector => {
      if (inner.type !== 'VectorSelector') this.#fail('ranges only allowed for vector selectors', from, n.to);
      if (hasOffset(inner)) this.#fail('no offset modifiers allowed before range', from, n.to);
      if (inner.at !== undefined) this.#fail('no @ modifiers allowed before range', from, n.to);
      return {
        type: 'MatrixSelector',
        vector: inner,
        rangeMs: written.ms,
        ...(written.expr && { rangeExpr: written.expr }),
        pos: range(inner.pos.start, n.to),
      };
    });
  }

  #subquery(n: SyntaxNode): Expr {
    const [exprNode, rangeNode, stepNode] = children(n);
    const target = this.expr(exprNode);
    const rangeD = this.#positiveDuration(rangeNode, n.to);
    const stepD = stepNode === undefined ? { ms: 0 } : this.#positiveDuration(stepNode, n.to);
    return this.#postfix(
      target,
      (expr): SubqueryExpr => ({
        type: 'SubqueryExpr',
        expr,
        rangeMs: rangeD.ms,
        stepMs: stepD.ms,
        offsetMs: 0,
        ...(rangeD.expr && { rangeExpr: rangeD.expr }),
        ...(stepD.expr && { stepExpr: stepD.expr }),
        at: undefined,
        pos: range(expr.pos.start, n.to),
      }),
    );
  }

  #offset(n: SyntaxNode): Expr {
    const kids = children(n);
    const target = this.expr(kids[0]);
    const written = this.#offsetDuration(kids[kids.length - 1]);
    const offset = { offsetMs: written.ms, ...(written.expr && { offsetExpr: written.expr }) };
    return this.#postfix(target, (e) => {
      const pos = range(e.pos.start, n.to);
      const twice = () => this.#fail('offset may not be set multiple times', e.pos.start, e.pos.end, n.to);
      switch (e.type) {
        case 'VectorSelector':
          if (hasOffset(e)) twice();
          return { ...e, ...offset, pos };
        case 'MatrixSelector':
          if (hasOffset(e.vector)) twice();
          return { ...e, vector: { ...e.vector, ...offset }, pos };
        case 'SubqueryExpr':
          if (hasOffset(e)) twice();
          return { ...e, ...offset, pos };
      }
      return this.#fail(
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
        e.pos.start,
        e.pos.end,
        n.to,
      );
    });
  }

  #at(n: SyntaxNode): Expr {
    const kids = children(n);
    const target = this.expr(kids[0]);
    const what = kids[kids.length - 1];
    const ts = what.name === 'AtModifierPreprocessors' ? undefined : this.#numberLiteral(what).value;
    return this.#postfix(target, (e) => {
      let at: AtModifier;
      if (ts === undefined) {
        at = { kind: children(what)[0].name === 'AtStart' ? 'start' : 'end' };
      } else {
        if (!Number.isFinite(ts) || ts >= TIMESTAMP_LIMIT || ts <= -TIMESTAMP_LIMIT)
          this.#fail(
            `timestamp out of bounds for @ modifier: ${formatFixed(ts, 6)}`,
            e.pos.start,
            e.pos.end,
            n.to,
          );
        at = { kind: 'timestamp', ms: goRound(ts * 1000) + 0 }; // + 0: no negative zero
      }
      const pos = range(e.pos.start, n.to);
      const twice = () =>
        this.#fail('@ <timestamp> may not be set multiple times', e.pos.start, e.pos.end, n.to);
      switch (e.type) {
        case 'VectorSelector':
          if (e.at !== undefined) twice();
          return { ...e, at, pos };
        case 'MatrixSelector':
          if (e.vector.at !== undefined) twice();
          return { ...e, vector: { ...e.vector, at }, pos };
        case 'SubqueryExpr':
          if (e.at !== undefined) twice();
          return { ...e, at, pos };
      }
      return this.#fail(
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
        e.pos.start,
        e.pos.end,
        n.to,
      );
    });
  }

  // --- aggregations and calls ---

  #aggregate(n: SyntaxNode): AggregateExpr {
    const op = this.#slice(children(n)[0]).toLowerCase() as AggregateOp;
    let args: Expr[] = [];
    let grouping: readonly string[] = [];
    let without = false;
    for (const k of children(n).slice(1)) {
      if (k.name === 'FunctionCallBody') args = this.#arguments(k);
      else {
        const [kw, labels] = children(k);
        without = kw.name === 'Without';
        grouping = this.#groupingLabels(labels);
      }
    }
    const pos = range(n.from, n.to);
    if (args.length === 0) this.#fail('no arguments for aggregate expression provided', n.from, n.to);
    const wanted = PARAM_AGGREGATIONS.has(op) ? 2 : 1;
    if (args.length !== wanted)
      this.#fail(
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
        n.from,
        n.to,
      );
    const param = wanted === 2 ? args[0] : undefined;
    return { type: 'AggregateExpr', op, expr: args[wanted - 1], param, grouping, without, pos };
  }

  #arguments(body: SyntaxNode): Expr[] {
    return children(body).map((a) => this.expr(a));
  }

  /** `(a, "b.c")`: label names, quoted ones unquoted. */
  #groupingLabels(n: SyntaxNode): string[] {
    return children(n).map((l) => {
      if (l.name === 'QuotedLabelName') return unquoteString(this.#slice(children(l)[0]));
      const i = this.#tokenAt(l.from);
      // `inf` and `nan` are numbers to Prometheus, never label names.
      if (this.#tokens.kinds[i] === Tok.NUMBER)
        this.#fail(
          `unexpected ${describeToken(Tok.NUMBER, this.#tokenText(i))} in grouping opts, expected label`,
          l.from,
          l.to,
        );
      return this.#slice(l);
    });
  }

  #call(n: SyntaxNode): Expr {
    const [ident, body] = children(n);
    // The name is Prometheus' token: lezer may have seen a stand-in (lezer-input.ts).
    const t = this.#tokenAt(ident.from);
    const name = this.#tokenText(t);
    const args = this.#arguments(body);
    if (!FUNCTIONS.has(name))
      this.#fail(
        `unknown function with name ${goQuote(name)}`,
        this.#tokens.starts[t],
        this.#tokens.ends[t],
        n.to,
      );
    return { type: 'Call', func: name, args, pos: range(n.from, n.to) };
  }

  // --- operators ---

  #unary(n: SyntaxNode): Expr {
    const [opNode, operandNode] = children(n);
    const op = this.#slice(opNode) as '+' | '-';
    const operand = this.expr(operandNode);
    const pos = range(n.from, operand.pos.end);
    if (operand.type === 'NumberLiteral')
      return { ...operand, value: op === '-' ? -operand.value : operand.value, pos };
    return { type: 'UnaryExpr', op, expr: operand, pos };
  }

  #binary(n: SyntaxNode): Expr {
    const kids = children(n);
    const lhsNode = kids[0];
    const rhsNode = kids[kids.length - 1];
    const op = BINARY_OPS[kids[1].name];
    if (op === undefined) throw this.#unsupported(`the binary operator ${this.#slice(kids[1])}`, kids[1]);

    let returnBool = false;
    let on = false;
    let matchingLabels: readonly string[] = [];
    let card: Cardinality = 'one-to-one';
    let include: readonly string[] = [];
    for (const k of kids.slice(2, -1)) {
      if (k.name === 'BoolModifier') returnBool = true;
      else if (k.name === 'FillModifier') throw this.#unsupported('binary operator fill modifiers', k);
      else {
        const parts = children(k);
        on = parts[0].name === 'On';
        matchingLabels = this.#groupingLabels(parts[1]);
        if (parts.length > 2) {
          card = parts[2].name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
          if (parts.length > 3) include = this.#groupingLabels(parts[3]);
        }
      }
    }

    // Unary minus binds less tightly than `^`: `-1 ^ 2` is -(1 ^ 2). Lezer reads the sign as part of
    // the literal, so peel the signs off the left operand and put them around the power.
    const signs: { op: '+' | '-'; start: number }[] = [];
    let core = lhsNode;
    let unsignedLiteral = false;
    if (op === '^') {
      for (;;) {
        if (core.name === 'UnaryExpr') {
          const [o, operand] = children(core);
          signs.push({ op: this.#slice(o) as '+' | '-', start: core.from });
          core = operand;
          continue;
        }
        const c = this.#text[core.from];
        if (core.name === 'NumberDurationLiteral' && (c === '-' || c === '+')) {
          signs.push({ op: c, start: core.from });
          unsignedLiteral = true;
        }
        break;
      }
    }

    const lhs = unsignedLiteral ? this.#unsignedLiteral(core) : this.expr(core);
    const rhs = this.expr(rhsNode);
    let out = this.#combine(op, lhs, rhs, { returnBool, on, matchingLabels, card, include });
    for (let i = signs.length - 1; i >= 0; i--)
      out = { type: 'UnaryExpr', op: signs[i].op, expr: out, pos: range(signs[i].start, rhs.pos.end) };
    return out;
  }

  /**
   * `lhs op rhs` with Prometheus' precedence. The lezer grammar closes an operand early when a postfix
   * construct follows it: `a and b offset 1m + c` comes as `(a and b offset 1m) + c`. Such a left
   * operand — an unparenthesized operation that binds less tightly than `op` — is rotated into place,
   * giving `a and (b offset 1m + c)`. From a correct tree no rotation ever happens.
   */
  #combine(op: BinaryOp, lhs: Expr, rhs: Expr, mods: BinaryModifiers): Expr {
    if (lhs.type === 'BinaryExpr') {
      const [inner, outer] = [PRECEDENCE[lhs.op], PRECEDENCE[op]];
      if (inner < outer || (inner === outer && op === '^')) {
        const lhsMods = this.modifiers.get(lhs)!;
        this.modifiers.delete(lhs);
        return this.#combine(lhs.op, lhs.lhs, this.#combine(op, lhs.rhs, rhs, mods), lhsMods);
      }
    } else if (lhs.type === 'UnaryExpr' && op === '^') {
      const inner = this.#combine(op, lhs.expr, rhs, mods);
      return { type: 'UnaryExpr', op: lhs.op, expr: inner, pos: range(lhs.pos.start, inner.pos.end) };
    }
    return this.#binaryExpr(op, lhs, rhs, mods);
  }

  /** A binary expression; vector matching is kept only between two instant vectors, as Prometheus does. */
  #binaryExpr(op: BinaryOp, lhs: Expr, rhs: Expr, mods: BinaryModifiers): BinaryExpr {
    const { card, matchingLabels, on, include, returnBool } = mods;
    const bothVectors = typeOf(lhs) === 'vector' && typeOf(rhs) === 'vector';
    const binary: BinaryExpr = {
      type: 'BinaryExpr',
      op,
      lhs,
      rhs,
      matching: bothVectors
        ? {
            card: SET_OPS.has(op) && card === 'one-to-one' ? 'many-to-many' : card,
            matchingLabels,
            on,
            include,
          }
        : undefined,
      returnBool,
      pos: range(lhs.pos.start, rhs.pos.end),
    };
    this.modifiers.set(binary, mods);
    return binary;
  }
}
