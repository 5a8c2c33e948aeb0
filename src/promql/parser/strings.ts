// Go string semantics for PromQL string literals: unquoting by Prometheus' rules (Go escapes, only the
// opening quote escapable, backtick strings verbatim) and Go's strconv.Quote for output and messages.
//
// Go strings are bytes, JS strings UTF-16. A byte escape (`\xc5`, `\305`) that does not form valid
// UTF-8 is kept as the lone surrogate U+DC00+byte ("surrogateescape"): such a value stays distinct
// from U+FFFD, `isWellFormed()` is false for it (so name validation rejects it, as Prometheus rejects
// invalid UTF-8), and goQuote prints it back as `\xc5`.

const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * The value of a string literal token, quotes included in `literal`. The lexer has already rejected
 * malformed literals; this tolerates them (a missing closing quote, an unknown escape) rather than throw.
 */
export function unquoteString(literal: string): string {
  const quote = literal[0];
  const closed = literal.length > 1 && literal[literal.length - 1] === quote;
  const body = literal.slice(1, closed ? -1 : undefined);
  if (quote === '`' || !body.includes('\\')) return body;

  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp !== 92 || i >= body.length) {
      pushUtf8(bytes, cp);
      continue;
    }
    const e = body[i++];
    if (e in ESCAPES) bytes.push(ESCAPES[e]);
    else if (e === quote) bytes.push(quote.charCodeAt(0));
    else if (e >= '0' && e <= '7') {
      const digits = body.slice(i - 1, i + 2);
      i += 2;
      bytes.push(Number.parseInt(digits, 8) & 0xff);
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const v = Number.parseInt(body.slice(i, i + n), 16);
      i += n;
      if (e === 'x') bytes.push(v & 0xff);
      else pushUtf8(bytes, v);
    } else {
      pushUtf8(bytes, 92);
      pushUtf8(bytes, e.codePointAt(0)!);
    }
  }
  return decodeUtf8Escaped(bytes);
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** UTF-8 → string, each byte of an invalid sequence becoming U+DC00+byte (as Go's decoder sees it). */
function decodeUtf8Escaped(b: readonly number[]): string {
  let out = '';
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < b.length && b[i] >= lo && b[i] <= hi;
  for (let i = 0; i < b.length; ) {
    const b0 = b[i];
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
    } else if (b0 >= 0xc2 && b0 <= 0xdf && cont(i + 1)) {
      out += String.fromCharCode(((b0 & 0x1f) << 6) | (b[i + 1] & 0x3f));
      i += 2;
    } else if (
      b0 >= 0xe0 &&
      b0 <= 0xef &&
      cont(i + 1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf) &&
      cont(i + 2)
    ) {
      out += String.fromCharCode(((b0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f));
      i += 3;
    } else if (
      b0 >= 0xf0 &&
      b0 <= 0xf4 &&
      cont(i + 1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf) &&
      cont(i + 2) &&
      cont(i + 3)
    ) {
      out += String.fromCodePoint(
        ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f),
      );
      i += 4;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    }
  }
  return out;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrintable(cp: number): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true;
  if (cp < 0xa0) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const hex = (v: number, width: number) => v.toString(16).padStart(width, '0');

function escapeCodePoint(cp: number, quote: number): string {
  if (cp === quote || cp === 92) return `\\${String.fromCharCode(cp)}`;
  if (cp >= 0xdc80 && cp <= 0xdcff) return `\\x${hex(cp - 0xdc00, 2)}`;
  // U+FFFD is printable to Go, but Prometheus' lexer rejects it in a literal: escape it so the text parses.
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffd) return '\\ufffd';
  if (isGoPrintable(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** Go's strconv.Quote: a double-quoted literal with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) {
      out += s[i++];
      continue;
    }
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    out += escapeCodePoint(cp, 34);
  }
  return `${out}"`;
}

/** Go's `%.<n>q`: the first n characters of s, quoted. */
export function goQuoteTruncated(s: string, n: number): string {
  return goQuote(Array.from(s).slice(0, n).join(''));
}

/** Go's `%q` of a rune: `'x'`, `'\n'`, `'\x00'`; an invalid rune (-1 for end of input) quotes as U+FFFD. */
export function goQuoteRune(cp: number): string {
  if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffd) return "'\ufffd'";
  return `'${escapeCodePoint(cp, 39)}'`;
}

/** Go's `%#U`: `U+0063 'c'` (the character only when printable). */
export function goUnicodeName(cp: number): string {
  const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrintable(cp) ? `${name} '${String.fromCodePoint(cp)}'` : name;
}
