// Number, string and label-set spellings exactly as Prometheus (Go) writes them into error messages,
// annotations and labels: `%g` (`1e+06`, `0.1`), `strconv.FormatFloat(f, 'f', -1)` (count_values'
// label), `strconv.Quote` and `labels.String()`. JS's own spellings differ (`1e+6`, `"\u0001"`), and
// the conformance scripts compare these strings byte for byte.

import type { Labels } from '../../model/labels.ts';

/** Shortest round-trip digits of a finite non-zero |v| and its decimal exponent: v = 0.d1d2… × 10^(exp+1). */
function shortestDigits(v: number): { digits: string; exp: number } {
  // toExponential() without an argument gives the shortest digits that round-trip.
  const s = Math.abs(v).toExponential();
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e).replace('.', '');
  return { digits: mantissa, exp: Number(s.slice(e + 1)) };
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return undefined;
}

/**
 * Go's `%g` / `%v` of a float64: the shortest round-trip digits, in exponent form when the decimal
 * exponent is below -4 or at least 6 (strconv's rule for the shortest precision), e.g. `1e+06`.
 */
export function formatGoG(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(v);
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return sign + placeDecimalPoint(digits, exp);
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent. */
export function formatGoF(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(v);
  return (v < 0 ? '-' : '') + placeDecimalPoint(digits, exp);
}

/** client_golang's `FormatOpenMetricsFloat`: like %g but an integral value keeps a `.0`. */
export function formatOpenMetricsFloat(v: number): string {
  const s = formatGoG(v);
  if (/^-?\d+$/.test(s)) return `${s}.0`;
  return s;
}

function placeDecimalPoint(digits: string, exp: number): string {
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};
// Go's unicode.IsPrint is false for every control, format, unassigned, private-use and separator
// code point except the ASCII space.
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Go's `strconv.Quote`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp >= 0xd800 && cp <= 0xdfff)
        out += '\\ufffd'; // a lone surrogate is not valid UTF-8
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
      continue;
    }
    out += ch;
  }
  return `${out}"`;
}

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Prometheus' `labels.Labels.String()`: `{__name__="up", job="x"}`, names quoted when not legacy. */
export function formatLabelsGo(labels: Labels): string {
  const parts: string[] = [];
  for (const p of labels.pairs) {
    const name = LEGACY_NAME.test(p.name) ? p.name : goQuote(p.name);
    parts.push(`${name}=${goQuote(p.value)}`);
  }
  return `{${parts.join(', ')}}`;
}
