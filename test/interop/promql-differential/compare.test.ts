// The differential test's comparison on its own: what counts as equal, and that each kind of
// difference is reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Answer, labelKey, parseSampleValue, type ResultSeries } from './api.ts';
import { compareAnswers, sameValue } from './compare.ts';

function s(labels: Record<string, string>, vs: number[], ts = vs.map((_, i) => 1000 * i)): ResultSeries {
  return { labels, key: labelKey(labels), ts, vs };
}
const vector = (...series: ResultSeries[]): Answer => ({ ok: true, resultType: 'vector', series });
const matrix = (...series: ResultSeries[]): Answer => ({ ok: true, resultType: 'matrix', series });
const error = (errorType: string): Answer => ({ ok: false, status: 400, errorType, error: 'x' });

test('values: relative 1e-6, NaN equals NaN, infinities exactly, zero exactly', () => {
  assert.ok(sameValue(1, 1 + 1e-9));
  assert.ok(sameValue(-1e300, -1e300 * (1 + 1e-7)));
  assert.ok(!sameValue(1, 1.00001));
  assert.ok(sameValue(Number.NaN, Number.NaN));
  assert.ok(!sameValue(Number.NaN, 0));
  assert.ok(sameValue(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY));
  assert.ok(!sameValue(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
  assert.ok(!sameValue(Number.POSITIVE_INFINITY, 1e308));
  assert.ok(!sameValue(0, 1e-12));
  assert.ok(sameValue(0, -0));
});

test('the API spelling of values', () => {
  assert.ok(Number.isNaN(parseSampleValue('NaN')));
  assert.equal(parseSampleValue('+Inf'), Number.POSITIVE_INFINITY);
  assert.equal(parseSampleValue('-Inf'), Number.NEGATIVE_INFINITY);
  assert.equal(parseSampleValue('1e-07'), 1e-7);
  assert.throws(() => parseSampleValue('abc'));
});

test('label sets, timestamps and values are compared; unordered answers by label set', () => {
  const a = s({ job: 'a' }, [1, 2]);
  const b = s({ job: 'b' }, [3, Number.NaN]);
  assert.equal(compareAnswers(matrix(a, b), matrix(b, a), false), undefined);
  assert.match(compareAnswers(matrix(a, b), matrix(a), false)!, /missing \{job="b"\}/);
  assert.match(compareAnswers(matrix(a), matrix(a, b), false)!, /unexpected \{job="b"\}/);
  assert.match(compareAnswers(matrix(a), matrix(s({ job: 'a' }, [1, 2.5])), false)!, /expected 2, got 2.5/);
  assert.match(
    compareAnswers(matrix(a), matrix(s({ job: 'a' }, [1, 2], [0, 999])), false)!,
    /differing time/,
  );
  assert.match(compareAnswers(matrix(a), matrix(s({ job: 'a' }, [1])), false)!, /2 points expected, 1 got/);
  assert.match(compareAnswers(matrix(a), matrix(a, a), false)!, /twice/);
  assert.match(compareAnswers(matrix(a), vector(a), false)!, /resultType matrix ≠ vector/);
});

test('ordered answers: the values must come in the same order, ties may swap', () => {
  const x = s({ i: 'x' }, [3]);
  const y = s({ i: 'y' }, [2]);
  const z = s({ i: 'z' }, [2]);
  assert.equal(compareAnswers(vector(x, y, z), vector(x, z, y), true), undefined);
  assert.match(compareAnswers(vector(x, y, z), vector(y, x, z), true)!, /order: position 0/);
  assert.equal(compareAnswers(vector(x, y, z), vector(y, x, z), false), undefined);
});

test('errors: both must fail with the same errorType', () => {
  assert.equal(compareAnswers(error('bad_data'), error('bad_data'), false), undefined);
  assert.match(compareAnswers(error('bad_data'), error('execution'), false)!, /errorType bad_data/);
  assert.match(compareAnswers(error('bad_data'), vector(), false)!, /expected an error/);
  assert.match(compareAnswers(vector(), error('internal'), false)!, /got error internal/);
});

test('strings and scalars', () => {
  const str = (text: string): Answer => ({ ok: true, resultType: 'string', t: 5, text });
  assert.equal(compareAnswers(str('a'), str('a'), false), undefined);
  assert.match(compareAnswers(str('a'), str('b'), false)!, /string/);
  const scalar = (v: number): Answer => ({ ok: true, resultType: 'scalar', series: [s({}, [v])] });
  assert.equal(compareAnswers(scalar(Number.NaN), scalar(Number.NaN), false), undefined);
  assert.match(compareAnswers(scalar(1), scalar(2), false)!, /expected 1, got 2/);
});
