// The expanding value notation of promqltest scripts (and promtool's unit tests): one item per
// whitespace-separated word, each standing for one or more consecutive points:
//
//   5          one value            1+2x3   1, 3, 5, 7 (start, then x3 more steps of +2)
//   -1-2x3     -1, -3, -5, -7       7x2     7, 7, 7 (x2 repeats twice more)
//   _          no point             _x3     three points without a value
//   stale      a staleness marker   Inf, -Inf, NaN (any case), 1e3, .5, 010 (octal, as Go reads it)
//   {{…}}      a native histogram (kept as a kind only: telemux skips native histogram cases),
//              also {{…}}x3 and {{…}}+{{…}}x3
//
// Prometheus lexes these with its PromQL lexer in "series description" mode: no hex numbers (the `x`
// would be ambiguous), a sign only at the start of a value or of the increment, and the increment is
// added step by step (so the float rounding matches Prometheus' expansion exactly).

import { parseNumber } from '../parser/numbers.ts';

/** What a position of a sequence holds. */
export const OMITTED = 0;
export const FLOAT = 1;
export const STALE = 2;
export const HISTOGRAM = 3;
export type PointKind = typeof OMITTED | typeof FLOAT | typeof STALE | typeof HISTOGRAM;

/** Points of one series line, position by position; `values[i]` is meaningful when kinds[i] is FLOAT. */
export interface SampleSequence {
  readonly kinds: Uint8Array;
  readonly values: Float64Array;
}

export class NotationError extends Error {}

/** Expands the value part of a series line (everything after the series' labels). */
export function parseSequence(text: string): SampleSequence {
  const out = new SequenceBuilder();
  for (const item of splitItems(text)) expandItem(item, out);
  return out.finish();
}

/** Whether any position holds a native histogram. */
export function hasHistogram(seq: SampleSequence): boolean {
  return seq.kinds.includes(HISTOGRAM);
}

/** Items are separated by spaces and tabs; a histogram's braces may contain spaces. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isSpace(text[i])) {
      if (text.startsWith('{{', i)) {
        const close = text.indexOf('}}', i + 2);
        if (close < 0)
          throw new NotationError(`unterminated native histogram in ${JSON.stringify(text.slice(i))}`);
        i = close + 2;
      } else i++;
    }
    items.push(text.slice(start, i));
  }
  return items;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t';
}

function expandItem(item: string, out: SequenceBuilder): void {
  if (item === '_') {
    out.push(OMITTED, 0);
    return;
  }
  if (item.startsWith('_x')) {
    const n = parseCount(item.slice(2), item);
    for (let i = 0; i < n; i++) out.push(OMITTED, 0);
    return;
  }
  if (item.startsWith('{{')) {
    expandHistogramItem(item, out);
    return;
  }
  const reader = new ItemReader(item);
  const first = reader.value();
  if (reader.done) {
    out.push(first.kind, first.value);
    return;
  }
  let delta = 0;
  if (reader.peek === '+' || reader.peek === '-') delta = reader.signedNumber();
  if (reader.peek !== 'x')
    throw new NotationError(`unexpected ${JSON.stringify(reader.rest)} in ${JSON.stringify(item)}`);
  const n = parseCount(reader.rest.slice(1), item);
  // n+1 points: the first, then n increments. Arithmetic on a staleness marker gives an ordinary
  // NaN (Prometheus adds the increment to the marker too).
  let v = first.value;
  for (let i = 0; i <= n; i++) {
    if (first.kind === STALE) out.push(i === 0 ? STALE : FLOAT, Number.NaN);
    else out.push(FLOAT, v);
    v += delta;
  }
}

/** `{{…}}`, `{{…}}xN` (N+1 histograms) or `{{…}}±{{…}}xN` (N+1 histograms). */
function expandHistogramItem(item: string, out: SequenceBuilder): void {
  let i = item.indexOf('}}') + 2;
  if (i === item.length) {
    out.push(HISTOGRAM, 0);
    return;
  }
  if (item[i] === '+' || item[i] === '-') {
    if (!item.startsWith('{{', i + 1))
      throw new NotationError(`expected a histogram after the sign in ${JSON.stringify(item)}`);
    i = item.indexOf('}}', i + 3) + 2;
  }
  if (item[i] !== 'x')
    throw new NotationError(`unexpected ${JSON.stringify(item.slice(i))} in ${JSON.stringify(item)}`);
  const n = parseCount(item.slice(i + 1), item);
  for (let k = 0; k <= n; k++) out.push(HISTOGRAM, 0);
}

function parseCount(text: string, item: string): number {
  if (!/^[0-9]+$/.test(text))
    throw new NotationError(`invalid repetition in ${JSON.stringify(item)}: want x<count>`);
  const n = Number(text);
  if (n > 1e7) throw new NotationError(`repetition count too large in ${JSON.stringify(item)}`);
  return n;
}

/** Reads the tokens of one value item left to right. */
class ItemReader {
  #i = 0;
  readonly #s: string;

  constructor(s: string) {
    this.#s = s;
  }

  get done(): boolean {
    return this.#i >= this.#s.length;
  }

  get peek(): string {
    return this.#s[this.#i] ?? '';
  }

  get rest(): string {
    return this.#s.slice(this.#i);
  }

  /** A first value: an optional sign and a number, or `stale`. */
  value(): { kind: PointKind; value: number } {
    if (this.#s.startsWith('stale', this.#i)) {
      const end = this.#i + 5;
      if (end === this.#s.length || !/[a-zA-Z0-9_:]/.test(this.#s[end])) {
        this.#i = end;
        return { kind: STALE, value: 0 };
      }
    }
    return { kind: FLOAT, value: this.signedNumber() };
  }

  signedNumber(): number {
    let sign = 1;
    if (this.peek === '+' || this.peek === '-') {
      if (this.peek === '-') sign = -1;
      this.#i++;
    }
    return sign * this.#number();
  }

  /** A number token as Prometheus' lexer cuts it in a series description (no hex; `x` ends it). */
  #number(): number {
    const s = this.#s;
    const start = this.#i;
    const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s.slice(start));
    if (word !== null) {
      // Inf and NaN are keywords; any other word (including `Infx3`) is not a value.
      const lower = word[0].toLowerCase();
      if (lower !== 'inf' && lower !== 'nan')
        throw new NotationError(
          `unexpected ${JSON.stringify(word[0])} in ${JSON.stringify(s)}: want a number`,
        );
      this.#i += word[0].length;
      return lower === 'inf' ? Number.POSITIVE_INFINITY : Number.NaN;
    }
    const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(s.slice(start));
    if (m === null)
      throw new NotationError(
        `unexpected ${JSON.stringify(s.slice(start))} in ${JSON.stringify(s)}: want a number`,
      );
    this.#i += m[0].length;
    if (!this.done && this.peek !== 'x' && this.peek !== '+' && this.peek !== '-')
      throw new NotationError(
        `unexpected ${JSON.stringify(this.rest)} after a number in ${JSON.stringify(s)}`,
      );
    const parsed = parseNumber(m[0]);
    if ('error' in parsed) throw new NotationError(parsed.error);
    return parsed.value;
  }
}

/** Grows typed arrays as points are added (a series can have thousands). */
class SequenceBuilder {
  #kinds = new Uint8Array(16);
  #values = new Float64Array(16);
  #n = 0;

  push(kind: PointKind, value: number): void {
    if (this.#n === this.#kinds.length) {
      const kinds = new Uint8Array(this.#n * 2);
      kinds.set(this.#kinds);
      const values = new Float64Array(this.#n * 2);
      values.set(this.#values);
      this.#kinds = kinds;
      this.#values = values;
    }
    this.#kinds[this.#n] = kind;
    this.#values[this.#n] = value;
    this.#n++;
  }

  finish(): SampleSequence {
    return { kinds: this.#kinds.slice(0, this.#n), values: this.#values.slice(0, this.#n) };
  }
}

/**
 * A line holding only a number is the expected value of a scalar result. It is read as Go's
 * strconv.ParseInt(s, 0, 64), then strconv.ParseFloat(s, 64) — so a sign, `0x1f`, `0o17`, `1_000`,
 * `Inf`, `+Inf`, `-Infinity`, `NaN` and hex floats such as `0x1p-2` all count. Undefined otherwise.
 */
export function parseScalarLine(text: string): number | undefined {
  let sign = 1;
  let body = text;
  if (body.startsWith('+') || body.startsWith('-')) {
    sign = body[0] === '-' ? -1 : 1;
    body = body.slice(1);
    // Go accepts a sign before Inf but not before NaN.
    if (/^nan$/i.test(body)) return undefined;
  }
  if (body === '' || /^[+-]/.test(body)) return undefined;
  const hexFloat = parseHexFloat(body);
  if (hexFloat !== undefined) return sign * hexFloat;
  const parsed = parseNumber(body);
  if ('error' in parsed) return undefined;
  return sign * parsed.value;
}

function parseHexFloat(s: string): number | undefined {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([-+]?[0-9]+)$/.exec(s);
  if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  const frac = m[2] ?? '';
  const mantissa = Number.parseInt(`${m[1]}${frac}` || '0', 16);
  return mantissa * 2 ** (Number(m[3]) - 4 * frac.length);
}
