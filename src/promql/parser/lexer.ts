// A PromQL scanner that cuts tokens and reports lexical errors exactly as Prometheus' lexer does
// (promql/parser/lex.go: its state machine for statements, label braces and duration brackets, its
// number syntax and string escapes, its messages). The lezer grammar builds the tree; these tokens
// give Prometheus' error messages, number and duration values, and the few places where the lezer
// grammar reads the text differently from Prometheus (see lezer-input.ts).

import { goQuote, goQuoteRune, goUnicodeName } from './strings.ts';
import { KEYWORDS, Tok, type TokKind } from './tokens.ts';

export interface LexError {
  readonly message: string;
  /** Where the offending token starts; Prometheus reports the range [start, end of input). */
  readonly start: number;
}

/** The tokens of a query in three parallel arrays (comments left out), and the first lexical error. */
export class TokenList {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  error: LexError | undefined;

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(kind: TokKind, start: number, end: number): void {
    if (this.count === this.kinds.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.kinds = grow(this.kinds, (n) => new Uint8Array(n));
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
    }
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  pop(): void {
    this.count--;
  }

  /** Index of the first token that ends after `pos` (`count` when there is none). */
  indexAfter(pos: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the token that starts exactly at `pos`, or -1. */
  indexStartingAt(pos: number): number {
    const i = this.indexAfter(pos);
    return i < this.count && this.starts[i] === pos ? i : -1;
  }
}

const EOF = -1;
const ST_STATEMENTS = 0;
const ST_BRACES = 1;
const ST_DURATION = 2;
const ST_STOP = 3;

const DIGITS = '0123456789';
const HEX_DIGITS = '0123456789abcdefABCDEF';

const isDigit = (r: number) => r >= 48 && r <= 57;
const isAlpha = (r: number) => r === 95 || (r >= 97 && r <= 122) || (r >= 65 && r <= 90);
const isAlphaNumeric = (r: number) => isAlpha(r) || isDigit(r);
const isSpace = (r: number) => r === 32 || r === 9 || r === 10 || r === 13;
/** The functions of duration expressions, which the scan inside brackets knows by name. */
const DURATION_KEYWORDS: ReadonlyMap<string, TokKind> = new Map<string, TokKind>([
  ['step', Tok.STEP],
  ['range', Tok.RANGE],
  ['min_of', Tok.MIN_OF],
  ['max_of', Tok.MAX_OF],
]);
/** s, r, m in either case: where a word inside brackets may be one of them (else it is an error). */
const startsDurationKeyword = (r: number) => {
  const lower = r | 0x20; // only S/s, R/r and M/m map to these
  return lower === 115 || lower === 114 || lower === 109;
};
/** What Go's UTF-8 decoder returns as utf8.RuneError: U+FFFD itself, or a lone surrogate here. */
const isRuneError = (r: number) => r === 0xfffd || (r >= 0xd800 && r <= 0xdfff);

/** Scans the whole query; stops at the first lexical error, as Prometheus does. */
export function lex(input: string): TokenList {
  return new Lexer(input).run();
}

class Lexer {
  readonly #src: string;
  readonly #out: TokenList;
  #pos = 0;
  #start = 0;
  #width = 0;
  #parenDepth = 0;
  #braceOpen = false;
  #bracketOpen = false;
  #gotColon = false;
  #gotDuration = false;

  constructor(src: string) {
    this.#src = src;
    this.#out = new TokenList(Math.min(1024, (src.length >> 1) + 8));
  }

  run(): TokenList {
    let state = ST_STATEMENTS;
    while (state !== ST_STOP) {
      if (state === ST_STATEMENTS) state = this.#statements();
      else if (state === ST_BRACES) state = this.#insideBraces();
      else state = this.#durationExpr();
    }
    return this.#out;
  }

  #next(): number {
    if (this.#pos >= this.#src.length) {
      this.#width = 0;
      return EOF;
    }
    const r = this.#src.codePointAt(this.#pos)!;
    this.#width = r > 0xffff ? 2 : 1;
    this.#pos += this.#width;
    return r;
  }

  #backup(): void {
    this.#pos -= this.#width;
  }

  #peek(): number {
    const r = this.#next();
    this.#backup();
    return r;
  }

  #accept(valid: string): boolean {
    const r = this.#next();
    if (r !== EOF && r < 128 && valid.includes(String.fromCharCode(r))) return true;
    this.#backup();
    return false;
  }

  #is(valid: string): boolean {
    const r = this.#peek();
    return r !== EOF && r < 128 && valid.includes(String.fromCharCode(r));
  }

  #emit(kind: TokKind): void {
    this.#out.push(kind, this.#start, this.#pos);
    this.#start = this.#pos;
  }

  #ignore(): void {
    this.#start = this.#pos;
  }

  #error(message: string): number {
    this.#out.error = { message, start: this.#start };
    return ST_STOP;
  }

  #skipSpaces(): void {
    while (isSpace(this.#peek())) this.#next();
    this.#ignore();
  }

  #lineComment(): void {
    this.#pos++;
    for (;;) {
      const r = this.#next();
      if (r === EOF || r === 10 || r === 13) break;
    }
    this.#backup();
    this.#ignore();
  }

  #statements(): number {
    if (this.#braceOpen) return ST_BRACES;
    if (this.#src.startsWith('#', this.#pos)) {
      this.#lineComment();
      return ST_STATEMENTS;
    }
    const r = this.#next();
    switch (r) {
      case EOF:
        if (this.#parenDepth !== 0) return this.#error('unclosed left parenthesis');
        if (this.#bracketOpen) return this.#error('unclosed left bracket');
        return ST_STOP;
      case 44: // ,
        this.#emit(Tok.COMMA);
        return ST_STATEMENTS;
      case 42: // *
        this.#emit(Tok.MUL);
        return ST_STATEMENTS;
      case 47: // /
        this.#emit(Tok.DIV);
        return ST_STATEMENTS;
      case 37: // %
        this.#emit(Tok.MOD);
        return ST_STATEMENTS;
      case 43: // +
        this.#emit(Tok.ADD);
        return ST_STATEMENTS;
      case 45: // -
        this.#emit(Tok.SUB);
        return ST_STATEMENTS;
      case 94: // ^
        this.#emit(Tok.POW);
        return ST_STATEMENTS;
      case 61: {
        // =
        const t = this.#peek();
        if (t === 61) {
          this.#next();
          this.#emit(Tok.EQLC);
        } else if (t === 126) {
          return this.#error(`unexpected character after '=': ${goQuoteRune(t)}`);
        } else this.#emit(Tok.EQL);
        return ST_STATEMENTS;
      }
      case 33: {
        // !
        const t = this.#next();
        if (t !== 61) return this.#error(`unexpected character after '!': ${goQuoteRune(t)}`);
        this.#emit(Tok.NEQ);
        return ST_STATEMENTS;
      }
      case 60: // <
        if (this.#peek() === 61) {
          this.#next();
          this.#emit(Tok.LTE);
        } else this.#emit(Tok.LSS);
        return ST_STATEMENTS;
      case 62: // >
        if (this.#peek() === 61) {
          this.#next();
          this.#emit(Tok.GTE);
        } else this.#emit(Tok.GTR);
        return ST_STATEMENTS;
      case 34: // "
      case 39: // '
        return this.#string(r);
      case 96: // `
        return this.#rawString();
      case 40: // (
        this.#emit(Tok.LEFT_PAREN);
        this.#parenDepth++;
        return ST_STATEMENTS;
      case 41: // )
        this.#emit(Tok.RIGHT_PAREN);
        this.#parenDepth--;
        if (this.#parenDepth < 0)
          return this.#replaceWithError(`unexpected right parenthesis ${goQuoteRune(r)}`);
        return ST_STATEMENTS;
      case 123: // {
        this.#emit(Tok.LEFT_BRACE);
        this.#braceOpen = true;
        return ST_BRACES;
      case 91: // [
        if (this.#bracketOpen) return this.#error(`unexpected left bracket ${goQuoteRune(r)}`);
        this.#gotColon = false;
        this.#emit(Tok.LEFT_BRACKET);
        this.#skipSpaces();
        this.#bracketOpen = true;
        return ST_DURATION;
      case 93: // ]
        if (!this.#bracketOpen) return this.#error(`unexpected right bracket ${goQuoteRune(r)}`);
        this.#emit(Tok.RIGHT_BRACKET);
        this.#bracketOpen = false;
        return ST_STATEMENTS;
      case 64: // @
        this.#emit(Tok.AT);
        return ST_STATEMENTS;
    }
    if (isSpace(r)) {
      this.#skipSpaces();
      return ST_STATEMENTS;
    }
    if (isDigit(r) || (r === 46 && isDigit(this.#peek()))) {
      this.#backup();
      return this.#numberOrDuration();
    }
    if (isAlpha(r) || r === 58) {
      if (!this.#bracketOpen) {
        this.#backup();
        return this.#keywordOrIdentifier();
      }
      if (r === 58) {
        if (this.#gotColon) return this.#error(`unexpected colon ${goQuoteRune(r)}`);
        if (this.#peek() === 58) {
          this.#next();
          this.#emit(Tok.DOUBLE_COLON);
        } else this.#emit(Tok.COLON);
        this.#gotColon = true;
        return ST_STATEMENTS;
      }
      if (startsDurationKeyword(r) && this.#durationKeyword()) return ST_STATEMENTS;
      return this.#error(`unexpected character: ${goQuoteRune(r)}, expected ${goQuoteRune(58)}`);
    }
    return this.#error(`unexpected character: ${goQuoteRune(r)}`);
  }

  /** Prometheus emits some tokens and then overwrites them with an error at the position after them. */
  #replaceWithError(message: string): number {
    this.#out.pop();
    return this.#error(message);
  }

  #insideBraces(): number {
    if (this.#src.startsWith('#', this.#pos)) {
      this.#lineComment();
      return ST_BRACES;
    }
    const r = this.#next();
    if (r === EOF) return this.#error('unexpected end of input inside braces');
    if (isSpace(r)) {
      this.#skipSpaces();
      return ST_BRACES;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(this.#next()));
      this.#backup();
      this.#emit(Tok.IDENTIFIER);
      return ST_BRACES;
    }
    switch (r) {
      case 44:
        this.#emit(Tok.COMMA);
        return ST_BRACES;
      case 34:
      case 39:
        return this.#string(r) === ST_STOP ? ST_STOP : ST_BRACES;
      case 96:
        return this.#rawString() === ST_STOP ? ST_STOP : ST_BRACES;
      case 61:
        if (this.#next() === 126) this.#emit(Tok.EQL_REGEX);
        else {
          this.#backup();
          this.#emit(Tok.EQL);
        }
        return ST_BRACES;
      case 33: {
        const nr = this.#next();
        if (nr === 126) this.#emit(Tok.NEQ_REGEX);
        else if (nr === 61) this.#emit(Tok.NEQ);
        else return this.#error(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
        return ST_BRACES;
      }
      case 123:
        return this.#error(`unexpected left brace ${goQuoteRune(r)}`);
      case 125:
        this.#emit(Tok.RIGHT_BRACE);
        this.#braceOpen = false;
        return ST_STATEMENTS;
    }
    return this.#error(`unexpected character inside braces: ${goQuoteRune(r)}`);
  }

  #durationExpr(): number {
    const r = this.#next();
    switch (r) {
      case EOF:
        return this.#error('unexpected end of input in duration expression');
      case 93:
        this.#emit(Tok.RIGHT_BRACKET);
        this.#bracketOpen = false;
        this.#gotColon = false;
        return ST_STATEMENTS;
      case 58:
        this.#emit(Tok.COLON);
        if (!this.#gotDuration)
          return this.#replaceWithError('unexpected colon before duration in duration expression');
        if (this.#gotColon) return this.#replaceWithError('unexpected repeated colon in duration expression');
        this.#gotColon = true;
        return ST_DURATION;
      case 40:
        this.#emit(Tok.LEFT_PAREN);
        this.#parenDepth++;
        return ST_DURATION;
      case 41:
        this.#emit(Tok.RIGHT_PAREN);
        this.#parenDepth--;
        if (this.#parenDepth < 0)
          return this.#replaceWithError(`unexpected right parenthesis ${goQuoteRune(r)}`);
        return ST_DURATION;
      case 43:
        this.#emit(Tok.ADD);
        return ST_DURATION;
      case 45:
        this.#emit(Tok.SUB);
        return ST_DURATION;
      case 42:
        this.#emit(Tok.MUL);
        return ST_DURATION;
      case 47:
        this.#emit(Tok.DIV);
        return ST_DURATION;
      case 37:
        this.#emit(Tok.MOD);
        return ST_DURATION;
      case 94:
        this.#emit(Tok.POW);
        return ST_DURATION;
      case 44:
        this.#emit(Tok.COMMA);
        return ST_DURATION;
    }
    if (startsDurationKeyword(r)) {
      if (this.#durationKeyword()) return ST_DURATION;
      return this.#error(`unexpected character in duration expression: ${goQuoteRune(r)}`);
    }
    if (isSpace(r)) {
      this.#skipSpaces();
      return ST_DURATION;
    }
    if (isDigit(r) || (r === 46 && isDigit(this.#peek()))) {
      this.#backup();
      this.#gotDuration = true;
      return this.#numberOrDuration();
    }
    return this.#error(`unexpected character in duration expression: ${goQuoteRune(r)}`);
  }

  /** `step`, `range`, `min_of`, `max_of` inside brackets (duration expressions), any case. */
  #durationKeyword(): boolean {
    while (isAlpha(this.#next()));
    this.#backup();
    const kind = DURATION_KEYWORDS.get(this.#src.slice(this.#start, this.#pos).toLowerCase());
    if (kind === undefined) return false;
    this.#emit(kind);
    return true;
  }

  #keywordOrIdentifier(): number {
    for (;;) {
      const r = this.#next();
      if (!isAlphaNumeric(r) && r !== 58) break;
    }
    this.#backup();
    const word = this.#src.slice(this.#start, this.#pos);
    const kw = KEYWORDS.get(word.toLowerCase());
    if (kw !== undefined) {
      // fill/fill_left/fill_right are keywords only before `(`, so they still work as metric names.
      const isFill = kw === Tok.FILL || kw === Tok.FILL_LEFT || kw === Tok.FILL_RIGHT;
      this.#emit(isFill && !this.#followedByLeftParen() ? Tok.IDENTIFIER : kw);
    } else this.#emit(word.includes(':') ? Tok.METRIC_IDENTIFIER : Tok.IDENTIFIER);
    return ST_STATEMENTS;
  }

  #followedByLeftParen(): boolean {
    let p = this.#pos;
    while (p < this.#src.length && isSpace(this.#src.charCodeAt(p))) p++;
    return this.#src.charCodeAt(p) === 40;
  }

  #numberOrDuration(): number {
    if (this.#scanNumber()) {
      this.#emit(Tok.NUMBER);
      return ST_STATEMENTS;
    }
    if (this.#acceptRemainingDuration()) {
      this.#backup();
      this.#emit(Tok.DURATION);
      return ST_STATEMENTS;
    }
    return this.#error(`bad number or duration syntax: ${goQuote(this.#src.slice(this.#start, this.#pos))}`);
  }

  #acceptRemainingDuration(): boolean {
    if (!this.#accept('smhdwy')) return false;
    this.#accept('s'); // `ms`; bad units such as `hs` fail when the duration is parsed
    while (this.#accept(DIGITS)) {
      while (this.#accept(DIGITS));
      if (!this.#accept('smhdw')) return false;
      this.#accept('s');
    }
    return !isAlphaNumeric(this.#next());
  }

  /** Decimal, hex, octal and float numbers with `_` separators; not necessarily valid (checked later). */
  #scanNumber(): boolean {
    const initial = this.#pos;
    let digits = DIGITS;
    if (this.#accept('0') && this.#accept('xX')) {
      this.#accept('_');
      digits = HEX_DIGITS;
    }
    const hex = digits === HEX_DIGITS;
    this.#accept('.');
    this.#accept(digits);
    let dot = false;
    let exponent = false;
    while (this.#is(`${digits}._eE`)) {
      if (this.#is('.') && dot) {
        this.#accept('.');
        return false;
      }
      if (this.#is('eE') && exponent) {
        this.#accept('eE');
        return false;
      }
      if (this.#accept('.')) {
        dot = true;
        if (this.#accept('_.') || hex) return false;
        continue;
      }
      if (this.#accept('eE')) {
        exponent = true;
        this.#accept('+-');
        if (this.#accept('._eE') || this.#peek() === EOF) return false;
        continue;
      }
      if (this.#accept('_')) {
        if (this.#accept('._eE') || this.#peek() === EOF) return false;
        continue;
      }
      while (this.#accept(digits));
    }
    if (this.#pos === initial) return false;
    return !isAlphaNumeric(this.#peek());
  }

  #string(quote: number): number {
    for (;;) {
      const r = this.#next();
      if (r === 92) {
        if (!this.#escape(quote)) return ST_STOP;
      } else if (r === EOF || r === 10) return this.#error('unterminated quoted string');
      else if (isRuneError(r)) return this.#error('invalid UTF-8 rune');
      else if (r === quote) break;
    }
    this.#emit(Tok.STRING);
    return ST_STATEMENTS;
  }

  #rawString(): number {
    for (;;) {
      const r = this.#next();
      if (r === EOF) return this.#error('unterminated raw string');
      if (isRuneError(r)) return this.#error('invalid UTF-8 rune');
      if (r === 96) break;
    }
    this.#emit(Tok.STRING);
    return ST_STATEMENTS;
  }

  /** One escape sequence after a backslash; false (with the error recorded) when it is bad. */
  #escape(quote: number): boolean {
    let ch = this.#next();
    let n: number;
    let base: number;
    let max: number;
    switch (ch) {
      case 97: // a b f n r t v \
      case 98:
      case 102:
      case 110:
      case 114:
      case 116:
      case 118:
      case 92:
      case quote:
        return true;
      case 120: // x
        ch = this.#next();
        [n, base, max] = [2, 16, 255];
        break;
      case 117: // u
        ch = this.#next();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case 85: // U
        ch = this.#next();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      case EOF:
        this.#error('escape sequence not terminated');
        return false;
      default:
        if (ch >= 48 && ch <= 55) {
          [n, base, max] = [3, 8, 255];
          break;
        }
        this.#error(`unknown escape sequence ${goUnicodeName(ch)}`);
        return false;
    }
    let x = 0;
    while (n > 0) {
      const d = digitValue(ch);
      if (d >= base) {
        this.#error(
          ch === EOF
            ? 'escape sequence not terminated'
            : `illegal character ${goUnicodeName(ch)} in escape sequence`,
        );
        return false;
      }
      x = x * base + d;
      n--;
      if (n > 0) ch = this.#next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.#error('escape sequence is an invalid Unicode code point');
      return false;
    }
    return true;
  }
}

function digitValue(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if (ch >= 97 && ch <= 102) return ch - 97 + 10;
  if (ch >= 65 && ch <= 70) return ch - 65 + 10;
  return 16;
}
