import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Matcher, MatcherError } from '../../../src/tsdb/index/matcher.ts';

test('absent label matches as the empty string', () => {
  assert.equal(Matcher.equal('foo', '').matches(''), true);
  assert.equal(Matcher.equal('foo', '').matches('x'), false);
  assert.equal(Matcher.notEqual('foo', '').matches(''), false);
  assert.equal(Matcher.notEqual('foo', '').matches('x'), true);
  assert.equal(Matcher.regex('foo', '.*').matches(''), true);
  assert.equal(Matcher.regex('foo', '.+').matches(''), false);
  assert.equal(Matcher.regex('foo', '.+').matches('x'), true);
  assert.equal(Matcher.notRegex('foo', '.+').matches(''), true);
  assert.equal(Matcher.notEqual('foo', 'bar').matches(''), true);
  assert.equal(Matcher.equal('foo', 'bar').matchesEmpty, false);
  assert.equal(Matcher.regex('foo', 'a|').matchesEmpty, true);
});

test('regexes are fully anchored', () => {
  const m = Matcher.regex('foo', 'b');
  assert.equal(m.matches('b'), true);
  assert.equal(m.matches('abc'), false);
  assert.equal(m.matches('ba'), false);
  assert.equal(Matcher.regex('foo', 'a.*').matches('xab'), false);
  assert.equal(Matcher.regex('foo', 'a.*').matches('ab'), true);
  // Alternation must not escape the anchors: ^(?:a|b)$, not ^a|b$.
  const alt = Matcher.regex('foo', 'a|b.');
  assert.equal(alt.matches('ax'), false);
  assert.equal(alt.matches('xbc'), false);
  assert.equal(alt.matches('bc'), true);
  assert.equal(Matcher.notRegex('foo', 'b').matches('abc'), true);
  assert.equal(Matcher.regex('foo', '(a)|(b)').matches('ab'), false);
});

test('literal alternatives (Set fast path) behave like the regex', () => {
  const m = Matcher.regex('foo', 'a|bc|');
  for (const [v, want] of [
    ['a', true],
    ['bc', true],
    ['', true],
    ['b', false],
    ['abc', false],
  ] as const)
    assert.equal(m.matches(v), want, v);
  assert.equal(Matcher.notRegex('foo', 'a|b').matches('a'), false);
  assert.equal(Matcher.notRegex('foo', 'a|b').matches('c'), true);
  assert.equal(Matcher.regex('foo', '').matches(''), true);
  assert.equal(Matcher.regex('foo', '').matches('a'), false);
});

test('. matches newline (Prometheus 3.x compiles ^(?s:re)$), \\r and U+2028', () => {
  const dot = Matcher.regex('foo', '.*');
  assert.equal(dot.matches('a\nb'), true);
  assert.equal(dot.matches('a\rb'), true);
  assert.equal(dot.matches('a\u2028b'), true);
  assert.equal(Matcher.regex('foo', '.').matches('😀'), true, 'one code point');
  assert.equal(Matcher.regex('foo', '\\.').matches('x'), false, 'escaped dot stays literal');
  assert.equal(Matcher.regex('foo', '[.]').matches('x'), false, 'dot in a class stays literal');
  assert.equal(Matcher.regex('foo', 'a[^x]b').matches('a\nb'), true, 'negated class includes newline');
  assert.equal(Matcher.regex('foo', '(?s).*').matches('a\nb'), true, '(?s) enables dotall');
  assert.equal(Matcher.regex('foo', '(?i)abc').matches('ABC'), true, '(?i) case-insensitive');
  assert.equal(Matcher.regex('foo', '[]a]').matches(']'), true, 'leading ] in a class is literal');
  assert.equal(Matcher.regex('foo', 'a\\-b').matches('a-b'), true, 'RE2-style escape accepted');
});

test('invalid regexes are rejected with a clear error', () => {
  for (const re of ['(', 'a)|(b', '[a', '*', 'a\\']) {
    assert.throws(
      () => Matcher.regex('foo', re),
      (e: unknown) =>
        e instanceof MatcherError && e.message.includes('invalid regex') && e.message.includes('foo'),
      re,
    );
  }
  assert.throws(() => new Matcher('==' as never, 'foo', 'x'), MatcherError);
});

test('toString', () => {
  assert.equal(Matcher.notRegex('job', 'a"b').toString(), 'job!~"a\\"b"');
});
