import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  escapeName,
  float64Bits,
  isLegacyLabelName,
  isLegacyMetricName,
  isStaleNaN,
  isUtf8Name,
  LabelError,
  Labels,
  STALE_NAN,
  STALE_NAN_BITS,
  sanitizeLabelName,
  sanitizeMetricName,
} from '../../src/model/index.ts';

test('staleness marker has the exact Prometheus bit pattern and is told apart from NaN', () => {
  assert.equal(float64Bits(STALE_NAN), STALE_NAN_BITS);
  assert.equal(float64Bits(STALE_NAN).toString(16), '7ff0000000000002');
  assert.ok(isStaleNaN(STALE_NAN));
  assert.ok(!isStaleNaN(Number.NaN));
  assert.ok(!isStaleNaN(0));
  assert.ok(!isStaleNaN(Number.POSITIVE_INFINITY));
  // It survives typed arrays (where samples live).
  const a = new Float64Array(1);
  a[0] = STALE_NAN;
  assert.ok(isStaleNaN(a[0]));
});

test('labels are sorted, unique, and empty values dropped', () => {
  const l = Labels.from({ b: '2', a: '1', c: '' });
  assert.deepEqual(
    l.pairs.map((p) => p.name),
    ['a', 'b'],
  );
  assert.equal(l.get('c'), '');
  assert.throws(
    () =>
      Labels.from([
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ]),
    LabelError,
  );
  assert.equal(Labels.from({ __name__: 'up', job: 'x' }).metricName, 'up');
  assert.equal(Labels.from({ a: '1' }).with('b', '2').without('a').toString(), '{b="2"}');
});

test('label set identity: equal sets have equal keys and hashes, any difference changes the key', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })), (rec) => {
      const a = Labels.from(rec);
      const b = Labels.from(Object.fromEntries(Object.entries(rec).reverse()));
      assert.equal(a.key, b.key);
      assert.equal(a.hash, b.hash);
      assert.ok(a.equals(b));
      assert.ok(Number.isSafeInteger(a.hash));
      const c = a.with('\u0000extra', 'x');
      assert.notEqual(c.key, a.key);
    }),
  );
  // Keys cannot be forged by putting separator-like characters into names or values.
  assert.notEqual(Labels.from({ ab: 'c' }).key, Labels.from({ a: 'bc' }).key);
  assert.ok(!Labels.from({ a: 'x\xffb\xffy' }).equals(Labels.from({ a: 'x', b: 'y' })));
  fc.assert(
    fc.property(
      fc.dictionary(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
      fc.dictionary(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
      (r1, r2) => {
        const a = Labels.from(r1);
        const b = Labels.from(r2);
        assert.equal(a.key === b.key, JSON.stringify(a.pairs) === JSON.stringify(b.pairs));
      },
    ),
  );
});

test('Prometheus name rules, legacy and UTF-8', () => {
  assert.ok(isLegacyMetricName('http_requests_total'));
  assert.ok(isLegacyMetricName('ns:rule:rate5m'));
  assert.ok(!isLegacyMetricName('1abc'));
  assert.ok(!isLegacyMetricName('my.metric'));
  assert.ok(isLegacyLabelName('_x1'));
  assert.ok(!isLegacyLabelName('a:b'));
  assert.ok(isUtf8Name('my.metric'));
  assert.ok(isUtf8Name('温度'));
  assert.ok(!isUtf8Name(''));
  assert.ok(!isUtf8Name('\ud800'));
  assert.throws(() => Labels.from({ 'a-b': 'x' }).validate('legacy'), /invalid label name "a-b"/);
  Labels.from({ 'a-b': 'x' }).validate('utf8');
});

test('sanitising and escaping produce legacy names', () => {
  assert.equal(sanitizeMetricName('cpu.usage-idle'), 'cpu_usage_idle');
  assert.equal(sanitizeMetricName('9lives'), '_9lives');
  assert.equal(sanitizeMetricName(''), '_');
  assert.equal(sanitizeLabelName('a:b'), 'a_b');
  assert.equal(escapeName('my.metric', 'underscores'), 'my_metric');
  assert.equal(escapeName('my.metric', 'dots'), 'my_dot_metric');
  assert.equal(escapeName('my_metric', 'dots'), 'my_metric', 'legacy names pass through');
  assert.equal(escapeName('my.metric', 'values'), 'U__my_2e_metric');
  assert.equal(escapeName('my.metric', 'allow-utf-8'), 'my.metric');
  fc.assert(
    fc.property(fc.string(), (s) => {
      assert.ok(isLegacyMetricName(sanitizeMetricName(s)));
      assert.ok(isLegacyLabelName(sanitizeLabelName(s)));
      for (const scheme of ['underscores', 'dots', 'values'] as const) {
        if (s !== '') assert.ok(isLegacyMetricName(escapeName(s, scheme)), `${scheme}: ${s}`);
      }
    }),
  );
});
