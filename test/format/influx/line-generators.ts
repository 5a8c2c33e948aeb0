// Line-protocol line generators for the scanners' property tests: pieces that make valid lines,
// near misses and junk.

import fc from 'fast-check';

/** Every spelling of a boolean InfluxDB takes. */
const BOOLEANS = ['t', 'T', 'true', 'True', 'TRUE', 'f', 'F', 'false', 'False', 'FALSE'];
export const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
export const digitString = (min: number, max: number) =>
  fc.string({ unit: pick('0', '1', '2', '5', '7', '9'), minLength: min, maxLength: max });
export const sign = pick('', '', '-', '+');
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.double().map((d) => (Object.is(d, -0) ? '-0' : String(d))),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toFixed(3)),
  fc
    .tuple(
      sign,
      digitString(0, 20),
      pick('', '.', '.'),
      digitString(0, 20),
      pick('', '', 'e', 'E-', 'e+', 'e3', 'E-30', 'e400', 'x'),
    )
    .map((p) => p.join('')),
  fc.tuple(sign, digitString(0, 20), pick('i', 'u', 'i', 'u', 'iu', '.0i')).map((p) => p.join('')),
  pick(...BOOLEANS, 'tRUE', 'ture', 'falsey', 'NaN', 'Inf', '-', '.', ''),
);
const stringText = fc
  .string({ unit: pick('a', ' ', ',', '=', '\\', '"', 'é', '😀', '\t', '\\"', '\\\\'), maxLength: 10 })
  .map((s) => `"${s}"`);
const value = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 1, arbitrary: stringText },
  { weight: 1, arbitrary: stringText.map((s) => s.slice(0, -1)) },
);
const keyText = fc.oneof(
  pick('v', 'usage', 'a', 'b', 'ü', 'k\tx', '😀'),
  fc.string({ unit: pick('a', 'b', '_', '\\', ' ', ',', '=', 'é', '"'), maxLength: 4 }),
);
const field = fc.tuple(keyText, value).map(([k, v]) => `${k}=${v}`);
const series = fc.oneof(
  pick(
    'm',
    'cpu,host=a',
    'cpu,host=a,region=eu',
    'a=b',
    ',x=1',
    'm,t',
    'm,t=',
    'ü,t=ö',
    'm\\ x',
    'm,t=a\\,b',
    '#m',
    'm"x',
    'c\\pu',
    'm\tx',
  ),
  fc.string({ unit: pick('m', ',', '=', 't', 'é', '\\'), minLength: 1, maxLength: 6 }),
);
const timestamp = fc.oneof(
  pick('', '', ' ', '  '),
  fc
    .tuple(
      pick(' ', '  ', '\t', ' \r'),
      pick('', '', '-', '+'),
      digitString(1, 22),
      pick('', '', ' ', '\t', ' \t ', 'x', ' x', '.5', '\r'),
    )
    .map((p) => p.join('')),
);
export const lineText = fc
  .tuple(
    pick('', '', '', ' ', '\t'),
    series,
    pick(' ', ' ', '  ', '\t', ''),
    fc.array(field, { minLength: 0, maxLength: 6 }),
    pick(',', ',', ', ', ',,'),
    timestamp,
    pick('', '', '', '\r'),
  )
  .map(([lead, s, sep, fields, comma, ts, cr]) => `${lead}${s}${sep}${fields.join(comma)}${ts}${cr}`);
// Lines of the common shape (mostly taken by the scanner).
const cleanValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? '-0' : String(d))),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }).map((d) => d.toFixed(2)),
  fc.integer().map((n) => `${n}i`),
  fc.nat().map((n) => `${n}u`),
  pick(...BOOLEANS, '"a string"', '"a \\"quoted\\" one"'),
);
export const cleanLine = fc
  .tuple(
    pick('m', 'cpu,host=a', 'cpu,host=a,region=eu', 'ü,t=ö', 'a=b', 'm,t=v'),
    pick(' ', '  '),
    fc.uniqueArray(pick('v', 'usage', 'ü', 'k\tx', 'a', 'b', 'c', 'd'), { minLength: 1, maxLength: 5 }),
    fc.array(cleanValue, { minLength: 5, maxLength: 5 }),
    fc.oneof(
      pick('', ' '),
      fc
        .tuple(pick(' ', '  '), pick('', '-'), digitString(1, 19), pick('', ' ', '\t'))
        .map((p) => p.join('')),
    ),
  )
  .map(([s, sep, keys, values, ts]) => `${s}${sep}${keys.map((k, i) => `${k}=${values[i]}`).join(',')}${ts}`);
export const noNewline = (b: Buffer) => Buffer.from(b.filter((c) => c !== 10));
