import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import {
  compileLabelRegex,
  isValidLabelNameForFunction,
  labelJoin,
  labelReplace,
} from '../../../src/promql/functions/kernels/labels.ts';

const testmetric = Labels.from({
  __name__: 'testmetric',
  src: 'source-value-10',
  dst: 'original-destination-value',
});

function replace(labels: Labels, dst: string, repl: string, src: string, re: string): Record<string, string> {
  return labelReplace(labels, dst, repl, src, compileLabelRegex(re)).toRecord();
}

describe('label_replace (functions.test)', () => {
  it('full-string match and replace', () => {
    assert.equal(
      replace(testmetric, 'dst', 'destination-value-$1', 'src', 'source-value-(.*)').dst,
      'destination-value-10',
    );
  });

  it('no sub-string match', () => {
    const out = labelReplace(testmetric, 'dst', 'x-$1', 'src', compileLabelRegex('value-(.*)'));
    assert.equal(out, testmetric);
  });

  it('several groups', () => {
    assert.equal(replace(testmetric, 'dst', '$1-value-$2', 'src', '(.*)-value-(.*)').dst, 'source-value-10');
  });

  it('an absent source is the empty string', () => {
    assert.equal(
      replace(testmetric, 'dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)').dst,
      'original-destination-value',
    );
    assert.equal(replace(testmetric, 'dst', 'value-$1', 'nonexistent-src', '(.*)').dst, 'value-');
  });

  it('an empty result removes the label', () => {
    assert.equal(replace(testmetric, 'dst', '', 'dst', '.*').dst, undefined);
  });

  it('invalid regex: Prometheus message', () => {
    assert.throws(() => compileLabelRegex('(.*'), {
      message: 'invalid regular expression in label_replace(): (.*',
    });
    assert.throws(() => compileLabelRegex('a)|(b'), /invalid regular expression/);
    assert.throws(() => compileLabelRegex('(?=x)'), /invalid regular expression/);
    assert.throws(() => compileLabelRegex('(a)\\1'), /invalid regular expression/);
  });

  it('a matching regex always gives a new label set; no match the same one', () => {
    const out = labelReplace(testmetric, 'dst', '$0', 'dst', compileLabelRegex('.*'));
    assert.notEqual(out, testmetric);
    assert.ok(out.equals(testmetric));
  });
});

describe("Go's template expansion", () => {
  const labels = Labels.from({ src: 'ab-cd' });
  const expand = (template: string, re = '(?P<first>\\w+)-(\\w+)') =>
    replace(labels, 'dst', template, 'src', re).dst;

  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JS
  it('$n, ${n}, $name, ${name}, $$', () => {
    assert.equal(expand('$1|$2|$0'), 'ab|cd|ab-cd');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JS
    assert.equal(expand('${1}x'), 'abx');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JS
    assert.equal(expand('$first/${first}'), 'ab/ab');
    assert.equal(expand('$$1'), '$1');
  });

  it('$1x names group "1x" (empty); unknown names and groups are empty', () => {
    assert.equal(expand('[$1x]'), '[]');
    assert.equal(expand('[$9]'), '[]');
    assert.equal(expand('[$nope]'), '[]');
    assert.equal(expand('[$01]'), '[]');
  });

  it('a malformed $ stays literal', () => {
    assert.equal(expand('a$'), 'a$');
    assert.equal(expand('${1'), '${1');
    assert.equal(expand('$-$1'), '$-ab');
  });

  it('an unmatched optional group is empty', () => {
    assert.equal(expand('[$2]', '(ab)-(x)?cd'), '[]');
  });
});

describe('RE2 syntax', () => {
  const matches = (re: string, value: string) => compileLabelRegex(re).re.test(value);

  it('is fully anchored and . matches newlines (3.x)', () => {
    assert.ok(matches('a.c', 'a\nc'));
    assert.ok(!matches('b', 'abc'));
    assert.ok(matches('a|ab', 'ab'));
    assert.ok(matches('(?m)a$\\nb', 'a\nb'));
    assert.ok(!matches('(?m)a', 'a\na'));
  });

  it('translates what JS spells differently', () => {
    assert.ok(matches('(?i)ABC', 'abc'));
    assert.ok(matches('\\Aab\\z', 'ab'));
    assert.ok(matches('[[:digit:]]+', '123'));
    assert.ok(matches('\\Q.*\\E', '.*'));
    assert.ok(!matches('\\Q.*\\E', 'xx'));
    assert.ok(matches('a{', 'a{'));
    assert.ok(matches('a{2}', 'aa'));
    assert.ok(matches('x}', 'x}'));
    assert.ok(matches('\\-\\#', '-#'));
    assert.ok(matches('\\x{41}\\101', 'AA'));
    assert.ok(matches('\\pL+', 'äb'));
    assert.ok(matches('\\p{Greek}', 'λ'));
    assert.ok(matches('[]a]+', ']a'));
    assert.ok(matches('\\s', ' '));
    assert.ok(!matches('\\s', '\v'));
    assert.ok(matches('.', '😀'));
  });
});

describe('label_join', () => {
  const l = Labels.from({ src: 'a', src1: 'b', src2: 'c', dst: 'original' });
  it('joins in order, absent labels as empty, empty result removes', () => {
    assert.equal(labelJoin(l, 'dst', '-', ['src', 'src1', 'src2']).get('dst'), 'a-b-c');
    assert.equal(labelJoin(l, 'dst', '-', ['src', 'src3', 'src1']).get('dst'), 'a--b');
    assert.equal(labelJoin(l, 'dst', '', ['x', 'y']).has('dst'), false);
    assert.equal(labelJoin(l, 'dst', ', ', []).has('dst'), false);
    assert.equal(labelJoin(l, 'new', ', ', ['src', 'src1']).get('new'), 'a, b');
  });
});

describe('label names', () => {
  it('any non-empty well-formed string (UTF-8) is valid', () => {
    assert.ok(isValidLabelNameForFunction('dst'));
    assert.ok(isValidLabelNameForFunction('näme with spaces'));
    assert.ok(!isValidLabelNameForFunction(''));
    assert.ok(!isValidLabelNameForFunction('\udcff'));
  });
});

describe('properties', () => {
  const labelSet = fc
    .dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/), fc.string({ minLength: 1, maxLength: 6 }), {
      maxKeys: 5,
    })
    .map((r) => Labels.from(r));

  it('a regex that cannot match leaves the labels unchanged (same instance)', () => {
    fc.assert(
      fc.property(labelSet, fc.string(), (labels, repl) => {
        const never = compileLabelRegex('\\x{10FFFF}never\\x{10FFFF}');
        assert.equal(labelReplace(labels, 'dst', repl, 'src', never), labels);
      }),
    );
  });

  it('(.*) with $1 copies src to dst', () => {
    fc.assert(
      fc.property(labelSet, fc.constantFrom('a', 'b', 'zz', '_x'), (labels, src) => {
        const out = labelReplace(labels, 'copy', '$1', src, compileLabelRegex('(.*)'));
        assert.equal(out.get('copy'), labels.get(src));
      }),
    );
  });

  it('label_join with one source equals label_replace with (.*) and $1', () => {
    fc.assert(
      fc.property(labelSet, fc.constantFrom('a', 'b', 'zz'), (labels, src) => {
        const joined = labelJoin(labels, 'dst', ',', [src]);
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JS
        const replaced = labelReplace(labels, 'dst', '${1}', src, compileLabelRegex('(.*)'));
        assert.ok(joined.equals(replaced));
      }),
    );
  });
});
