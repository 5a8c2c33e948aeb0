// Tokenizing one line of an exposition: sample lines (name, labels, value, timestamp, exemplar)
// and `#` lines. Works on char codes within [pos, end) of the whole text, so a line is never copied.
//
// Two dialects:
// - OpenMetrics (`om`): the ABNF exactly; one space between tokens, none inside braces, no trailing
//   comma, unknown escapes (`\x`) kept as written;
// - Prometheus text: blanks and tabs anywhere between tokens, a trailing comma in braces, only the
//   escapes `\\`, `\"` and `\n` (expfmt rejects others).
// Both accept quoted UTF-8 names: `"my.metric"{…}`, `{"my.metric","a.b"="c"}`, `# TYPE "my.metric" …`.

import { ExpositionParseError } from './errors.ts';

export interface RawLabel {
  readonly name: string;
  readonly value: string;
}

export interface RawExemplar {
  readonly labels: RawLabel[];
  readonly valueRaw: string;
  readonly tsRaw: string | undefined;
}

export interface SampleLine {
  readonly name: string;
  readonly labels: RawLabel[];
  readonly valueRaw: string;
  readonly tsRaw: string | undefined;
  readonly exemplar: RawExemplar | undefined;
}

export type MetadataKind = 'HELP' | 'TYPE' | 'UNIT';

export interface MetadataLine {
  readonly kind: MetadataKind;
  readonly name: string;
  /** Everything after the name and one separator; undefined when the line ends after the name. */
  readonly rest: string | undefined;
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;

// Character classes of the legacy names: 1 = may start a label name (letters, `_`), 2 = digit,
// 4 = `:` (metric names only).
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z_]/.test(ch)) CLASS[c] = 1;
  else if (/[0-9]/.test(ch)) CLASS[c] = 2;
  else if (ch === ':') CLASS[c] = 4;
}

function isMetricStart(c: number): boolean {
  return c < 128 && (CLASS[c] & 5) !== 0;
}
function isMetricChar(c: number): boolean {
  return c < 128 && CLASS[c] !== 0;
}
function isLabelStart(c: number): boolean {
  return c < 128 && CLASS[c] === 1;
}
function isLabelChar(c: number): boolean {
  return c < 128 && (CLASS[c] & 3) !== 0;
}

export class LineScanner {
  readonly text: string;
  readonly om: boolean;
  line = 0;
  pos = 0;
  end = 0;

  constructor(text: string, om: boolean) {
    this.text = text;
    this.om = om;
  }

  /** Point the scanner at one line. */
  reset(line: number, start: number, end: number): void {
    this.line = line;
    this.pos = start;
    this.end = end;
  }

  fail(reason: string): never {
    throw new ExpositionParseError(this.line, reason);
  }

  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A readable name for what is at `pos`, for error messages. */
  describe(): string {
    if (this.pos >= this.end) return 'end of line';
    const c = this.text.codePointAt(this.pos)!;
    if (c === SPACE) return '" " (a space)';
    if (c === TAB) return '"\\t" (a tab)';
    if (c === 13) return '"\\r" (lines must end with \\n only)';
    return c < 32 || c === 127
      ? `control character U+${c.toString(16).padStart(4, '0')}`
      : JSON.stringify(String.fromCodePoint(c));
  }

  skipBlanks(): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c !== SPACE && c !== TAB) return;
      this.pos++;
    }
  }

  /** Up to the next separator (a space; in text also a tab) or the end of the line. */
  readToken(): string {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (this.om) {
      while (p < this.end && t.charCodeAt(p) !== SPACE) p++;
    } else {
      while (p < this.end) {
        const c = t.charCodeAt(p);
        if (c === SPACE || c === TAB) break;
        p++;
      }
    }
    this.pos = p;
    return t.slice(start, p);
  }

  readMetricName(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    while (p < this.end && isMetricChar(t.charCodeAt(p))) p++;
    this.pos = p;
    return t.slice(start, p);
  }

  readLabelName(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    while (p < this.end && isLabelChar(t.charCodeAt(p))) p++;
    this.pos = p;
    return t.slice(start, p);
  }

  /** A double-quoted string starting at `pos`, unescaped. `what` names it in errors. */
  readQuoted(what: string): string {
    const t = this.text;
    const end = this.end;
    let p = this.pos + 1;
    const start = p;
    // Fast path: no escapes.
    while (p < end) {
      const c = t.charCodeAt(p);
      if (c === QUOTE) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === BACKSLASH) break;
      p++;
    }
    let out = t.slice(start, p);
    while (p < end) {
      const c = t.charCodeAt(p);
      if (c === QUOTE) {
        this.pos = p + 1;
        return out;
      }
      if (c !== BACKSLASH) {
        out += t[p++];
        continue;
      }
      if (p + 1 >= end) break;
      const e = t.charCodeAt(p + 1);
      if (e === BACKSLASH) out += '\\';
      else if (e === QUOTE) out += '"';
      else if (e === 110) out += '\n';
      else if (this.om) out += t.slice(p, p + 2);
      else {
        this.pos = p;
        this.fail(
          `invalid escape sequence "\\${String.fromCodePoint(t.codePointAt(p + 1)!)}" in ${what} (only \\\\, \\" and \\n are allowed)`,
        );
      }
      p += 2;
    }
    this.pos = end;
    return this.fail(`unterminated ${what}: missing closing '"'`);
  }

  /** A metric name at `pos`: quoted, or legacy; '' when there is none. */
  readAnyMetricName(): string {
    const c = this.peek();
    if (c === QUOTE) {
      const name = this.readQuoted('metric name');
      if (name === '') this.fail('metric name must not be empty');
      return name;
    }
    return isMetricStart(c) ? this.readMetricName() : '';
  }

  /** A sample line at `pos`. */
  scanSample(): SampleLine {
    let name = this.readAnyMetricName();
    if (name === '' && this.peek() !== OPEN) this.fail(`expected a metric name, found ${this.describe()}`);
    const labels: RawLabel[] = [];
    let braces = false;
    const afterName = this.pos;
    if (!this.om) this.skipBlanks();
    if (this.peek() === OPEN) {
      name = this.readLabels(labels, name);
      braces = true;
    } else if (!this.om && this.pos === afterName && !this.atEnd()) {
      this.fail(`unexpected ${this.describe()} after metric name "${name}"`);
    }
    if (name === '')
      this.fail('missing metric name (write it before "{", or quoted as the first item inside)');
    const valueRaw = this.om ? this.omValue(name, braces) : this.textValue(name);
    if (this.om) return this.omRest(name, labels, valueRaw);
    return this.textRest(name, labels, valueRaw);
  }

  private omValue(name: string, braces: boolean): string {
    if (this.peek() !== SPACE) {
      if (this.atEnd())
        this.fail(`expected a space and a value after ${braces ? 'the labels of ' : ''}"${name}"`);
      this.fail(
        `unexpected ${this.describe()} after ${braces ? 'the labels of ' : 'metric name '}"${name}" (expected one space and the value)`,
      );
    }
    this.pos++;
    const v = this.readToken();
    if (v === '') this.fail(`expected a value for "${name}", found ${this.describe()}`);
    return v;
  }

  private textValue(name: string): string {
    if (!this.om) this.skipBlanks();
    const v = this.readToken();
    if (v === '') this.fail(`expected a value for "${name}", found ${this.describe()}`);
    return v;
  }

  private omRest(name: string, labels: RawLabel[], valueRaw: string): SampleLine {
    let tsRaw: string | undefined;
    let exemplar: RawExemplar | undefined;
    if (!this.atEnd()) {
      this.pos++; // the space after the value
      if (this.peek() !== HASH) {
        tsRaw = this.readToken();
        if (tsRaw === '')
          this.fail(
            `expected a timestamp or an exemplar after the value of "${name}", found ${this.describe()}`,
          );
        if (!this.atEnd()) {
          this.pos++;
          if (this.peek() !== HASH)
            this.fail(
              `unexpected ${this.describe()} after the timestamp of "${name}" (expected end of line or " # {…}" exemplar)`,
            );
        }
      }
      if (!this.atEnd()) exemplar = this.scanExemplar(name);
    }
    return { name, labels, valueRaw, tsRaw, exemplar };
  }

  /** ` # {labels} value [timestamp]`, with `pos` at the `#`. */
  private scanExemplar(name: string): RawExemplar {
    this.pos++;
    if (this.peek() !== SPACE || this.text.charCodeAt(this.pos + 1) !== OPEN || this.pos + 1 >= this.end) {
      this.fail(`expected " # {" to start an exemplar after the value of "${name}"`);
    }
    this.pos++;
    const labels: RawLabel[] = [];
    this.readLabels(labels, '', true);
    if (this.peek() !== SPACE)
      this.fail(`expected a space and a value after the exemplar labels, found ${this.describe()}`);
    this.pos++;
    const valueRaw = this.readToken();
    if (valueRaw === '') this.fail(`expected an exemplar value, found ${this.describe()}`);
    let tsRaw: string | undefined;
    if (!this.atEnd()) {
      this.pos++;
      tsRaw = this.readToken();
      if (tsRaw === '') this.fail(`expected an exemplar timestamp, found ${this.describe()}`);
      if (!this.atEnd()) this.fail(`unexpected ${this.describe()} after the exemplar timestamp`);
    }
    return { labels, valueRaw, tsRaw };
  }

  private textRest(name: string, labels: RawLabel[], valueRaw: string): SampleLine {
    this.skipBlanks();
    let tsRaw: string | undefined;
    if (!this.atEnd()) {
      if (this.peek() === HASH)
        this.fail(`exemplars ("# {…}" after the value of "${name}") exist only in OpenMetrics`);
      tsRaw = this.readToken();
      this.skipBlanks();
      if (!this.atEnd()) this.fail(`unexpected ${this.describe()} after the timestamp of "${name}"`);
    }
    return { name, labels, valueRaw, tsRaw, exemplar: undefined };
  }

  /**
   * `{…}` at `pos` into `labels`. A quoted string standing alone as the first item is the metric
   * name (`{"my.metric",a="b"}`); returns the metric name (the one given, or that one).
   */
  readLabels(labels: RawLabel[], name: string, exemplar = false): string {
    const om = this.om;
    this.pos++;
    if (!om) this.skipBlanks();
    if (this.peek() === CLOSE) {
      this.pos++;
      return name;
    }
    let first = true;
    for (;;) {
      if (!om) this.skipBlanks();
      const c = this.peek();
      let lname: string;
      if (c === QUOTE) {
        lname = this.readQuoted('label name');
        if (!om) this.skipBlanks();
        const next = this.peek();
        if (first && !exemplar && name === '' && (next === COMMA || next === CLOSE)) {
          if (lname === '') this.fail('metric name must not be empty');
          name = lname;
          if (this.separator(lname, true)) return name;
          first = false;
          continue;
        }
      } else if (isLabelStart(c)) {
        lname = this.readLabelName();
      } else {
        this.fail(`expected a label name, found ${this.describe()}`);
      }
      if (lname === '') this.fail('label name must not be empty');
      if (!om) this.skipBlanks();
      if (this.peek() !== EQUALS)
        this.fail(`expected "=" after label name "${lname}", found ${this.describe()}`);
      this.pos++;
      if (!om) this.skipBlanks();
      if (this.peek() !== QUOTE) {
        this.fail(`expected '"' to start the value of label "${lname}", found ${this.describe()}`);
      }
      const value = this.readQuoted(`value of label "${lname}"`);
      labels.push({ name: lname, value });
      first = false;
      if (this.separator(lname, false)) return name;
    }
  }

  /** After a label: true at `}` (consumed), false at `,` (consumed); anything else is an error. */
  private separator(after: string, isName: boolean): boolean {
    if (!this.om) this.skipBlanks();
    const c = this.peek();
    if (c === CLOSE) {
      this.pos++;
      return true;
    }
    if (c === COMMA) {
      this.pos++;
      if (!this.om) {
        // Text allows a trailing comma: `{a="1",}`.
        this.skipBlanks();
        if (this.peek() === CLOSE) {
          this.pos++;
          return true;
        }
      }
      return false;
    }
    const what = isName ? `metric name "${after}"` : `label "${after}"`;
    return this.fail(`expected "," or "}" after ${what}, found ${this.describe()}`);
  }

  /**
   * An OpenMetrics `#` line at `pos`: metadata, or null for `# EOF`. Exact syntax: `# KIND name rest`.
   */
  scanOpenMetricsMeta(): MetadataLine | null {
    const t = this.text;
    const len = this.end - this.pos;
    if (len === 5 && t.startsWith('# EOF', this.pos)) return null;
    if (t.charCodeAt(this.pos + 1) !== SPACE || len < 3) {
      this.fail(
        'lines starting with "#" must be "# HELP", "# TYPE", "# UNIT" or "# EOF" (comments are not allowed in OpenMetrics)',
      );
    }
    const kind = t.slice(this.pos + 2, this.pos + 6);
    if (kind !== 'HELP' && kind !== 'TYPE' && kind !== 'UNIT') {
      if (t.startsWith('EOF', this.pos + 2)) this.fail('"# EOF" must be alone on its line');
      const word = t.slice(this.pos + 2, this.end).split(' ')[0];
      this.fail(`unknown line "# ${word}": only # HELP, # TYPE, # UNIT and # EOF may start with "#"`);
    }
    this.pos += 6;
    if (this.peek() !== SPACE) this.fail(`expected a space and a metric name after "# ${kind}"`);
    this.pos++;
    const name = this.readAnyMetricName();
    if (name === '') this.fail(`expected a metric name after "# ${kind}", found ${this.describe()}`);
    if (this.peek() !== SPACE) {
      const what = kind === 'HELP' ? 'help text' : kind === 'TYPE' ? 'type' : 'unit';
      if (this.atEnd()) this.fail(`expected a space and the ${what} after "# ${kind} ${name}"`);
      this.fail(
        `unexpected ${this.describe()} after the metric name in "# ${kind}" (expected one space and the ${what})`,
      );
    }
    this.pos++;
    return { kind, name, rest: t.slice(this.pos, this.end) };
  }

  /**
   * A Prometheus text `#` line at `pos` (after leading blanks): HELP/TYPE metadata, or null for a
   * comment. As in expfmt, `# HELP` or `# HELP name` with nothing after it is not an error.
   */
  scanTextComment(): MetadataLine | null {
    this.pos++;
    this.skipBlanks();
    const kind = this.readToken();
    if ((kind !== 'HELP' && kind !== 'TYPE') || this.atEnd()) return null;
    this.skipBlanks();
    if (this.atEnd()) return null;
    const name = this.readAnyMetricName();
    if (name === '') this.fail(`invalid metric name in "# ${kind}" line: found ${this.describe()}`);
    if (this.atEnd()) return { kind, name, rest: undefined };
    const c = this.peek();
    if (c !== SPACE && c !== TAB)
      this.fail(`invalid metric name in "# ${kind}" line: unexpected ${this.describe()}`);
    this.skipBlanks();
    return { kind, name, rest: this.text.slice(this.pos, this.end) };
  }

  /** Unescape HELP text (`rest` of a HELP line). */
  unescapeHelp(s: string): string {
    if (!s.includes('\\')) return s;
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[i + 1];
      if (e === '\\') out += '\\';
      else if (e === 'n') out += '\n';
      else if (e === '"') out += '"';
      else if (this.om) {
        // OpenMetrics: an undefined escape (or a lone trailing backslash) stands for itself.
        out += e === undefined ? '\\' : `\\${e}`;
      } else {
        this.fail(
          e === undefined
            ? 'HELP text ends with a lone backslash'
            : `invalid escape sequence "\\${e}" in HELP text (only \\\\, \\" and \\n are allowed)`,
        );
      }
      i++;
    }
    return out;
  }
}
