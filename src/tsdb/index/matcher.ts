// Label matchers with Prometheus semantics: a series without the label is matched as if its value
// were '' (so {foo=""} selects series lacking foo), and regexes are fully anchored like Go's
// `^(?s:re)$`, as Prometheus 3.x compiles them: `.` matches every character, newlines included
// (JS's dotAll flag `s`).

import { TEXT_END, TEXT_START, translateGoRegex } from '../../model/go-regex.ts';
import type { Labels } from '../../model/labels.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

export class MatcherError extends Error {}

const MATCH_TYPES: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);
// An alternative made only of these characters is a literal, so `a|b|c` can be a Set lookup.
const LITERAL = /^[^\\^$.|?*+()[\]{}]*$/;

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
  try {
    const t = translateGoRegex(re);
    // Anchoring by concatenation: compile the body on its own first, or `a)|(b` would become valid.
    new RegExp(t.source, `${t.flags}u`);
    // 'u' makes `.` and classes work on code points, as RE2 does on UTF-8 runes.
    // With a leading (?m), ^ and $ would match at line ends: anchor at the text's ends then.
    const [start, end] = t.flags.includes('m') ? [TEXT_START, TEXT_END] : ['^', '$'];
    return new RegExp(`${start}(?:${t.source})${end}`, `${t.flags}u`);
  } catch (e) {
    throw new MatcherError(`invalid regex in matcher ${what}: ${(e as Error).message}`);
  }
}

/** Whether a label set matches every matcher (an absent label reads as ''): for a few series, not an index. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}
