// `expect <type> [msg|regex]: <text>` lines of an eval command, and how an error or annotation is
// matched against them: `msg` compares the whole text, `regex` searches it with an RE2 pattern
// (unanchored, as Go's MatchString), no matcher at all matches anything.

import { translateGoRegex } from '../../model/go-regex.ts';
import { NotationError } from './sequence.ts';

export type ExpectType = 'ordered' | 'fail' | 'warn' | 'no_warn' | 'info' | 'no_info';

export type TextMatcher =
  | { readonly kind: 'any' }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly re: RegExp };

export const MATCH_ANY: TextMatcher = { kind: 'any' };

const EXPECT_LINE =
  /^expect[\t\n\f\r ]+(ordered|fail|warn|no_warn|info|no_info)(?:[\t\n\f\r ]+(regex|msg):(.+))?$/;

/** Parses an `expect …` line (already trimmed); throws NotationError. */
export function parseExpectLine(line: string): { type: ExpectType; matcher: TextMatcher } {
  const m = EXPECT_LINE.exec(line);
  if (m === null)
    throw new NotationError(
      'invalid expect statement, must match `expect <type> <match_type>: <string>` format',
    );
  const type = m[1] as ExpectType;
  if (m[2] === undefined) return { type, matcher: MATCH_ANY };
  const text = m[3].trim();
  if (m[2] === 'msg') return { type, matcher: { kind: 'message', text } };
  return { type, matcher: regexMatcher(text, type) };
}

/** An RE2 pattern as a JS RegExp; throws NotationError when neither reading accepts it. */
export function regexMatcher(source: string, what: string): TextMatcher {
  try {
    const t = translateGoRegex(source);
    const flags = [...new Set(`us${t.flags}`)].join('');
    return { kind: 'regex', source, re: new RegExp(t.source, flags) };
  } catch {
    try {
      return { kind: 'regex', source, re: new RegExp(source, 'u') };
    } catch {
      throw new NotationError(`invalid regex ${source} for ${what}`);
    }
  }
}

export function matches(m: TextMatcher, text: string): boolean {
  switch (m.kind) {
    case 'any':
      return true;
    case 'message':
      return m.text === text;
    case 'regex':
      return m.re.test(text);
  }
}

export function describeMatcher(m: TextMatcher): string {
  switch (m.kind) {
    case 'any':
      return 'anything';
    case 'message':
      return `message ${JSON.stringify(m.text)}`;
    case 'regex':
      return `pattern ${JSON.stringify(m.source)}`;
  }
}
