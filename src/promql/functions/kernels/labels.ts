// label_replace and label_join on one label set, with Prometheus 3.x's rules: the regex is fully
// anchored with `.` matching newlines (Go's `^(?s:re)$`), the replacement is expanded as Go's
// Regexp.Expand does, and a label set to '' is removed.

import { GoRegexError, TEXT_END, TEXT_START, translateGoRegex } from '../../../model/go-regex.ts';
import type { Labels } from '../../../model/labels.ts';
import { isUtf8Name } from '../../../model/names.ts';

export interface CompiledLabelRegex {
  readonly source: string;
  readonly re: RegExp;
  /** Capture group names by index ('' for unnamed), for `$name` in replacements. */
  readonly names: readonly string[];
}

/** Compiles a label_replace regex; throws Prometheus' error message when it is not valid RE2. */
export function compileLabelRegex(source: string): CompiledLabelRegex {
  try {
    const t = translateGoRegex(source);
    // Validate the body alone first, or `a)|(b` would become valid once wrapped.
    new RegExp(t.source, `${t.flags}u`);
    const re = new RegExp(`${TEXT_START}(?:${t.source})${TEXT_END}`, `${t.flags}u`);
    return { source, re, names: t.names };
  } catch (err) {
    if (err instanceof GoRegexError || err instanceof SyntaxError)
      throw new Error(`invalid regular expression in label_replace(): ${source}`);
    throw err;
  }
}

/** Prometheus 3.x (UTF-8 names): any non-empty, well-formed string is a valid label name. */
export function isValidLabelNameForFunction(name: string): boolean {
  return isUtf8Name(name);
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Go's Regexp.Expand: `$$` is `$`; `$name` takes the longest run of letters, digits and `_` (so
 * `$1x` names group "1x", usually empty); `${name}` delimits it; a name of digits without a leading
 * zero is a group number; an unknown or unmatched group expands to ''; a malformed `$` is literal.
 */
export function expandReplacement(
  template: string,
  match: RegExpExecArray,
  names: readonly string[],
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const nameStart = j;
    while (j < template.length) {
      const cp = template.codePointAt(j) as number;
      const ch = String.fromCodePoint(cp);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name === '' || (brace && template[j] !== '}')) {
      // Malformed: the `$` is plain text and scanning goes on right after it.
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    out += groupText(name, match, names);
  }
  return out + template.slice(i);
}

function groupText(name: string, match: RegExpExecArray, names: readonly string[]): string {
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 48 || c > 57 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 48);
  }
  if (name.length > 1 && name[0] === '0') num = -1;
  if (num >= 0) return num < match.length ? (match[num] ?? '') : '';
  const index = names.indexOf(name);
  return index >= 0 && index < match.length ? (match[index] ?? '') : '';
}

/**
 * label_replace on one label set. When `regex` matches the value of `src` ('' if absent), `dst`
 * is set to the expanded replacement (removed when that is empty) and a new Labels is returned;
 * when it does not match, the very same `labels` instance is returned.
 */
export function labelReplace(
  labels: Labels,
  dst: string,
  replacement: string,
  src: string,
  regex: CompiledLabelRegex,
): Labels {
  const value = labels.get(src);
  regex.re.lastIndex = 0;
  const match = regex.re.exec(value);
  if (match === null) return labels;
  return labels.with(dst, expandReplacement(replacement, match, regex.names));
}

/** label_join: `dst` becomes the values of `srcs` ('' for absent ones) joined by `sep`. */
export function labelJoin(labels: Labels, dst: string, sep: string, srcs: readonly string[]): Labels {
  let joined = '';
  for (let i = 0; i < srcs.length; i++) {
    if (i > 0) joined += sep;
    joined += labels.get(srcs[i]);
  }
  return labels.with(dst, joined);
}
