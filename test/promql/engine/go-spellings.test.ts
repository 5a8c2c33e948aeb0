// The Go spellings the engine reproduces (numbers, quoting, label sets), the Go heap moves and the
// natural order of sort_by_label: each checked against what Go prints / does.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import {
  formatGoF,
  formatGoG,
  formatLabelsGo,
  formatOpenMetricsFloat,
  goQuote,
} from '../../../src/promql/engine/go-format.ts';
import { byValue, GoHeap } from '../../../src/promql/engine/go-heap.ts';
import { naturalLess } from '../../../src/promql/functions/dispatch/natural-order.ts';

describe('Go number and string spellings', () => {
  it('formats %g like fmt (exponent from 1e+06 and below 1e-04)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1.1, '1.1'],
      [-1.5, '-1.5'],
      [100000, '100000'],
      [1e6, '1e+06'],
      [1234567, '1.234567e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [9.223372036854776e18, '9.223372036854776e+18'],
      [1e100, '1e+100'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, '+Inf'],
      [Number.NEGATIVE_INFINITY, '-Inf'],
    ];
    for (const [v, want] of cases) assert.equal(formatGoG(v), want, String(v));
  });

  it("formats strconv.FormatFloat(v, 'f', -1) without exponents", () => {
    assert.equal(formatGoF(6), '6');
    assert.equal(formatGoF(1e21), '1000000000000000000000');
    assert.equal(formatGoF(1.5e-7), '0.00000015');
    assert.equal(formatGoF(-0.25), '-0.25');
    assert.equal(formatGoF(Number.POSITIVE_INFINITY), '+Inf');
    assert.equal(formatOpenMetricsFloat(1), '1.0');
    assert.equal(formatOpenMetricsFloat(0.5), '0.5');
  });

  it('quotes like strconv.Quote and prints label sets like labels.String()', () => {
    assert.equal(goQuote('a"b\\c\n'), '"a\\"b\\\\c\\n"');
    assert.equal(goQuote('\u0001é\u2028'), '"\\x01é\\u2028"');
    assert.equal(
      formatLabelsGo(Labels.from({ __name__: 'm', job: 'x', 'a.b': 'y' })),
      '{__name__="m", "a.b"="y", job="x"}',
    );
  });
});

describe('Go heap', () => {
  it('keeps the smallest at the root and moves elements as container/heap does', () => {
    const h = new GoHeap(byValue);
    for (const [id, v] of [
      [0, 5],
      [1, 3],
      [2, 4],
      [3, 1],
    ] as const)
      h.push(id, v);
    assert.deepEqual(h.values, [1, 3, 4, 5]);
    assert.deepEqual(h.ids, [3, 1, 2, 0]);
    h.replaceRoot(4, 6);
    assert.deepEqual(h.values, [3, 5, 4, 6]);
    const n = new GoHeap(byValue);
    n.push(0, 1);
    n.push(1, Number.NaN);
    assert.ok(Number.isNaN(n.values[0]), 'NaN sorts first');
  });
});

describe('natural order (sort_by_label)', () => {
  it('compares digit runs as numbers and the rest byte by byte', () => {
    assert.equal(naturalLess('a2', 'a10'), true);
    assert.equal(naturalLess('a10', 'a2'), false);
    assert.equal(naturalLess('node-9', 'node-10'), true);
    assert.equal(naturalLess('abc', 'abd'), true);
    assert.equal(naturalLess('ab', 'abc'), true);
    assert.equal(naturalLess('x', 'x'), false);
    assert.equal(naturalLess('a01', 'a1'), false);
  });
});
