// Numbers as the exposition formats write and read them.
//
// Writing follows Go's strconv.FormatFloat(v, 'g', -1, 64), which is what client_golang emits and
// what OpenMetrics' "canonical numbers" are defined against: the shortest digits that read back to
// the same float64, in plain notation for exponents -4..5 and `1.5e+06` / `1e-05` notation outside.
// JS and Go both pick the shortest round-tripping digits, so only the notation needs adjusting.
//
// Reading accepts the OpenMetrics ABNF `number` (which is also what Go's ParseFloat accepts once
// expfmt has refused hex floats and `_`): decimal digits with an optional `.` and exponent, or
// `inf`/`infinity` (signed) and `nan`, case-insensitively. Timestamps in seconds are converted to
// milliseconds by moving the decimal point in the text, so `1520879607.789` is exactly 1520879607789.

/** Go's `strconv.FormatFloat(v, 'g', -1, 64)`, with `+Inf` as Prometheus writes it. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const abs = v < 0 ? -v : v;
  // In this range both languages use plain notation with the same shortest digits.
  if (abs >= 1e-4 && abs < 1e6) return String(v);
  return goExponent(v.toExponential());
}

/** `1.5e+6` → `1.5e+06`: Go writes at least two exponent digits. */
function goExponent(jsExp: string): string {
  const e = jsExp.indexOf('e');
  const digits = jsExp.length - e - 2;
  return digits >= 2 ? jsExp : `${jsExp.slice(0, e + 2)}0${jsExp.slice(e + 2)}`;
}

/**
 * A sample value. Safe integers are written as plain integers (`1234567`, not `1.234567e+06`), which
 * is valid in both formats and easier to read; everything else as Go would. `-0` stays `-0`.
 */
export function formatValue(v: number): string {
  if (Number.isSafeInteger(v)) return v === 0 && 1 / v < 0 ? '-0' : String(v);
  return formatGoFloat(v);
}

// Histograms repeat the same few bounds on every series: remember their renderings.
const textLabelNumbers = new Map<number, string>();
const canonicalLabelNumbers = new Map<number, string>();

function memo(cache: Map<number, string>, v: number, format: (v: number) => string): string {
  let s = cache.get(v);
  if (s === undefined) {
    s = format(v);
    if (cache.size >= 4096) cache.clear();
    cache.set(v, s);
  }
  return s;
}

/** `le` / `quantile` label values in text 0.0.4, exactly as client_golang writes them. */
export function formatTextLabelNumber(v: number): string {
  // client_golang's writeFloat writes both zeros as "0"; the label is an identity, so match it.
  return memo(textLabelNumbers, v, (x) => (x === 0 ? '0' : formatGoFloat(x)));
}

/** OpenMetrics canonical form for `le` / `quantile`: Go's %g with `.0` added to bare integers. */
export function formatCanonicalLabelNumber(v: number): string {
  return memo(canonicalLabelNumbers, v, canonical);
}

function canonical(v: number): string {
  if (v === 0) return '0.0';
  const s = formatGoFloat(v);
  if (!Number.isFinite(v)) return s;
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** A timestamp in milliseconds as text 0.0.4 wants it: an integer, never in exponent notation. */
export function formatTimestampMs(ms: number): string {
  if (Number.isSafeInteger(ms)) return ms === 0 ? '0' : String(ms);
  return BigInt(Math.trunc(ms)).toString();
}

/**
 * A timestamp in milliseconds as OpenMetrics seconds: `1520879607789` → `1520879607.789`. Integer
 * milliseconds are converted by text, so they read back exactly; other values move the exponent of
 * their shortest digits by three.
 */
export function formatTimestampSeconds(ms: number): string {
  if (Number.isSafeInteger(ms)) {
    if (ms === 0) return '0';
    const neg = ms < 0;
    const abs = neg ? -ms : ms;
    const whole = Math.floor(abs / 1000);
    const frac = abs - whole * 1000;
    let s = neg ? `-${whole}` : String(whole);
    if (frac !== 0) {
      let f = String(frac).padStart(3, '0');
      while (f.endsWith('0')) f = f.slice(0, -1);
      s += `.${f}`;
    }
    return s;
  }
  const exp = ms.toExponential();
  const e = exp.indexOf('e');
  return `${exp.slice(0, e)}e${Number(exp.slice(e + 1)) - 3}`;
}

// ---- reading ----

enum Ch {
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  UpperE = 69,
  LowerE = 101,
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

/** Index of the first non-digit at or after `i`. */
function skipDigits(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Does `s` match the ABNF `realnumber`: `[sign] digits [. digits] [e [sign] digits]`, ≥1 mantissa digit? */
export function isRealNumberSyntax(s: string): boolean {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === Ch.Plus || c0 === Ch.Minus) i++;
  let end = skipDigits(s, i);
  let mantissaDigits = end - i;
  i = end;
  if (i < n && s.charCodeAt(i) === Ch.Dot) {
    end = skipDigits(s, i + 1);
    mantissaDigits += end - i - 1;
    i = end;
  }
  if (mantissaDigits === 0) return false;
  const e = s.charCodeAt(i);
  if (i < n && (e === Ch.LowerE || e === Ch.UpperE)) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === Ch.Plus || sign === Ch.Minus) i++;
    end = skipDigits(s, i);
    if (end === i) return false;
    i = end;
  }
  return i === n;
}

/** The special words of the ABNF `number` (case-insensitive); undefined when `s` is not one. */
function specialNumber(s: string): number | undefined {
  const n = s.length;
  if (n < 3 || n > 9) return undefined;
  const lower = s.toLowerCase();
  switch (lower) {
    case 'nan':
      return Number.NaN;
    case 'inf':
    case 'infinity':
    case '+inf':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Why a number token was refused. */
export type NumberProblem = 'syntax' | 'range';

/**
 * Parse a sample value (ABNF `number`): the value, or the reason it is refused. A finite literal
 * too large for a float64 is refused ('range'), as Go's ParseFloat does and OpenMetrics requires.
 */
export function parseNumber(s: string): number | NumberProblem {
  // Fast path: most values start with a digit and are plain decimals.
  if (!isDigit(s.charCodeAt(0))) {
    const special = specialNumber(s);
    if (special !== undefined) return special;
  }
  if (!isRealNumberSyntax(s)) return 'syntax';
  const v = Number(s);
  return v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? 'range' : v;
}

/**
 * Parse an OpenMetrics timestamp or `_created` value (seconds, ABNF `realnumber`) into milliseconds,
 * truncated toward zero like Prometheus does. The decimal point is moved in the text, so no
 * binary rounding happens on the way.
 */
export function parseSecondsToMs(s: string): number | NumberProblem {
  if (!isRealNumberSyntax(s)) return 'syntax';
  let e = s.indexOf('e');
  if (e < 0) e = s.indexOf('E');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? 0 : Number.parseInt(s.slice(e + 1), 10);
  const ms = Number(`${mantissa}e${exponent + 3}`);
  if (!Number.isFinite(ms)) return 'range';
  const t = Math.trunc(ms);
  return t === 0 ? 0 : t;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Parse a text 0.0.4 timestamp: a signed decimal int64 of milliseconds (Go's ParseInt). */
export function parseIntegerMs(s: string): number | NumberProblem {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === Ch.Plus || c0 === Ch.Minus) i++;
  if (i === n) return 'syntax';
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < Ch.Zero || c > Ch.Nine) return 'syntax';
  }
  if (n > 15) {
    const big = BigInt(s.charCodeAt(0) === Ch.Plus ? s.slice(1) : s);
    if (big > INT64_MAX || big < INT64_MIN) return 'range';
  }
  const v = Number(s);
  return v === 0 ? 0 : v;
}
