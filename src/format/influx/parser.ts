// InfluxDB line protocol parser:
//   measurement[,tag=value…] field=value[,field=value…] [timestamp]
// One line is one point. The scanner walks the text with charCodeAt and hands each point to a
// callback in one reused `Point` object, so the only allocations per field are its key (a slice of
// the input when it holds no escapes) and, for string fields, the value. A bad line is reported with
// its number and what is wrong, and scanning goes on with the next line (InfluxDB's partial writes).
//
// Escaping (InfluxDB's rules): in the measurement, tag keys, tag values and field keys a backslash
// escapes `,`, space, `=` and `\`; a backslash before any other character is a literal backslash.
// String field values are in double quotes, inside which `\"` is a quote and `\\` a backslash. Lines
// end at `\n` (a preceding `\r` is ignored); as the InfluxDB docs say, values cannot hold newlines.

import { LineProtocolError } from './errors.ts';
import { type Precision, subMillisecondDigits, timestampToMs } from './timestamp.ts';

export type { Precision } from './timestamp.ts';

/**
 * The precision a write request names, or undefined when it is not one the API takes. Empty or
 * missing means nanoseconds. v1 (`/write`) takes `n`, `ns`, `u`, `µ`, `us`, `ms`, `s`, `m`, `h`;
 * v2 (`/api/v2/write`) takes `ns`, `us`, `ms`, `s`.
 */
export function parsePrecision(raw: string | undefined, api: 'v1' | 'v2'): Precision | undefined {
  if (raw === undefined || raw === '') return 'ns';
  switch (raw) {
    case 'ns':
    case 'us':
    case 'ms':
    case 's':
      return raw;
    case 'n':
      return api === 'v1' ? 'ns' : undefined;
    case 'u':
    case 'µ':
      return api === 'v1' ? 'us' : undefined;
    case 'm':
    case 'h':
      return api === 'v1' ? raw : undefined;
    default:
      return undefined;
  }
}

export const FieldType = { Float: 0, Integer: 1, Unsigned: 2, Boolean: 3, String: 4 } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/**
 * One parsed line. The scanner reuses a single instance: read it inside the callback, or
 * {@link clonePoint} it. Only the first `tagCount` / `fieldCount` entries of the arrays are valid.
 */
export class Point {
  /** 1-based line number in the input. */
  line = 0;
  measurement = '';
  /** The line's measurement and tag set as written (escapes included): a cheap identity for the series. */
  seriesKey = '';
  tagCount = 0;
  readonly tagKeys: string[] = [];
  readonly tagValues: string[] = [];
  fieldCount = 0;
  readonly fieldKeys: string[] = [];
  readonly fieldTypes: FieldType[] = [];
  /**
   * Numeric value: floats as they are, integers and unsigned integers converted to the nearest
   * double (exact up to 2^53), booleans as 1/0; NaN for string fields.
   */
  readonly fieldValues: number[] = [];
  /** The (unescaped) value of string fields; '' for the others. */
  readonly fieldStrings: string[] = [];
  /** Timestamp in ms (floored from finer precisions), or undefined when the line has none. */
  timestamp: number | undefined = undefined;
}

/** A plain copy of a point, for callers that keep points around. */
export interface ParsedPoint {
  readonly line: number;
  readonly measurement: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly fields: readonly {
    readonly key: string;
    readonly type: FieldType;
    readonly value: number | string;
  }[];
  readonly timestamp: number | undefined;
}

export function clonePoint(p: Point): ParsedPoint {
  const tags: [string, string][] = [];
  for (let i = 0; i < p.tagCount; i++) tags.push([p.tagKeys[i], p.tagValues[i]]);
  const fields: { key: string; type: FieldType; value: number | string }[] = [];
  for (let i = 0; i < p.fieldCount; i++) {
    const type = p.fieldTypes[i];
    fields.push({
      key: p.fieldKeys[i],
      type,
      value: type === FieldType.String ? p.fieldStrings[i] : p.fieldValues[i],
    });
  }
  return { line: p.line, measurement: p.measurement, tags, fields, timestamp: p.timestamp };
}

export interface ScanOptions {
  /** Unit of the timestamps in the text (default ns). */
  readonly precision?: Precision;
  /** Lines longer than this many UTF-8 bytes are errors (default: no limit). */
  readonly maxLineBytes?: number;
  /** The number of the text's first line in errors and points (default 1): for a line cut out of a body. */
  readonly firstLine?: number;
}

const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const EQ = 61;
const BACKSLASH = 92;
const ZERO = 48;
const NINE = 57;

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';
const UINT64_MAX = '18446744073709551615';

/**
 * Scan `text`, calling `onPoint` for each valid line (with a reused {@link Point}) and `onError` for
 * each bad one; without `onError` the first bad line throws its {@link LineProtocolError}. Blank lines
 * and `#` comments are skipped. Never throws anything else.
 */
export function scanLineProtocol(
  text: string,
  options: ScanOptions,
  onPoint: (p: Point) => void,
  onError?: (err: LineProtocolError) => void,
): void {
  new LineProtocolScanner().scan(text, options, onPoint, onError);
}

/** scanLineProtocol for callers that scan many small texts: the working memory is kept between them. */
export class LineProtocolScanner {
  readonly #scanner = new Scanner();

  /** As {@link scanLineProtocol}; the Point handed to `onPoint` is the same object every time. */
  scan(
    text: string,
    options: ScanOptions,
    onPoint: (p: Point) => void,
    onError?: (err: LineProtocolError) => void,
  ): void {
    const scanner = this.#scanner;
    scanner.reset(text, options.precision ?? 'ns');
    const maxBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
    const len = text.length;
    let pos = 0;
    let lineNo = (options.firstLine ?? 1) - 1;
    while (pos < len) {
      lineNo++;
      let end = text.indexOf('\n', pos);
      const next = end < 0 ? len : end + 1;
      if (end < 0) end = len;
      let stop = end;
      if (stop > pos && text.charCodeAt(stop - 1) === CR) stop--;
      let reason: string | undefined;
      // Chars never outnumber UTF-8 bytes, and a char is at most 3 bytes (a surrogate pair is 4 for 2).
      if (stop - pos > maxBytes) reason = `line is longer than ${maxBytes} bytes`;
      else if ((stop - pos) * 3 > maxBytes && Buffer.byteLength(text.slice(pos, stop)) > maxBytes)
        reason = `line is longer than ${maxBytes} bytes`;
      else reason = scanner.line(pos, stop, lineNo);
      if (reason === undefined) {
        if (scanner.point.fieldCount > 0) onPoint(scanner.point);
      } else {
        const err = new LineProtocolError(lineNo, reason);
        if (onError === undefined) throw err;
        onError(err);
      }
      pos = next;
    }
    scanner.reset('', 'ns');
  }
}

/** Parse a whole text; throws the first bad line's {@link LineProtocolError}. */
export function parseLineProtocol(text: string, options: ScanOptions = {}): ParsedPoint[] {
  const out: ParsedPoint[] = [];
  scanLineProtocol(text, options, (p) => out.push(clonePoint(p)));
  return out;
}

class Scanner {
  readonly point = new Point();
  #text = '';
  #precision: Precision = 'ns';
  /** End of the token the last scan found (exclusive), and whether it held a backslash. */
  #tokenEnd = 0;
  #escaped = false;

  /** Scan `text` from now on. */
  reset(text: string, precision: Precision): void {
    this.#text = text;
    this.#precision = precision;
  }

  /** Parse [start, end) into `point`; an error sentence, or undefined (fieldCount 0 = nothing). */
  line(start: number, end: number, lineNo: number): string | undefined {
    const t = this.#text;
    const p = this.point;
    p.line = lineNo;
    p.tagCount = 0;
    p.fieldCount = 0;
    p.timestamp = undefined;
    let i = start;
    while (i < end && (t.charCodeAt(i) === SPACE || t.charCodeAt(i) === TAB)) i++;
    if (i === end || t.charCodeAt(i) === HASH) return undefined;

    const keyStart = i;
    // Measurement: up to an unescaped comma or space.
    this.#scanName(i, end, false);
    if (this.#tokenEnd === i) return 'missing measurement';
    p.measurement = this.#take(i, this.#tokenEnd);
    i = this.#tokenEnd;
    if (i === end) return `missing fields after measurement "${clip(p.measurement)}"`;

    // Tags: `,key=value` repeated until a space.
    while (t.charCodeAt(i) === COMMA) {
      i++;
      this.#scanName(i, end, true);
      const keyEnd = this.#tokenEnd;
      if (keyEnd === end || t.charCodeAt(keyEnd) !== EQ)
        return `tag "${clip(t.slice(i, keyEnd))}" has no "=value"`;
      if (keyEnd === i) return 'empty tag key';
      const key = this.#take(i, keyEnd);
      i = keyEnd + 1;
      this.#scanName(i, end, false);
      if (this.#tokenEnd === i) return `tag "${clip(key)}" has an empty value`;
      const n = p.tagCount++;
      p.tagKeys[n] = key;
      p.tagValues[n] = this.#take(i, this.#tokenEnd);
      i = this.#tokenEnd;
      if (i === end) return 'missing fields (no space after the tags)';
    }
    p.seriesKey = t.slice(keyStart, i);
    // Now at a space: names stop only at a comma, a space or the end.
    while (i < end && t.charCodeAt(i) === SPACE) i++;
    if (i === end) return 'missing fields';

    // Fields: `key=value` separated by commas, until a space or the end.
    for (;;) {
      this.#scanName(i, end, true);
      const keyEnd = this.#tokenEnd;
      if (keyEnd === end || t.charCodeAt(keyEnd) !== EQ)
        return `field "${clip(t.slice(i, keyEnd))}" has no "=value"`;
      if (keyEnd === i) return 'empty field key';
      const key = this.#take(i, keyEnd);
      i = keyEnd + 1;
      const n = p.fieldCount;
      p.fieldKeys[n] = key;
      if (i < end && t.charCodeAt(i) === QUOTE) {
        const close = this.#scanString(i + 1, end);
        if (close < 0) return `field "${clip(key)}": unterminated string (missing closing quote)`;
        p.fieldTypes[n] = FieldType.String;
        p.fieldValues[n] = Number.NaN;
        p.fieldStrings[n] = this.#escaped ? unescapeString(t, i + 1, close) : t.slice(i + 1, close);
        i = close + 1;
      } else {
        let j = i;
        while (j < end) {
          const c = t.charCodeAt(j);
          if (c === COMMA || c === SPACE) break;
          j++;
        }
        const reason = this.#number(i, j, n);
        if (reason !== undefined) return `field "${clip(key)}": ${reason}`;
        i = j;
      }
      p.fieldCount = n + 1;
      if (i === end) return undefined;
      const c = t.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === SPACE) break;
      return `field "${clip(key)}": unexpected text after the value`;
    }

    // Timestamp.
    while (i < end && t.charCodeAt(i) === SPACE) i++;
    if (i === end) return undefined;
    let j = i;
    while (j < end && t.charCodeAt(j) !== SPACE && t.charCodeAt(j) !== TAB) j++;
    for (let k = j; k < end; k++) {
      const c = t.charCodeAt(k);
      if (c !== SPACE && c !== TAB) return `unexpected text after the timestamp: "${clip(t.slice(k, end))}"`;
    }
    return this.#timestamp(i, j);
  }

  /**
   * Find the end of a name starting at `i`: the first unescaped comma or space, or also `=` for
   * keys (`stopAtEq`). In a measurement or tag value an unescaped `=` is a literal character.
   */
  #scanName(i: number, end: number, stopAtEq: boolean): void {
    const t = this.#text;
    let escaped = false;
    while (i < end) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < end) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === COMMA || c === SPACE || (c === EQ && stopAtEq)) break;
      i++;
    }
    this.#tokenEnd = i;
    this.#escaped = escaped;
  }

  /** The name in [a, b), unescaped. */
  #take(a: number, b: number): string {
    return this.#escaped ? unescapeName(this.#text, a, b) : this.#text.slice(a, b);
  }

  /** Index of the closing quote of a string starting at `i` (after the opening one), or -1. */
  #scanString(i: number, end: number): number {
    const t = this.#text;
    let escaped = false;
    while (i < end) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < end) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === QUOTE) {
        this.#escaped = escaped;
        return i;
      }
      i++;
    }
    return -1;
  }

  /** A non-string field value in [a, b) into field `n`; an error sentence or undefined. */
  #number(a: number, b: number, n: number): string | undefined {
    const t = this.#text;
    const p = this.point;
    if (a === b) return 'missing value';
    const last = t.charCodeAt(b - 1);
    const first = t.charCodeAt(a);
    if (last === 105 /* i */) {
      const neg = first === MINUS;
      if (!digitsOnly(t, neg ? a + 1 : a, b - 1))
        return `invalid integer "${clip(t.slice(a, b))}" (expected digits followed by i)`;
      if (exceeds(t, neg ? a + 1 : a, b - 1, neg ? INT64_MIN_ABS : INT64_MAX))
        return `integer "${clip(t.slice(a, b))}" is out of the int64 range`;
      p.fieldTypes[n] = FieldType.Integer;
      p.fieldValues[n] = Number(t.slice(a, b - 1));
      p.fieldStrings[n] = '';
      return undefined;
    }
    if (last === 117 /* u */) {
      if (!digitsOnly(t, a, b - 1))
        return `invalid unsigned integer "${clip(t.slice(a, b))}" (expected digits followed by u)`;
      if (exceeds(t, a, b - 1, UINT64_MAX))
        return `unsigned integer "${clip(t.slice(a, b))}" is out of the uint64 range`;
      p.fieldTypes[n] = FieldType.Unsigned;
      p.fieldValues[n] = Number(t.slice(a, b - 1));
      p.fieldStrings[n] = '';
      return undefined;
    }
    // t T true True TRUE f F false False FALSE
    if (first === 116 || first === 84 || first === 102 || first === 70) {
      const b01 = parseBool(t, a, b);
      if (b01 < 0) return `invalid boolean "${clip(t.slice(a, b))}"`;
      p.fieldTypes[n] = FieldType.Boolean;
      p.fieldValues[n] = b01;
      p.fieldStrings[n] = '';
      return undefined;
    }
    if (!isFloat(t, a, b)) return `invalid number "${clip(t.slice(a, b))}"`;
    const v = Number(t.slice(a, b));
    if (!Number.isFinite(v)) return `float "${clip(t.slice(a, b))}" is out of range`;
    p.fieldTypes[n] = FieldType.Float;
    p.fieldValues[n] = v;
    p.fieldStrings[n] = '';
    return undefined;
  }

  /** The timestamp in [a, b) (an integer in `precision` units) into point.timestamp, in ms. */
  #timestamp(a: number, b: number): string | undefined {
    const t = this.#text;
    const neg = t.charCodeAt(a) === MINUS;
    let i = neg ? a + 1 : a;
    if (!digitsOnly(t, i, b)) return `invalid timestamp "${clip(t.slice(a, b))}" (expected an integer)`;
    while (i < b - 1 && t.charCodeAt(i) === ZERO) i++;
    const split = b - subMillisecondDigits(this.#precision);
    let q = 0;
    for (let k = i; k < split; k++) q = q * 10 + (t.charCodeAt(k) - ZERO);
    let belowMs = false;
    for (let k = Math.max(i, split); k < b; k++) if (t.charCodeAt(k) !== ZERO) belowMs = true;
    const ms = timestampToMs(this.#precision, neg, q, split - i, belowMs);
    if (Number.isNaN(ms)) return `timestamp "${clip(t.slice(a, b))}" is out of range`;
    this.point.timestamp = ms;
    return undefined;
  }
}

function digitsOnly(t: string, a: number, b: number): boolean {
  if (a >= b) return false;
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** Whether the decimal digits in [a, b) exceed `limit` (digits, no leading zeros). */
function exceeds(t: string, a: number, b: number, limit: string): boolean {
  while (a < b - 1 && t.charCodeAt(a) === ZERO) a++;
  const n = b - a;
  if (n !== limit.length) return n > limit.length;
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(a + i) - limit.charCodeAt(i);
    if (d !== 0) return d > 0;
  }
  return false;
}

/** `-?(digits[.digits]|.digits)([eE][+-]?digits)?` — the floats InfluxDB accepts (no NaN/Inf). */
function isFloat(t: string, a: number, b: number): boolean {
  let i = a;
  if (t.charCodeAt(i) === MINUS) i++;
  let mantissa = 0;
  while (i < b && isDigit(t.charCodeAt(i))) {
    i++;
    mantissa++;
  }
  if (i < b && t.charCodeAt(i) === DOT) {
    i++;
    while (i < b && isDigit(t.charCodeAt(i))) {
      i++;
      mantissa++;
    }
  }
  if (mantissa === 0) return false;
  if (i < b && (t.charCodeAt(i) === 101 || t.charCodeAt(i) === 69)) {
    i++;
    if (i < b && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === MINUS)) i++;
    let exp = 0;
    while (i < b && isDigit(t.charCodeAt(i))) {
      i++;
      exp++;
    }
    if (exp === 0) return false;
  }
  return i === b;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

const TRUE_WORDS = new Set(['t', 'T', 'true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['f', 'F', 'false', 'False', 'FALSE']);

/** 1, 0, or -1 when [a, b) is not a boolean. */
function parseBool(t: string, a: number, b: number): number {
  if (b - a > 5) return -1;
  const w = t.slice(a, b);
  if (TRUE_WORDS.has(w)) return 1;
  if (FALSE_WORDS.has(w)) return 0;
  return -1;
}

/** Names: `\,` `\ ` `\=` `\\` stand for the character; other backslashes are literal. */
function unescapeName(t: string, a: number, b: number): string {
  let out = '';
  let from = a;
  for (let i = a; i < b; i++) {
    if (t.charCodeAt(i) !== BACKSLASH || i + 1 >= b) continue;
    const c = t.charCodeAt(i + 1);
    if (c === COMMA || c === SPACE || c === EQ || c === BACKSLASH) {
      out += t.slice(from, i);
      from = i + 1;
    }
    i++;
  }
  return out + t.slice(from, b);
}

/** String field values: `\"` and `\\` stand for the character; other backslashes are literal. */
function unescapeString(t: string, a: number, b: number): string {
  let out = '';
  let from = a;
  for (let i = a; i < b; i++) {
    if (t.charCodeAt(i) !== BACKSLASH || i + 1 >= b) continue;
    const c = t.charCodeAt(i + 1);
    if (c === QUOTE || c === BACKSLASH) {
      out += t.slice(from, i);
      from = i + 1;
    }
    i++;
  }
  return out + t.slice(from, b);
}

/** Cut a snippet for an error message. */
function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 61)}...` : s;
}
