// Label matchers with Prometheus semantics: a series without the label is matched as if its value
// were '' (so {foo=""} selects series lacking foo), and regexes are fully anchored like Go's
// `^(?s:re)$`, as Prometheus 3.x compiles them: `.` matches every character, newlines included
// (JS's dotAll flag `s`).

export type MatchType = '=' | '!=' | '=~' | '!~';

export class MatcherError extends Error {}

const MATCH_TYPES: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);
// An alternative made only of these characters is a literal, so `a|b|c` can be a Set lookup.
const LITERAL = /^[^\\^$.|?*+()[\]{}]*$/;
// Go inline flags at the very start, e.g. `(?i)foo`; JS (Node 20) has no inline flags.
const LEADING_FLAGS = /^\(\?([is]+)\)/;

export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  /** Whether a series lacking the label (value '') matches: decides how the index evaluates it. */
  readonly matchesEmpty: boolean;
  readonly #re: RegExp | undefined;
  readonly #set: ReadonlySet<string> | undefined;

  constructor(type: MatchType, name: string, value: string) {
    if (!MATCH_TYPES.has(type)) throw new MatcherError(`unknown match type "${type}"`);
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') {
      const alternatives = value.split('|');
      if (alternatives.every((a) => LITERAL.test(a))) this.#set = new Set(alternatives);
      else this.#re = compileAnchored(value, this.toString());
    }
    this.matchesEmpty = this.matches('');
  }

  static equal(name: string, value: string): Matcher {
    return new Matcher('=', name, value);
  }
  static notEqual(name: string, value: string): Matcher {
    return new Matcher('!=', name, value);
  }
  static regex(name: string, re: string): Matcher {
    return new Matcher('=~', name, re);
  }
  static notRegex(name: string, re: string): Matcher {
    return new Matcher('!~', name, re);
  }

  /** Whether a label value matches; pass '' for an absent label. */
  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.#regexMatches(v);
      case '!~':
        return !this.#regexMatches(v);
    }
  }

  /** `=` with a non-empty value: answered by a single postings list. */
  get isEqualityLookup(): boolean {
    return this.type === '=' && this.value !== '';
  }

  #regexMatches(v: string): boolean {
    if (this.#set !== undefined) return this.#set.has(v);
    return this.#re!.test(v);
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

function compileAnchored(re: string, what: string): RegExp {
  let flags = '';
  let body = re;
  const m = LEADING_FLAGS.exec(re);
  if (m !== null) {
    flags = [...new Set(m[1])].join('');
    body = re.slice(m[0].length);
  }
  if (!flags.includes('s')) flags += 's';
  const inner = rewriteClasses(body);
  // Anchoring by concatenation: validate the body on its own first, or `a)|(b` would become valid.
  for (const unicode of ['u', '']) {
    try {
      // 'u' makes `.` and classes work on code points, as RE2 does on UTF-8 runes.
      new RegExp(inner, flags + unicode);
      return new RegExp(`^(?:${inner})$`, flags + unicode);
    } catch (e) {
      // 'u' rejects escapes RE2 accepts (e.g. `\-` outside a class): retry with the lax syntax.
      if (unicode === '') throw new MatcherError(`invalid regex in matcher ${what}: ${(e as Error).message}`);
    }
  }
  throw new MatcherError(`invalid regex in matcher ${what}`);
}

/**
 * Makes RE2 syntax JS-safe: a `]` first in a class is literal in RE2, and Node 20 has no inline
 * flag groups, so `(?i:…)` and a `(?i)` inside a group become explicit letter cases.
 */
function rewriteClasses(re: string): string {
  let out = '';
  let inClass = false;
  let ci = false;
  const outer: boolean[] = [];
  const both = (c: string) => (c.toLowerCase() !== c.toUpperCase() ? c.toLowerCase() + c.toUpperCase() : c);
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      out += c + (re[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      if (ci && re[i + 1] === '-' && /[a-zA-Z]/.test(c) && /[a-zA-Z]/.test(re[i + 2] ?? '')) {
        const d = re[i + 2];
        out += `${c.toLowerCase()}-${d.toLowerCase()}${c.toUpperCase()}-${d.toUpperCase()}`;
        i += 2;
      } else out += ci && c !== ']' ? both(c) : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (re[i + 1] === '^') out += re[++i];
      if (re[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (re.startsWith('(?i:', i)) {
      outer.push(ci);
      ci = true;
      out += '(?:';
      i += 3;
    } else if (re.startsWith('(?i)', i)) {
      ci = true;
      i += 3;
    } else if (c === '(') {
      outer.push(ci);
      out += c;
    } else if (c === ')') {
      ci = outer.pop() ?? false;
      out += c;
    } else if (ci && c.toLowerCase() !== c.toUpperCase()) {
      out += `[${both(c)}]`;
    } else {
      out += c;
    }
  }
  return out;
}
