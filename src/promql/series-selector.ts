// Parses a series selector — `up`, `up{job="api",code=~"5.."}`, `{__name__=~"node_.*"}`,
// `{"utf8.name"="x"}` — into label matchers, for the `match[]` parameters of the series, export and
// admin endpoints. Full PromQL is parsed elsewhere; this is the small part every API needs.

import { METRIC_NAME_LABEL } from '../model/labels.ts';
import { Matcher, type MatchType } from '../tsdb/index/matcher.ts';

export class SelectorParseError extends Error {}

const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_IDENT = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OPS: readonly MatchType[] = ['=~', '!~', '!=', '='];

export function parseSeriesSelector(input: string): Matcher[] {
  const p = new Parser(input);
  const matchers = p.selector();
  p.skipSpace();
  if (!p.done) p.fail('unexpected characters after the selector');
  if (!matchers.some((m) => !m.matchesEmpty))
    throw new SelectorParseError(
      `${JSON.stringify(input)}: a selector needs at least one matcher that does not match the empty string`,
    );
  return matchers;
}

class Parser {
  #i = 0;
  readonly #s: string;

  constructor(s: string) {
    this.#s = s;
  }

  get done(): boolean {
    return this.#i >= this.#s.length;
  }

  fail(message: string): never {
    throw new SelectorParseError(`${JSON.stringify(this.#s)}: ${message} at position ${this.#i + 1}`);
  }

  skipSpace(): void {
    while (this.#i < this.#s.length && /\s/.test(this.#s[this.#i])) this.#i++;
  }

  selector(): Matcher[] {
    this.skipSpace();
    const matchers: Matcher[] = [];
    const name = this.#match(IDENT);
    if (name !== undefined) matchers.push(new Matcher('=', METRIC_NAME_LABEL, name));
    this.skipSpace();
    if (this.#s[this.#i] === '{') {
      this.#i++;
      this.#labelMatchers(matchers);
    } else if (name === undefined) {
      this.fail('expected a metric name or "{"');
    }
    return matchers;
  }

  #labelMatchers(out: Matcher[]): void {
    for (;;) {
      this.skipSpace();
      if (this.#s[this.#i] === '}') {
        this.#i++;
        return;
      }
      const name =
        this.#s[this.#i] === '"' || this.#s[this.#i] === "'" ? this.#string() : this.#match(LABEL_IDENT);
      if (name === undefined) this.fail('expected a label name');
      this.skipSpace();
      // A quoted name alone is the metric name (Prometheus 3 UTF-8 syntax: {"my.metric"}).
      if (this.#s[this.#i] === ',' || this.#s[this.#i] === '}') {
        out.push(new Matcher('=', METRIC_NAME_LABEL, name));
      } else {
        const op = OPS.find((o) => this.#s.startsWith(o, this.#i));
        if (op === undefined) this.fail('expected one of =, !=, =~, !~');
        this.#i += op.length;
        this.skipSpace();
        const value = this.#string();
        try {
          out.push(new Matcher(op, name, value));
        } catch (err) {
          this.fail((err as Error).message);
        }
      }
      this.skipSpace();
      if (this.#s[this.#i] === ',') this.#i++;
      else if (this.#s[this.#i] !== '}') this.fail('expected "," or "}"');
    }
  }

  #match(re: RegExp): string | undefined {
    re.lastIndex = this.#i;
    const m = re.exec(this.#s);
    if (m === null) return undefined;
    this.#i += m[0].length;
    return m[0];
  }

  /** A PromQL string: "…" or '…' with Go escapes, or `…` raw. */
  #string(): string {
    const q = this.#s[this.#i];
    if (q !== '"' && q !== "'" && q !== '`') this.fail('expected a quoted string');
    this.#i++;
    let out = '';
    while (this.#i < this.#s.length) {
      const c = this.#s[this.#i++];
      if (c === q) return out;
      if (c !== '\\' || q === '`') {
        out += c;
        continue;
      }
      const e = this.#s[this.#i++];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        '"': '"',
        "'": "'",
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.#s.slice(this.#i, this.#i + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`bad \\${e} escape`);
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        this.#i += len;
      } else this.fail(`unknown escape \\${e}`);
    }
    this.fail('unterminated string');
  }
}
