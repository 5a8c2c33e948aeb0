// The text handed to the lezer grammar. The grammar (@prometheus-io/lezer-promql, written for the
// editor) reads a few things differently from Prometheus' own parser, so the query is rewritten
// first — always keeping the same length, so every lezer offset is an offset into the original:
//  - numbers its token does not cover (`5.`, `1./6.`, `0X1F`, `5m1h`) become a run of `1`s; their
//    values (and errors) come from Prometheus' tokens, never from this text;
//  - calls of functions it does not know (`min_of(…)`, `integral(…)`, unknown names) become
//    `ln` padded with spaces, so the call still parses and the name is checked by the tree walk;
//  - `offset` where Prometheus takes it as a metric name becomes an identifier;
//  - step, range, min_of and max_of before `(` are written in lower case (Prometheus reads them in any
//    case, the grammar only in lower case), and min_of/max_of calls outside duration expressions
//    become `ln` calls like other functions the grammar lacks.

import { parser } from '@prometheus-io/lezer-promql';
import { FUNCTIONS } from '../functions/signatures.ts';
import type { TokenList } from './lexer.ts';
import { isDurationFunction, Tok } from './tokens.ts';

// The lezer `number` token: decimal with `_` separators and exponent, lower-case hex, or a duration.
const LEZER_NUMBER =
  /^(?:(?:\d+(?:_?\d)*(?:\.\d+(?:_?\d)*)?|\.\d+(?:_?\d)*)(?:[eE][+-]?\d+(?:_?\d)*)?|0x[\da-fA-F]+|(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

let lezerFunctions: ReadonlySet<string> | undefined;

/** The function names the lezer grammar parses as calls (it has a fixed list). */
function lezerKnowsFunction(name: string): boolean {
  lezerFunctions ??= new Set(
    [...FUNCTIONS.keys()].filter((n) => {
      const top = parser.parse(`${n}()`).topNode.firstChild;
      return top?.name === 'FunctionCall' && top.to === n.length + 2;
    }),
  );
  return lezerFunctions.has(name);
}

export function lezerInput(text: string, tokens: TokenList): string {
  let out = '';
  let copied = 0;
  let changed = false;
  const replace = (start: number, end: number, by: string) => {
    out += text.slice(copied, start) + by;
    copied = end;
    changed = true;
  };
  const { kinds, starts, ends } = tokens;
  let durations: Uint8Array | undefined;
  for (let i = 0; i < tokens.count; i++) {
    const kind = kinds[i];
    const start = starts[i];
    const end = ends[i];
    if (isDurationFunction(kind) && i + 1 < tokens.count && kinds[i + 1] === Tok.LEFT_PAREN) {
      durations ??= durationPositions(tokens);
      const word = text.slice(start, end);
      if ((kind === Tok.MIN_OF || kind === Tok.MAX_OF) && durations[i] === 0)
        replace(start, end, `ln${' '.repeat(end - start - 2)}`);
      else if (word !== word.toLowerCase()) replace(start, end, word.toLowerCase());
    } else if (kind === Tok.NUMBER || kind === Tok.DURATION) {
      const t = text.slice(start, end);
      if (!LEZER_NUMBER.test(t) && !/^(?:inf|nan)$/i.test(t)) replace(start, end, '1'.repeat(end - start));
    } else if (kind === Tok.IDENTIFIER && i + 1 < tokens.count && kinds[i + 1] === Tok.LEFT_PAREN) {
      if (end - start >= 2 && !lezerKnowsFunction(text.slice(start, end)))
        replace(start, end, `ln${' '.repeat(end - start - 2)}`);
    } else if (kind === Tok.OFFSET && offsetIsMetricName(tokens, i)) {
      replace(start, end, 'x'.repeat(end - start));
    }
  }
  return changed ? out + text.slice(copied) : text;
}

/** Whether the `offset` at token i stands where an expression starts (Prometheus' metric_identifier). */
function offsetIsMetricName(tokens: TokenList, i: number): boolean {
  if (i === 0) return true;
  const prev = tokens.kinds[i - 1];
  if (prev === Tok.RIGHT_PAREN) {
    // `a + on(x) offset`: a closed label list is followed by an operand; `(expr) offset 5m` is a modifier.
    const open = matchingOpen(tokens, i - 1);
    if (open <= 0) return false;
    const before = tokens.kinds[open - 1];
    return (
      before === Tok.ON || before === Tok.IGNORING || before === Tok.GROUP_LEFT || before === Tok.GROUP_RIGHT
    );
  }
  return (
    prev === Tok.LEFT_PAREN ||
    prev === Tok.COMMA ||
    prev === Tok.BOOL ||
    prev === Tok.GROUP_LEFT ||
    prev === Tok.GROUP_RIGHT ||
    (prev >= Tok.ADD && prev <= Tok.ATAN2 && prev !== Tok.AT)
  );
}

/**
 * Which tokens belong to a duration expression: everything inside `[…]`, and after an `offset` modifier
 * the parenthesized expression or step()/range()/min_of()/max_of() call (behind optional signs).
 */
function durationPositions(tokens: TokenList): Uint8Array {
  const { kinds, count } = tokens;
  const marks = new Uint8Array(count);
  const markParens = (open: number) => {
    let depth = 0;
    for (let j = open; j < count; j++) {
      marks[j] = 1;
      if (kinds[j] === Tok.LEFT_PAREN) depth++;
      else if (kinds[j] === Tok.RIGHT_PAREN && --depth === 0) return;
    }
  };
  let inBracket = false;
  for (let i = 0; i < count; i++) {
    const k = kinds[i];
    if (k === Tok.LEFT_BRACKET) inBracket = true;
    else if (k === Tok.RIGHT_BRACKET) inBracket = false;
    if (inBracket) marks[i] = 1;
    if (k !== Tok.OFFSET || offsetIsMetricName(tokens, i)) continue;
    let j = i + 1;
    while (j < count && (kinds[j] === Tok.ADD || kinds[j] === Tok.SUB)) j++;
    if (j < count && kinds[j] === Tok.LEFT_PAREN) markParens(j);
    else if (j + 1 < count && isDurationFunction(kinds[j]) && kinds[j + 1] === Tok.LEFT_PAREN) {
      marks[j] = 1;
      markParens(j + 1);
    }
  }
  return marks;
}

function matchingOpen(tokens: TokenList, close: number): number {
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    const k = tokens.kinds[j];
    if (k === Tok.RIGHT_PAREN) depth++;
    else if (k === Tok.LEFT_PAREN && --depth === 0) return j;
  }
  return -1;
}
