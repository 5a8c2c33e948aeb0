// The bits of Python's `json.dumps` (defaults: ensure_ascii, ", " and ": " separators, float repr)
// that python-hermes packets use, so our packets are byte-identical to its packets.

/** A JSON string literal as Python writes it: every character outside printable ASCII escaped. */
export function pyString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + escapeChar(c);
    start = i + 1;
  }
  return `${out + s.slice(start)}"`;
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    default:
      // UTF-16 code units, so astral characters become surrogate pairs, as in Python.
      return `\\u${c.toString(16).padStart(4, '0')}`;
  }
}

/**
 * A float as Python's `repr` writes it: the shortest round-trip digits (the same JS finds),
 * always with a `.0` or an exponent, and exponent notation below 1e-4 and from 1e16 on.
 */
export function pyFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = x < 0 ? '-' : '';
  const decpt = exp + 1; // position of the decimal point relative to the digits
  if (decpt < -3 || decpt > 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
