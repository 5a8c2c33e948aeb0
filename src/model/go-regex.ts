// Translates Go RE2 syntax (what PromQL regexes are written in) into an equivalent JS RegExp
// source for the 'u' (code points) and 's' (`.` matches newlines) flags, and records the capture
// groups' names in order, which Go's `$name` expansion needs. RE2 constructs JS lacks (\z, \A,
// \Q…\E, (?P<n>…), POSIX classes, octal escapes, escaped punctuation, literal braces) are
// rewritten; constructs RE2 rejects but JS accepts (lookaround, backreferences) are rejected.
// Case-insensitive groups (`(?i:b)`, or `(?i)` after the start) become explicit letter cases, as
// Node 20 has no inline flags. Not supported (rejected although RE2 accepts them): `(?m)` after the
// start, (?U), and negated POSIX classes [[:^alpha:]]. Used by the store's label matchers and by
// PromQL's label_replace.

export interface TranslatedRegex {
  /** JS source, not yet anchored. */
  readonly source: string;
  /** Flags implied by a leading Go flag group such as `(?i)`. */
  readonly flags: string;
  /** names[i] is the name of capture group i (group 0 is the whole match); '' when unnamed. */
  readonly names: readonly string[];
}

export class GoRegexError extends Error {}

// Characters JS allows to be escaped in 'u' mode; other escaped punctuation becomes \xHH.
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
// Go's \s is [\t\n\f\r ] — narrower than JS's, which includes \v and Unicode spaces.
const GO_SPACE = '\\t\\n\\f\\r ';
/** Start and end of the whole text whatever the 'm' flag says (RE2's \\A and \\z). */
export const TEXT_START = '(?<![\\s\\S])';
export const TEXT_END = '(?![\\s\\S])';
const REPEAT = /^\{\d+(,\d*)?\}/;
const LEADING_FLAGS = /^\(\?([imsU]+)\)/;
const GROUP_NAME = /^[A-Za-z0-9_]+$/;

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

export function translateGoRegex(re: string): TranslatedRegex {
  let flags = 's';
  let body = re;
  const lead = LEADING_FLAGS.exec(re);
  if (lead !== null) {
    if (lead[1].includes('U')) throw new GoRegexError('ungreedy flag (?U) is not supported');
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('m')) flags += 'm';
    body = re.slice(lead[0].length);
  }

  const names: string[] = [''];
  let out = '';
  let inClass = false;
  // Case-insensitive inside the current group (from `(?i:` or an inline `(?i)`); outer groups' state.
  let ci = false;
  const outer: boolean[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') {
      const [text, next] = translateEscape(body, i, inClass);
      out += text;
      i = next;
      continue;
    }
    if (inClass) {
      if (c === '[' && body[i + 1] === ':') {
        const end = body.indexOf(':]', i + 2);
        const name = end < 0 ? undefined : body.slice(i + 2, end);
        const negated = name?.startsWith('^');
        const cls = name === undefined ? undefined : POSIX_CLASSES[negated ? name.slice(1) : name];
        if (cls === undefined) throw new GoRegexError(`invalid character class range: ${body.slice(i)}`);
        if (negated) throw new GoRegexError('negated POSIX classes are not supported');
        out += cls;
        i = end + 2;
        continue;
      }
      if (c === '[') out += '\\[';
      else if (c === ']') {
        inClass = false;
        out += c;
      } else if (ci && isLetter(c) && body[i + 1] === '-' && isLetter(body[i + 2])) {
        const d = body[i + 2];
        out += `${c.toLowerCase()}-${d.toLowerCase()}${c.toUpperCase()}-${d.toUpperCase()}`;
        i += 3;
        continue;
      } else out += ci && isLetter(c) ? bothCases(c) : c;
      i++;
      continue;
    }
    switch (c) {
      case '[': {
        inClass = true;
        out += c;
        i++;
        if (body[i] === '^') out += body[i++];
        // In RE2 a `]` right after the opening bracket is literal.
        if (body[i] === ']') {
          out += '\\]';
          i++;
        }
        continue;
      }
      case '(': {
        outer.push(ci);
        if (body[i + 1] !== '?') {
          names.push('');
          out += c;
          i++;
          continue;
        }
        const named = /^\(\?P?<([^>]*)>/.exec(body.slice(i));
        if (named !== null) {
          if (!GROUP_NAME.test(named[1])) throw new GoRegexError(`invalid named capture: ${named[0]}`);
          if (names.includes(named[1])) throw new GoRegexError(`duplicate capture group name: ${named[1]}`);
          names.push(named[1]);
          out += `(?<${named[1]}>`;
          i += named[0].length;
          continue;
        }
        if (body.startsWith('(?:', i)) {
          out += '(?:';
          i += 3;
          continue;
        }
        // `s` is always on (PromQL wraps the regex in `(?s:…)`), so it changes nothing; `i` makes
        // the letters that follow match either case, in a group of their own or to the group's end.
        const inline = /^\(\?([is]+)(\)|:)/.exec(body.slice(i));
        if (inline !== null) {
          const caseless = inline[1].includes('i');
          if (inline[2] === ':') {
            out += '(?:';
            if (caseless) ci = true;
          } else {
            outer.pop();
            if (caseless) ci = true;
          }
          i += inline[0].length;
          continue;
        }
        throw new GoRegexError(`invalid or unsupported Perl syntax: ${body.slice(i, i + 3)}`);
      }
      case '{': {
        // A brace that does not start a repetition is a literal in RE2, an error in JS 'u' mode.
        const repeat = REPEAT.exec(body.slice(i));
        if (repeat !== null) {
          out += repeat[0];
          i += repeat[0].length;
        } else {
          out += '\\{';
          i++;
        }
        continue;
      }
      case '}':
        out += '\\}';
        i++;
        continue;
      case ')':
        ci = outer.pop() ?? false;
        out += c;
        i++;
        continue;
      default:
        out += ci && isLetter(c) ? `[${bothCases(c)}]` : c;
        i++;
    }
  }
  if (inClass) throw new GoRegexError('missing closing ]');
  return { source: out, flags, names };
}

function isLetter(c: string | undefined): c is string {
  return c !== undefined && c.toLowerCase() !== c.toUpperCase();
}

/** A letter in both cases (for a class), e.g. `aA`; letters whose cases differ in length stay as is. */
function bothCases(c: string): string {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  return lower.length === 1 && upper.length === 1 ? lower + upper : c;
}

/** Translates the escape at body[i] ('\\'); returns the JS text and the index after it. */
function translateEscape(body: string, i: number, inClass: boolean): [string, number] {
  const e = body[i + 1];
  if (e === undefined) throw new GoRegexError('trailing backslash at end of expression');
  switch (e) {
    case 'A':
      return [TEXT_START, i + 2];
    case 'z':
      return [TEXT_END, i + 2];
    case 'a':
      return ['\\x07', i + 2];
    case 's':
      return [inClass ? GO_SPACE : `[${GO_SPACE}]`, i + 2];
    case 'S':
      return [inClass ? '\\S' : `[^${GO_SPACE}]`, i + 2];
    case 'Q': {
      const end = body.indexOf('\\E', i + 2);
      const literal = body.slice(i + 2, end < 0 ? body.length : end);
      let text = '';
      for (const ch of literal) text += JS_SYNTAX.has(ch) || ch === '-' ? `\\${ch}` : ch;
      return [text, end < 0 ? body.length : end + 2];
    }
    case 'x': {
      if (body[i + 2] === '{') {
        const end = body.indexOf('}', i + 3);
        const hex = end < 0 ? '' : body.slice(i + 3, end);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff)
          throw new GoRegexError(`invalid escape sequence: \\x{${hex}`);
        return [hexEscape(Number.parseInt(hex, 16)), end + 1];
      }
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new GoRegexError(`invalid escape sequence: \\x${hex}`);
      return [hexEscape(Number.parseInt(hex, 16)), i + 4];
    }
    case 'p':
    case 'P': {
      let name: string;
      let next: number;
      if (body[i + 2] === '{') {
        const end = body.indexOf('}', i + 3);
        if (end < 0) throw new GoRegexError('invalid character class range');
        name = body.slice(i + 3, end);
        next = end + 1;
      } else {
        name = body[i + 2] ?? '';
        next = i + 3;
      }
      let negate = e === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const property = unicodeProperty(name);
      return [`\\${negate ? 'P' : 'p'}{${property}}`, next];
    }
    default:
      break;
  }
  if (e >= '0' && e <= '7') {
    // RE2 has no backreferences: \0, \0oo and \ooo (two or three digits) are octal codes.
    let j = i + 2;
    if (e !== '0' && !isOctal(body[j])) throw new GoRegexError(`invalid escape sequence: \\${e}`);
    while (j < i + 4 && isOctal(body[j])) j++;
    return [hexEscape(Number.parseInt(body.slice(i + 1, j), 8)), j];
  }
  if ('dDwWbBfnrtv'.includes(e)) return [`\\${e}`, i + 2];
  if (e === '8' || e === '9' || /[A-Za-z0-9_]/.test(e))
    throw new GoRegexError(`invalid escape sequence: \\${e}`);
  const cp = e.codePointAt(0) as number;
  if (cp < 0x80 && JS_SYNTAX.has(e)) return [`\\${e}`, i + 2];
  if (cp < 0x80) return [hexEscape(cp), i + 2];
  // RE2 accepts an escaped non-ASCII character as itself.
  return [String.fromCodePoint(cp), i + 1 + (cp > 0xffff ? 2 : 1)];
}

/** A Go Unicode class name (a category like L or Lu, or a script like Greek) in JS's spelling. */
function unicodeProperty(name: string): string {
  if (name === 'Any') return 'Any';
  for (const candidate of [name, `Script=${name}`]) {
    try {
      new RegExp(`\\p{${candidate}}`, 'u');
      return candidate;
    } catch {
      // Not this spelling.
    }
  }
  throw new GoRegexError(`invalid character class range: \\p{${name}}`);
}
