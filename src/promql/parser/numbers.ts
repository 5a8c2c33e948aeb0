// Number literals as Prometheus reads them — Go's strconv.ParseInt(s, 0, 64) first (so `0x1f` is
// hex and `0755` octal), then strconv.ParseFloat — and Go's float formatting for printing.

import { goQuote } from './strings.ts';

const INT64_MAX = (1n << 63n) - 1n;

/** The value of a NUMBER token (no sign), or the message Prometheus gives for it. */
export function parseNumber(text: string): { value: number } | { error: string } {
  const asInt = parseGoInt(text);
  if (asInt !== undefined) return { value: asInt };
  return parseGoFloat(text);
}

/** strconv.ParseInt(s, 0, 64) as a float64; undefined when Go would return an error. */
function parseGoInt(s: string): number | undefined {
  let base = 10;
  let digits = s;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    digits = s.slice(2);
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    digits = s.slice(2);
  } else if (s.length > 1 && s[0] === '0') {
    base = 8;
    digits = s.slice(1);
  }
  if (digits.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replaceAll('_', '');
  }
  const valid =
    base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const n = BigInt(prefix + digits);
  return n > INT64_MAX ? undefined : Number(n);
}

/** strconv.ParseFloat(s, 64) for the strings the lexer produces. */
function parseGoFloat(s: string): { value: number } | { error: string } {
  const fail = (why: string) => ({
    error: `error parsing number: strconv.ParseFloat: parsing ${goQuote(s)}: ${why}`,
  });
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return { value: Number.POSITIVE_INFINITY };
  if (lower === 'nan') return { value: Number.NaN };
  // Go reads hex floats only with a `p` exponent, which the lexer never lets through.
  if (/^0[xX]/.test(s)) return fail('invalid syntax');
  if (s.includes('_') && !underscoreOK(s)) return fail('invalid syntax');
  const clean = s.replaceAll('_', '');
  if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(clean)) return fail('invalid syntax');
  const value = Number(clean);
  if (!Number.isFinite(value)) return fail('value out of range');
  return { value };
}

/** Go's rule for `_` in number literals: only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest exact digits, never an exponent; `+Inf`, `NaN`. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s[0] === '-';
  const mantissa = s.slice(negative ? 1 : 0, e).replace('.', '');
  const intDigits = 1 + Number(s.slice(e + 1));
  let out: string;
  if (intDigits <= 0) out = `0.${'0'.repeat(-intDigits)}${mantissa}`;
  else if (intDigits >= mantissa.length) out = mantissa + '0'.repeat(intDigits - mantissa.length);
  else out = `${mantissa.slice(0, intDigits)}.${mantissa.slice(intDigits)}`;
  return negative ? `-${out}` : out;
}

/** Go's `%.<digits>f` (e.g. `%f` is 6 digits), with `+Inf`, `-Inf` and `NaN`. */
export function formatFixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Math.abs(v) < 1e21) return v.toFixed(digits);
  // Beyond 1e21 toFixed switches to an exponent; such doubles are integers, so print them exactly.
  return `${BigInt(v).toString()}${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`;
}

/** Go's math.Round: half away from zero (Math.round rounds -2.5 to -2). */
export function goRound(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}
