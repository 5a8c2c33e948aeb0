import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatCanonicalLabelNumber,
  formatGoFloat,
  formatTextLabelNumber,
  formatTimestampMs,
  formatTimestampSeconds,
  formatValue,
  parseIntegerMs,
  parseNumber,
  parseSecondsToMs,
} from '../../src/format/exposition/numbers.ts';

test("floats are written like Go's strconv.FormatFloat(v, 'g', -1, 64)", () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-1, '-1'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000123, '0.000123'],
    [1e-7, '1e-07'],
    [-1.5e-10, '-1.5e-10'],
    [123456, '123456'],
    [999999.5, '999999.5'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [2478268416, '2.478268416e+09'],
    [1e21, '1e+21'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ];
  for (const [v, s] of cases) assert.equal(formatGoFloat(v), s, `formatGoFloat(${v})`);
});

test('sample values: safe integers without exponent, -0 kept, the rest Go-like', () => {
  assert.equal(formatValue(1234567), '1234567');
  assert.equal(formatValue(-42), '-42');
  assert.equal(formatValue(-0), '-0');
  assert.equal(formatValue(2 ** 53 - 1), '9007199254740991');
  assert.equal(formatValue(2 ** 53), '9.007199254740992e+15');
  assert.equal(formatValue(2 ** 64), '1.8446744073709552e+19');
  assert.equal(formatValue(0.5), '0.5');
  assert.equal(formatValue(Number.NaN), 'NaN');
});

test('le/quantile in OpenMetrics use the canonical forms of the spec', () => {
  const spec =
    '0.0 0.001 0.002 0.01 0.1 0.9 0.95 0.99 0.999 1.0 1.7 10.0 1e-10 1e-09 1e-05 0.0001 100000.0 1e+06 1e+10';
  for (const s of spec.split(' ')) assert.equal(formatCanonicalLabelNumber(Number(s)), s);
  assert.equal(formatCanonicalLabelNumber(Number.POSITIVE_INFINITY), '+Inf');
  assert.equal(formatCanonicalLabelNumber(Number.NEGATIVE_INFINITY), '-Inf');
  assert.equal(formatCanonicalLabelNumber(-0), '0.0');
});

test('le/quantile in text 0.0.4 as client_golang writes them', () => {
  assert.equal(formatTextLabelNumber(0.005), '0.005');
  assert.equal(formatTextLabelNumber(1), '1');
  assert.equal(formatTextLabelNumber(0), '0');
  assert.equal(formatTextLabelNumber(-0), '0');
  assert.equal(formatTextLabelNumber(2.5), '2.5');
  assert.equal(formatTextLabelNumber(1e6), '1e+06');
  assert.equal(formatTextLabelNumber(Number.POSITIVE_INFINITY), '+Inf');
});

test('timestamps: integer ms in text, seconds with exact milliseconds in OpenMetrics', () => {
  assert.equal(formatTimestampMs(1520879607789), '1520879607789');
  assert.equal(formatTimestampMs(-5), '-5');
  assert.equal(formatTimestampMs(1e21), '1000000000000000000000');
  assert.equal(formatTimestampSeconds(1520879607789), '1520879607.789');
  assert.equal(formatTimestampSeconds(1500), '1.5');
  assert.equal(formatTimestampSeconds(1000), '1');
  assert.equal(formatTimestampSeconds(0), '0');
  assert.equal(formatTimestampSeconds(-1), '-0.001');
  assert.equal(formatTimestampSeconds(-1500), '-1.5');
  assert.equal(formatTimestampSeconds(1.5), '1.5e-3');
  assert.equal(parseSecondsToMs('1520879607.789'), 1520879607789);
  assert.equal(parseSecondsToMs('1.5e3'), 1500000);
  assert.equal(parseSecondsToMs('-0.001'), -1);
  assert.equal(parseSecondsToMs('000'), 0);
  assert.equal(parseSecondsToMs('0.0000000001'), 0);
  assert.equal(parseSecondsToMs('12345678901234567890.1234567890'), Number('12345678901234567890123'));
  assert.equal(parseSecondsToMs('NaN'), 'syntax');
  assert.equal(parseSecondsToMs('Inf'), 'syntax');
  assert.equal(parseSecondsToMs('1e999'), 'range');
  assert.equal(parseIntegerMs('123'), 123);
  assert.equal(parseIntegerMs('+5'), 5);
  assert.equal(parseIntegerMs('-5'), -5);
  assert.equal(parseIntegerMs('9223372036854775807'), 2 ** 63);
  assert.equal(parseIntegerMs('-9223372036854775808'), -(2 ** 63));
  assert.equal(parseIntegerMs('9223372036854775808'), 'range');
  assert.equal(parseIntegerMs('1.5'), 'syntax');
  assert.equal(parseIntegerMs(''), 'syntax');
  assert.equal(parseIntegerMs('-'), 'syntax');
});

test('number syntax: the OpenMetrics ABNF (= what Go ParseFloat takes once hex and _ are refused)', () => {
  const good: [string, number][] = [
    ['1', 1],
    ['-0', -0],
    ['+1', 1],
    ['.5', 0.5],
    ['5.', 5],
    ['1e5', 1e5],
    ['1E5', 1e5],
    ['1.5e-3', 1.5e-3],
    ['0001', 1],
    ['9223372036854775808', 2 ** 63],
    ['Inf', Number.POSITIVE_INFINITY],
    ['+inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['INF', Number.POSITIVE_INFINITY],
    ['1e-400', 0],
  ];
  for (const [s, v] of good) assert.ok(Object.is(parseNumber(s), v), `${s} → ${String(parseNumber(s))}`);
  assert.ok(Number.isNaN(parseNumber('NaN') as number));
  assert.ok(Number.isNaN(parseNumber('nan') as number));
  for (const s of [
    '',
    '+',
    '-',
    '.',
    'e5',
    '1e',
    '1e+',
    '1.e',
    '0x1',
    '0x1p-3',
    '1_0',
    ' 1',
    '1 ',
    '+nan',
    'infinit',
    '1.1.1',
    '0b1',
  ]) {
    assert.equal(parseNumber(s), 'syntax', JSON.stringify(s));
  }
  assert.equal(parseNumber('1e400'), 'range');
  assert.equal(parseNumber('-1e400'), 'range');
});

test('every float64 survives format → parse bit for bit (NaN as NaN)', () => {
  fc.assert(
    fc.property(fc.double(), (v) => {
      assert.ok(Object.is(parseNumber(formatValue(v)), v));
      assert.ok(Object.is(parseNumber(formatGoFloat(v)), v));
    }),
    { numRuns: 5000 },
  );
});

test('every integer millisecond timestamp survives both timestamp formats', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), (ms) => {
      const expected = ms === 0 ? 0 : ms;
      assert.equal(parseSecondsToMs(formatTimestampSeconds(ms)), expected);
      assert.equal(parseIntegerMs(formatTimestampMs(ms)), expected);
    }),
    { numRuns: 5000 },
  );
});
