// A fast path for the common line-protocol line, read straight from the request's bytes: no string,
// no allocation per line. It reads one line into reused typed arrays — where the measurement and tags
// are, per field where its key is and its value — and gives up ("use the full parser for this line")
// on anything it does not handle exactly as parser.ts does: escapes in names, repeated field keys,
// numbers whose exact value it cannot compute cheaply, anything malformed. A line it accepts has the
// same fields, values (bit for bit, -0 included) and timestamp as the full parser gives it.
//
// It does not look inside the measurement and tags (the bytes up to the first space): a caller may
// only trust bytes that the full parser has accepted before (see inputs/influx/parse-task.ts).

import { isUtf8 } from 'node:buffer';
import type { LineScan } from './line-scan.ts';
import { type Precision, subMillisecondDigits, timestampToMs } from './timestamp.ts';

/** Most fields of a line the scanner takes; longer lines go to the full parser. */
export const MAX_SCANNED_FIELDS = 64;

/** Digits of a number whose value the scanner computes itself (below 10^15: exact doubles). */
const MAX_FAST_DIGITS = 15;

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const EQ = 61;
const BACKSLASH = 92;
const UPPER_E = 69;
const LOWER_E = 101;
const LOWER_I = 105;
const LOWER_U = 117;

/** 10^k for k ≤ 15, all exact doubles. */
const POW10 = Float64Array.from({ length: MAX_FAST_DIGITS + 1 }, (_, k) => 10 ** k);

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** The boolean spellings InfluxDB takes (besides the one-letter t T f F), with their value. */
const BOOLEAN_WORDS: readonly (readonly [Uint8Array, number])[] = [
  [ascii('true'), 1],
  [ascii('True'), 1],
  [ascii('TRUE'), 1],
  [ascii('false'), 0],
  [ascii('False'), 0],
  [ascii('FALSE'), 0],
];

/**
 * Scans lines into its fields; one instance serves line after line. After `scan` returns true,
 * either `blank` is set, or `seriesStart..seriesEnd` and the first `fieldCount` field entries and
 * the timestamp describe the line.
 */
export class ByteLineScanner {
  #precision: Precision = 'ns';
  #subMsDigits = 6;
  /** The buffer last scanned, its last line's start and its first backslash from there on (or -1). */
  #buf: Uint8Array | undefined;
  #lastStart = 0;
  #nextBackslash = -1;

  /** The line is blank or a comment: nothing else is set. */
  blank = false;
  /** The measurement and tags as written: `buf[seriesStart, seriesEnd)`, not validated. */
  seriesStart = 0;
  seriesEnd = 0;
  fieldCount = 0;
  /** Field i's key is `buf[keyStarts[i], keyEnds[i])` (no escapes; valid UTF-8; no two alike). */
  readonly keyStarts = new Int32Array(MAX_SCANNED_FIELDS);
  readonly keyEnds = new Int32Array(MAX_SCANNED_FIELDS);
  /** Field i's value: floats as they are, integers as doubles, booleans 1/0; NaN for strings. */
  readonly values = new Float64Array(MAX_SCANNED_FIELDS);
  /** 1 when field i is a string field (which has no numeric value). */
  readonly isString = new Uint8Array(MAX_SCANNED_FIELDS);
  /** How many of the fields are strings. */
  stringCount = 0;
  hasTimestamp = false;
  /** In ms (floored from finer precisions), when `hasTimestamp`. */
  timestamp = 0;

  /** Unit of the timestamps in the lines to come. */
  get precision(): Precision {
    return this.#precision;
  }

  set precision(p: Precision) {
    this.#precision = p;
    this.#subMsDigits = subMillisecondDigits(p);
  }

  /**
   * Takes the line `line` has read (`line.read`; see line-scan.ts) as if `scan` had read it: one
   * numeric field, the series from `start`.
   */
  take(line: LineScan): void {
    this.blank = false;
    this.seriesStart = line.start;
    this.seriesEnd = line.seriesEnd;
    this.fieldCount = 1;
    this.keyStarts[0] = line.keyStart;
    this.keyEnds[0] = line.keyEnd;
    this.values[0] = line.value;
    this.isString[0] = 0;
    this.stringCount = 0;
    this.hasTimestamp = line.hasTimestamp;
    this.timestamp = line.timestamp;
  }

  /** Forgets the buffer scanned so far: call it before scanning a buffer whose bytes have changed. */
  restart(): void {
    this.#buf = undefined;
  }

  /**
   * Scans the line `buf[start, end)` (no `\n`, no trailing `\r`). False when the line is not one
   * the scanner handles: the full parser must read it (and will say what is wrong, if anything).
   * The scanner remembers where the buffer's next backslash is: between scans, the bytes of a buffer
   * must not change (unless `restart` is called).
   */
  scan(buf: Uint8Array, start: number, end: number): boolean {
    this.blank = false;
    this.fieldCount = 0;
    this.stringCount = 0;
    this.hasTimestamp = false;
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end || buf[i] === HASH) {
      this.blank = true;
      return true;
    }

    // A line without backslashes (most) needs no check for escapes in its names.
    if (
      buf !== this.#buf ||
      start < this.#lastStart ||
      (this.#nextBackslash < start && this.#nextBackslash >= 0)
    ) {
      this.#buf = buf;
      this.#nextBackslash = buf.indexOf(BACKSLASH, start);
    }
    this.#lastStart = start;
    const plain = this.#nextBackslash < 0 || this.#nextBackslash >= end;

    // Measurement and tags: up to the first space, as long as nothing is escaped. (indexOf is
    // memchr on a Buffer: several times faster than a loop over these ~100 bytes.)
    this.seriesStart = i;
    i = buf.indexOf(SPACE, i);
    if (i < 0 || i >= end) return false;
    if (!plain && this.#nextBackslash < i) return false;
    this.seriesEnd = i;
    while (i < end && buf[i] === SPACE) i++;

    // Fields: `key=value` separated by commas, until a space or the end.
    let n = 0;
    for (;;) {
      if (n === MAX_SCANNED_FIELDS) return false;
      const keyStart = i;
      let high = 0;
      for (;;) {
        if (i === end) return false;
        const c = buf[i];
        if (c === EQ) break;
        if (c === BACKSLASH || c === SPACE || c === COMMA) return false;
        high |= c;
        i++;
      }
      if (i === keyStart) return false;
      // Keys are compared as bytes: only for valid UTF-8 is that comparing what the full parser reads.
      if (high >= 0x80 && !isUtf8(buf.subarray(keyStart, i))) return false;
      if (this.#repeated(buf, keyStart, i, n)) return false;
      this.keyStarts[n] = keyStart;
      this.keyEnds[n] = i;
      i++;
      if (i < end && buf[i] === QUOTE) {
        i = skipString(buf, i + 1, end);
        if (i < 0) return false;
        this.values[n] = Number.NaN;
        this.isString[n] = 1;
        this.stringCount++;
      } else {
        i = this.#number(buf, i, end, n);
        if (i < 0) return false;
        this.isString[n] = 0;
      }
      n++;
      if (i === end) {
        this.fieldCount = n;
        return true;
      }
      const c = buf[i];
      if (c === SPACE) break;
      if (c !== COMMA) return false;
      i++;
    }
    this.fieldCount = n;

    while (i < end && buf[i] === SPACE) i++;
    if (i === end) return true;
    return this.#timestamp(buf, i, end);
  }

  /** Whether the key `buf[a, b)` is the key of one of the first `n` fields. */
  #repeated(buf: Uint8Array, a: number, b: number, n: number): boolean {
    const len = b - a;
    for (let k = 0; k < n; k++) {
      const s = this.keyStarts[k];
      if (this.keyEnds[k] - s !== len) continue;
      let j = 0;
      while (j < len && buf[s + j] === buf[a + j]) j++;
      if (j === len) return true;
    }
    return false;
  }

  /**
   * A non-string value starting at `a` into field `n`; the index after it (at a comma, a space or
   * the end), or -1 when it is not a value the scanner takes.
   */
  #number(buf: Uint8Array, a: number, end: number, n: number): number {
    if (a === end) return -1;
    let c = buf[a];
    // t T true True TRUE f F false False FALSE
    if (c === 116 || c === 84 || c === 102 || c === 70) return this.#boolean(buf, a, end, n);
    let i = a;
    const negative = c === MINUS;
    if (negative) i++;
    let mantissa = 0;
    let digits = 0;
    while (i < end) {
      c = buf[i];
      if (c < ZERO || c > NINE) break;
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      i++;
    }
    // Integer `-?digits i` or unsigned `digits u`; longer ones need the full parser's range checks.
    if (i < end && (c === LOWER_I || (c === LOWER_U && !negative))) {
      if (digits === 0 || digits > MAX_FAST_DIGITS) return -1;
      i++;
      if (i < end && buf[i] !== COMMA && buf[i] !== SPACE) return -1;
      this.values[n] = negative ? -mantissa : mantissa;
      return i;
    }
    // Float: -?(digits[.digits]|.digits)([eE][+-]?digits)?
    let fractionDigits = 0;
    if (i < end && buf[i] === DOT) {
      i++;
      while (i < end) {
        c = buf[i];
        if (c < ZERO || c > NINE) break;
        mantissa = mantissa * 10 + (c - ZERO);
        fractionDigits++;
        i++;
      }
      digits += fractionDigits;
    }
    if (digits === 0) return -1;
    let exponent = false;
    if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
      exponent = true;
      i++;
      if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
      const from = i;
      while (i < end && buf[i] >= ZERO && buf[i] <= NINE) i++;
      if (i === from) return -1;
    }
    if (i < end && buf[i] !== COMMA && buf[i] !== SPACE) return -1;
    let v: number;
    if (!exponent && digits <= MAX_FAST_DIGITS) {
      // Both exact, and one division is correctly rounded: the double nearest the decimal, as Number() gives.
      v = mantissa / POW10[fractionDigits];
      if (negative) v = -v;
    } else {
      v = Number(latin1(buf, a, i));
      if (!Number.isFinite(v)) return -1;
    }
    this.values[n] = v;
    return i;
  }

  /** A boolean starting at `a` (whose first letter is t, T, f or F) into field `n`; as #number. */
  #boolean(buf: Uint8Array, a: number, end: number, n: number): number {
    let b = a;
    while (b < end && buf[b] !== COMMA && buf[b] !== SPACE) b++;
    if (b - a === 1) {
      const c = buf[a];
      this.values[n] = c === 116 || c === 84 ? 1 : 0;
      return b;
    }
    for (const [word, value] of BOOLEAN_WORDS) {
      if (word.length !== b - a) continue;
      let j = 0;
      while (j < word.length && buf[a + j] === word[j]) j++;
      if (j === word.length) {
        this.values[n] = value;
        return b;
      }
    }
    return -1;
  }

  /** The timestamp `-?digits` at `a`, followed only by spaces and tabs up to `end`. */
  #timestamp(buf: Uint8Array, a: number, end: number): boolean {
    const negative = buf[a] === MINUS;
    const from = negative ? a + 1 : a;
    // The value of all the digits: the ms when nothing is below the ms (exact up to 16 digits: more
    // are out of range anyway).
    let q = 0;
    let b = from;
    while (b < end) {
      const c = buf[b];
      if (c < ZERO || c > NINE) break;
      q = q * 10 + (c - ZERO);
      b++;
    }
    if (b === from) return false;
    for (let k = b; k < end; k++) if (buf[k] !== SPACE && buf[k] !== TAB) return false;
    let i = from;
    while (i < b - 1 && buf[i] === ZERO) i++;
    const split = b - this.#subMsDigits;
    let belowMs = false;
    if (split < b) {
      q = 0;
      for (let k = i; k < split; k++) q = q * 10 + (buf[k] - ZERO);
      for (let k = Math.max(i, split); k < b; k++) if (buf[k] !== ZERO) belowMs = true;
    }
    const ms = timestampToMs(this.#precision, negative, q, split - i, belowMs);
    if (Number.isNaN(ms)) return false;
    this.timestamp = ms;
    this.hasTimestamp = true;
    return true;
  }
}

/** Index after the closing quote of a string value starting at `i` (after its opening quote), or -1. */
function skipString(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i];
    if (c === BACKSLASH && i + 1 < end) {
      i += 2;
      continue;
    }
    if (c === QUOTE) return i + 1;
    i++;
  }
  return -1;
}

/** The bytes `buf[a, b)` (ASCII here) as a string. */
function latin1(buf: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(buf[i]);
  return s;
}
