// A syntax error where the lezer grammar stopped, worded as Prometheus' yacc grammar words it:
// "unexpected <token>", with its context where Prometheus gives one ("in label matching, expected
// string", "in grouping opts, expected label", "in offset, expected ...", ...). The context comes from
// the tokens before the offending one, the way the yacc parser state would know it.

import type { PromqlParseError } from '../errors.ts';
import type { TokenList } from './lexer.ts';
import { parseError, unsupportedError } from './positions.ts';
import { goQuote } from './strings.ts';
import { describeToken, isAggregator, isDurationFunction, isPreprocessor, Tok } from './tokens.ts';

type Open = 'call' | 'group' | 'expr' | 'brace' | 'bracket';

const MATCH_OPS = new Set<number>([Tok.EQL, Tok.NEQ, Tok.EQL_REGEX, Tok.NEQ_REGEX]);
const GROUPING_KEYWORDS = new Set<number>([
  Tok.BY,
  Tok.WITHOUT,
  Tok.ON,
  Tok.IGNORING,
  Tok.GROUP_LEFT,
  Tok.GROUP_RIGHT,
]);
const DURATION_EXPECTED = 'number, duration, step(), or range()';
const STEP_EXPECTED = 'number, duration, step(), range(), or "]"';
// The tokens a duration expression is made of (besides step/range/min_of/max_of).
const DURATION_TOKENS = new Set<number>([
  Tok.NUMBER,
  Tok.DURATION,
  Tok.ADD,
  Tok.SUB,
  Tok.MUL,
  Tok.DIV,
  Tok.MOD,
  Tok.POW,
  Tok.COMMA,
  Tok.LEFT_PAREN,
  Tok.RIGHT_PAREN,
]);

/** The lexical error as Prometheus reports it: from the offending token to the end of the input. */
export function lexicalError(text: string, tokens: TokenList): PromqlParseError {
  const e = tokens.error!;
  return parseError(text, e.message, e.start, text.length);
}

/** The error for a tree whose first error node starts at `errorPos`. */
export function syntaxError(text: string, tokens: TokenList, errorPos: number): PromqlParseError {
  const { kinds, starts, ends } = tokens;
  const i = tokens.indexAfter(errorPos);
  // The scan stopped at a lexical error before the parser would have got this far.
  if (tokens.error !== undefined && (i >= tokens.count || starts[i] >= tokens.error.start))
    return lexicalError(text, tokens);

  const atEnd = i >= tokens.count;
  const kind = atEnd ? 0 : kinds[i];
  const [start, end] = atEnd ? [text.length, text.length] : [starts[i], ends[i]];
  const what = atEnd ? 'end of input' : describeToken(kind, text.slice(start, end));
  const prev = i > 0 ? kinds[i - 1] : 0;
  const prevText = i > 0 ? text.slice(starts[i - 1], ends[i - 1]) : '';
  const open = openConstruct(tokens, i);
  const err = (message: string, s = start, e = end) => parseError(text, message, s, e);

  if (kind === Tok.DOUBLE_COLON || prev === Tok.DOUBLE_COLON)
    return unsupportedError(text, 'aligned subqueries ([range::step])', start, end);
  if (kind === Tok.LEFT_PAREN && prev === Tok.IDENTIFIER)
    return err(`unknown function with name ${goQuote(prevText)}`, starts[i - 1], ends[i - 1]);
  if (kind === Tok.RIGHT_PAREN && prev === Tok.COMMA && open === 'call')
    return err('trailing commas not allowed in function call args', starts[i - 1], ends[i - 1]);

  if (open === 'brace') {
    let expected: string;
    if (prev === Tok.LEFT_BRACE || prev === Tok.COMMA) expected = 'identifier or "}"';
    else if (prev === Tok.IDENTIFIER) expected = 'label matching operator';
    else if (MATCH_OPS.has(prev)) expected = 'string';
    else expected = '"," or "}"';
    return err(`unexpected ${what} in label matching, expected ${expected}`);
  }
  if (open === 'group') {
    const expected = prev === Tok.LEFT_PAREN || prev === Tok.COMMA ? 'label' : '"," or ")"';
    return err(`unexpected ${what} in grouping opts, expected ${expected}`);
  }
  if (
    (prev === Tok.BY || prev === Tok.WITHOUT || prev === Tok.ON || prev === Tok.IGNORING) &&
    kind !== Tok.LEFT_PAREN
  )
    return err(`unexpected ${what} in grouping opts, expected "("`);
  const bracket = openBracket(tokens, i);
  if (bracket >= 0) return err(`unexpected ${what} in ${bracketExpectation(tokens, bracket, i)}`);
  if (inOffsetDuration(tokens, i)) return err(`unexpected ${what} in offset, expected ${DURATION_EXPECTED}`);
  if (prev === Tok.AT) return err(`unexpected ${what} in @, expected timestamp`);
  if (start >= LEZER_BIG_REDUCTION && countOperators(tokens, i) > LEZER_MAX_CHAIN)
    return err(
      `too many chained binary operators before ${what}: at most ${LEZER_MAX_CHAIN} in a long query`,
    );
  return err(`unexpected ${what}`);
}

// @lezer/lr stops a left-associative chain once more than 300 reductions each span 2,000 characters
// or more (its guard against trees too deep to walk), reporting an error where the chain goes on.
const LEZER_BIG_REDUCTION = 2000;
const LEZER_MAX_CHAIN = 300;

function countOperators(tokens: TokenList, upTo: number): number {
  let n = 0;
  for (let j = 0; j < upTo; j++) {
    const k = tokens.kinds[j];
    if (k >= Tok.ADD && k <= Tok.ATAN2 && k !== Tok.AT && k !== Tok.EQL_REGEX && k !== Tok.NEQ_REGEX) n++;
  }
  return n;
}

/** The `[` still open before token `upTo` (brackets do not nest), or -1. */
function openBracket(tokens: TokenList, upTo: number): number {
  for (let j = upTo - 1; j >= 0; j--) {
    const k = tokens.kinds[j];
    if (k === Tok.RIGHT_BRACKET) return -1;
    if (k === Tok.LEFT_BRACKET) return j;
  }
  return -1;
}

/**
 * Context and expectation of a syntax error inside `[range]` or `[range:step]`, as Prometheus' error
 * productions give them: where an operand is wanted (also anywhere inside parentheses) the range or
 * step is expected, after a complete one the `:` or `]`.
 */
function bracketExpectation(tokens: TokenList, bracket: number, at: number): string {
  let depth = 0;
  let step = false;
  for (let j = bracket + 1; j < at; j++) {
    const k = tokens.kinds[j];
    if (k === Tok.LEFT_PAREN) depth++;
    else if (k === Tok.RIGHT_PAREN) depth--;
    else if (k === Tok.COLON && depth === 0) step = true;
  }
  const prev = tokens.kinds[at - 1];
  const complete =
    depth === 0 &&
    at - 1 > bracket &&
    (prev === Tok.NUMBER || prev === Tok.DURATION || prev === Tok.RIGHT_PAREN);
  if (step)
    return complete ? 'subquery selector, expected "]"' : `subquery selector, expected ${STEP_EXPECTED}`;
  return complete
    ? 'subquery or range, expected ":" or "]"'
    : `subquery or range selector, expected ${DURATION_EXPECTED}`;
}

/**
 * Whether token `at` is where the duration after an `offset` modifier goes on: right after `offset`
 * or its sign, after step/range/min_of/max_of, or inside the parentheses of the duration.
 */
function inOffsetDuration(tokens: TokenList, at: number): boolean {
  const { kinds } = tokens;
  const prev = at > 0 ? kinds[at - 1] : 0;
  if (prev === Tok.OFFSET) return true;
  if ((prev === Tok.ADD || prev === Tok.SUB) && at > 1 && kinds[at - 2] === Tok.OFFSET) return true;
  let depth = 0;
  let unclosed = isDurationFunction(prev);
  for (let j = at - 1; j >= 0; j--) {
    const k = kinds[j];
    if (k === Tok.OFFSET) return unclosed;
    if (k === Tok.RIGHT_PAREN) depth++;
    else if (k === Tok.LEFT_PAREN && --depth < 0) unclosed = true;
    else if (!DURATION_TOKENS.has(k) && !isDurationFunction(k)) return false;
  }
  return false;
}

/** The innermost bracket-like construct still open before token `upTo`. */
function openConstruct(tokens: TokenList, upTo: number): Open | undefined {
  const stack: Open[] = [];
  let closedGroupAfter = 0; // the keyword before the label list that just closed
  for (let j = 0; j < upTo; j++) {
    const k = tokens.kinds[j];
    const prev = j > 0 ? tokens.kinds[j - 1] : 0;
    switch (k) {
      case Tok.LEFT_PAREN:
        if (GROUPING_KEYWORDS.has(prev)) stack.push('group');
        else if (
          prev === Tok.IDENTIFIER ||
          isAggregator(prev) ||
          isPreprocessor(prev) ||
          (prev === Tok.RIGHT_PAREN && (closedGroupAfter === Tok.BY || closedGroupAfter === Tok.WITHOUT))
        )
          stack.push('call');
        else stack.push('expr');
        break;
      case Tok.RIGHT_PAREN: {
        const top = stack.pop();
        closedGroupAfter = top === 'group' ? groupKeyword(tokens, j) : 0;
        break;
      }
      case Tok.LEFT_BRACE:
        stack.push('brace');
        break;
      case Tok.LEFT_BRACKET:
        stack.push('bracket');
        break;
      case Tok.RIGHT_BRACE:
      case Tok.RIGHT_BRACKET:
        stack.pop();
        break;
    }
  }
  return stack[stack.length - 1];
}

/** The keyword before the `(` matching the `)` at `close`. */
function groupKeyword(tokens: TokenList, close: number): number {
  let depth = 0;
  for (let j = close; j > 0; j--) {
    const k = tokens.kinds[j];
    if (k === Tok.RIGHT_PAREN) depth++;
    else if (k === Tok.LEFT_PAREN && --depth === 0) return tokens.kinds[j - 1];
  }
  return 0;
}
