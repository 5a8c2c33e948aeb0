// Type checking of a built tree, as Prometheus' checkAST (promql/parser/parse.go): the same rules, in
// the same order, with the same messages and positions, so the first error is the one Prometheus shows.

import type { BinaryExpr, Expr, ValueType, VectorSelector } from '../ast.ts';
import { FUNCTIONS } from '../functions/signatures.ts';
import type { BinaryModifiers } from './lezer-walk.ts';
import { parseError } from './positions.ts';
import { goQuote } from './strings.ts';
import { documentedType, typeOf } from './types.ts';

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);
const METRIC_NAME = '__name__';

/** Throws the first type error as a PromqlParseError. */
export function checkAst(e: Expr, text: string, modifiers: ReadonlyMap<BinaryExpr, BinaryModifiers>): void {
  new Checker(text, modifiers).check(e);
}

class Checker {
  readonly #text: string;
  readonly #modifiers: ReadonlyMap<BinaryExpr, BinaryModifiers>;
  /** Selectors that may match everything: the label selector argument of info(). */
  readonly #bypassEmptyCheck = new Set<VectorSelector>();

  constructor(text: string, modifiers: ReadonlyMap<BinaryExpr, BinaryModifiers>) {
    this.#text = text;
    this.#modifiers = modifiers;
  }

  #fail(message: string, start: number, end: number): never {
    throw parseError(this.#text, message, start, end);
  }

  #failAt(message: string, e: Expr): never {
    this.#fail(message, e.pos.start, e.pos.end);
  }

  #expectType(e: Expr, want: ValueType, context: string): void {
    const got = this.check(e);
    if (got !== want)
      this.#failAt(`expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`, e);
  }

  check(e: Expr): ValueType {
    switch (e.type) {
      case 'AggregateExpr':
        this.#expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param !== undefined)
          this.#expectType(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        break;
      case 'BinaryExpr':
        this.#binary(e);
        break;
      case 'Call':
        this.#call(e);
        break;
      case 'ParenExpr':
      case 'StepInvariantExpr':
        this.check(e.expr);
        break;
      case 'UnaryExpr': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector')
          this.#failAt(
            `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`,
            e,
          );
        break;
      }
      case 'SubqueryExpr': {
        const t = this.check(e.expr);
        if (t !== 'vector') this.#failAt(`subquery is only allowed on instant vector, got ${t} instead`, e);
        break;
      }
      case 'MatrixSelector':
        this.check(e.vector);
        break;
      case 'VectorSelector':
        this.#vectorSelector(e);
        break;
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
    }
    return typeOf(e);
  }

  #vectorSelector(e: VectorSelector): void {
    if (e.name !== '') {
      // The last matcher is the one for the name outside the braces.
      for (const m of e.matchers.slice(0, -1))
        if (m.name === METRIC_NAME)
          this.#failAt(`metric name must not be set twice: ${goQuote(e.name)} or ${goQuote(m.value)}`, e);
      return;
    }
    // At least one matcher that does not match the empty string, so a typo cannot select every series.
    if (!this.#bypassEmptyCheck.has(e) && !e.matchers.some((m) => !m.matchesEmpty))
      this.#failAt('vector selector must contain at least one non-empty matcher', e);
  }

  #binary(e: BinaryExpr): void {
    const lt = this.check(e.lhs);
    const rt = this.check(e.rhs);
    const mods = this.#modifiers.get(e) ?? {
      returnBool: e.returnBool,
      on: e.matching?.on ?? false,
      matchingLabels: e.matching?.matchingLabels ?? [],
      card: e.matching?.card ?? 'one-to-one',
      include: e.matching?.include ?? [],
    };
    const isComparison = COMPARISONS.has(e.op);
    const isSetOp = SET_OPS.has(e.op);
    if (mods.returnBool && !isComparison)
      this.#failOperator('bool modifier can only be used on comparison operators', e);
    if (isComparison && !mods.returnBool && lt === 'scalar' && rt === 'scalar')
      this.#failOperator('comparisons between scalars must use BOOL modifier', e);
    const card = isSetOp && mods.card === 'one-to-one' ? 'many-to-many' : mods.card;
    if (mods.on)
      for (const l of mods.matchingLabels)
        if (mods.include.includes(l))
          this.#failOperator(`label ${goQuote(l)} must not occur in ON and GROUP clause at once`, e);
    if (lt !== 'scalar' && lt !== 'vector')
      this.#failAt('binary expression must contain only scalar and instant vector types', e.lhs);
    if (rt !== 'scalar' && rt !== 'vector')
      this.#failAt('binary expression must contain only scalar and instant vector types', e.rhs);
    if (lt !== 'vector' || rt !== 'vector') {
      if (mods.matchingLabels.length > 0)
        this.#failAt('vector matching only allowed between instant vectors', e);
    } else if (isSetOp) {
      if (card === 'one-to-many' || card === 'many-to-one')
        this.#failAt(`no grouping allowed for ${goQuote(e.op)} operation`, e);
      if (card !== 'many-to-many') this.#failAt('set operations must always be many-to-many', e);
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp)
      this.#failAt(`set operator ${goQuote(e.op)} not allowed in binary scalar expression`, e);
  }

  /** Errors about the operator point at it: from after the left side to before the right, spaces trimmed. */
  #failOperator(message: string, e: BinaryExpr): never {
    const t = this.#text;
    const space = (i: number) => i >= 0 && i < t.length && ' \t\n\r'.includes(t[i]);
    let start = e.lhs.pos.end;
    while (space(start)) start++;
    let end = e.rhs.pos.start - 1;
    while (space(end)) end--;
    this.#fail(message, start, end);
  }

  #call(e: Extract<Expr, { type: 'Call' }>): void {
    const f = FUNCTIONS.get(e.func);
    if (f === undefined) this.#failAt(`unknown function with name ${goQuote(e.func)}`, e);
    const n = f.argTypes.length;
    const got = e.args.length;
    if (f.variadic === 0) {
      if (n !== got) this.#failAt(`expected ${n} argument(s) in call to ${goQuote(f.name)}, got ${got}`, e);
    } else {
      const min = n - 1;
      if (min > got)
        this.#failAt(`expected at least ${min} argument(s) in call to ${goQuote(f.name)}, got ${got}`, e);
      else if (f.variadic > 0 && min + f.variadic < got)
        this.#failAt(
          `expected at most ${min + f.variadic} argument(s) in call to ${goQuote(f.name)}, got ${got}`,
          e,
        );
    }
    if (f.name === 'info' && got > 1) {
      // info(v, {selector}): the second argument is a bare label selector, which may match anything.
      const sel = e.args[1];
      if (typeOf(sel) !== 'vector')
        this.#failAt(
          `expected type instant vector in call to function "info", got ${documentedType(typeOf(sel))}`,
          e,
        );
      if (sel.type === 'VectorSelector' && sel.name !== '')
        this.#failAt('expected label selectors only, got vector selector instead', sel);
      if (sel.type === 'VectorSelector') this.#bypassEmptyCheck.add(sel);
      else this.#failAt('expected label selectors only', sel);
    }
    e.args.forEach((arg, i) => {
      if (i >= n && f.variadic === 0) return;
      const want = f.argTypes[Math.min(i, n - 1)];
      const t = this.check(arg);
      if (t !== want)
        this.#failAt(
          `expected type ${documentedType(want)} in call to function ${goQuote(f.name)}, got ${documentedType(t)}`,
          arg,
        );
    });
  }
}
