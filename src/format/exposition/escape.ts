// Escaping of strings in the exposition formats.
//
// | where                         | text 0.0.4        | OpenMetrics 1.0       |
// |-------------------------------|-------------------|-----------------------|
// | label values, quoted names    | `\\` `\"` `\n`    | `\\` `\"` `\n`        |
// | HELP                          | `\\` `\n`         | `\\` `\"` `\n`        |
//
// Text 0.0.4 HELP keeps `"` bare, as client_golang writes it; OpenMetrics HELP is an ABNF
// `escaped-string`, which has no bare `"`.

const NEEDS_VALUE_ESCAPE = /[\\"\n]/;
const NEEDS_HELP_ESCAPE = /[\\\n]/;

/** A label value (or quoted name) between double quotes, escaped for either format. */
export function escapeLabelValue(s: string): string {
  if (!NEEDS_VALUE_ESCAPE.test(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const rep = c === 92 ? '\\\\' : c === 34 ? '\\"' : c === 10 ? '\\n' : undefined;
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

/** HELP text in text 0.0.4: backslash and line feed. */
export function escapeTextHelp(s: string): string {
  if (!NEEDS_HELP_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** HELP text in OpenMetrics: backslash, double quote and line feed. */
export function escapeOpenMetricsHelp(s: string): string {
  return escapeLabelValue(s);
}
