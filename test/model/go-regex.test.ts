import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoRegexError, translateGoRegex } from '../../src/model/go-regex.ts';
import { Matcher, MatcherError } from '../../src/tsdb/index/matcher.ts';

function matches(re: string, s: string): boolean {
  const t = translateGoRegex(re);
  return new RegExp(`^(?:${t.source})$`, `${t.flags}u`).test(s);
}

test('case-insensitive groups and inline (?i) apply to their group only', () => {
  assert.ok(matches('a(?i:bc)d', 'aBcd'));
  assert.ok(!matches('a(?i:bc)d', 'aBcD'));
  assert.ok(matches('x(a(?i)b)c', 'xaBc'));
  assert.ok(!matches('x(a(?i)b)c', 'xAbc'));
  assert.ok(!matches('x(a(?i)b)c', 'xabC'));
  assert.ok(matches('(?i:[a-c]x)', 'BX'));
  assert.ok(matches('(?i:[^a-c])', '1'));
  assert.ok(!matches('(?i:[^a-c])', 'B'));
  assert.ok(matches('(?i)abc', 'ABC'));
});

test('Go syntax JS lacks is translated, syntax RE2 rejects is refused', () => {
  assert.ok(matches('\\Qa.b\\E', 'a.b'));
  assert.ok(!matches('\\Qa.b\\E', 'axb'));
  assert.ok(matches('[[:digit:]]+', '42'));
  assert.ok(matches('a{', 'a{'));
  assert.ok(matches('[]a]', ']'));
  assert.throws(() => translateGoRegex('(?=a)'), GoRegexError);
  assert.throws(() => translateGoRegex('(a)\\1'), GoRegexError);
});

test('matchers anchor at the ends of the text, also with a leading (?m)', () => {
  assert.ok(new Matcher('=~', 'l', '(?m)b').matches('b'));
  assert.ok(!new Matcher('=~', 'l', '(?m)b').matches('a\nb'));
  assert.ok(new Matcher('=~', 'l', 'a.b').matches('a\nb'));
  assert.ok(new Matcher('=~', 'l', 'x(?i:ab)').matches('xAB'));
  assert.throws(() => new Matcher('=~', 'l', 'a)|(b'), MatcherError);
  assert.throws(() => new Matcher('=~', 'l', '(?<=a)b'), MatcherError);
});
