// The lookup key of a child: its label values in the family's declared order, joined by U+00FF.
// A value may itself contain U+00FF (it is a valid character), so U+00FE and U+00FF inside values
// are escaped; the key is then exact (equal keys ⇔ equal value lists) for a fixed number of values.
// The common case (no such characters) costs one scan per value and a join.

const SEP = '\xff';
const ESC = '\xfe';
const NEEDS_ESCAPE = /[\xfe\xff]/;
const ESCAPED = /[\xfe\xff]/g;

function escapeValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, (c) => (c === ESC ? '\xfe\xfe' : '\xfe\x01')) : v;
}

/** The exact key of a list of label values. */
export function labelValuesKey(values: readonly string[]): string {
  const n = values.length;
  if (n === 0) return '';
  let key = escapeValue(values[0]);
  for (let i = 1; i < n; i++) key += SEP + escapeValue(values[i]);
  return key;
}

/** Append one more value to a key being built (`first` for the first value). */
export function appendLabelValue(key: string, value: string, first: boolean): string {
  return first ? escapeValue(value) : key + SEP + escapeValue(value);
}
