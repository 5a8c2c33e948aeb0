import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotationError } from '../../../src/promql/promqltest/sequence.ts';
import { parseSeriesDescription } from '../../../src/promql/promqltest/series-description.ts';

function labelsOf(line: string): Record<string, string> {
  return parseSeriesDescription(line).labels.toRecord();
}

describe('series descriptions', () => {
  it('reads a metric name with or without labels', () => {
    assert.deepEqual(labelsOf('up 1'), { __name__: 'up' });
    assert.deepEqual(labelsOf('node:cpu:rate5m{a="b"} 1'), { __name__: 'node:cpu:rate5m', a: 'b' });
    assert.deepEqual(labelsOf('m{a="b", c=\'d\',} 1'), { __name__: 'm', a: 'b', c: 'd' });
    assert.deepEqual(labelsOf('m{ a = "b" } 1'), { __name__: 'm', a: 'b' });
  });

  it('reads label sets without a name, __name__ and quoted UTF-8 names', () => {
    assert.deepEqual(labelsOf('{} 1'), {});
    assert.deepEqual(labelsOf('{__name__="x", job="j"} 1'), { __name__: 'x', job: 'j' });
    assert.deepEqual(labelsOf('{"my.metric", "label with space"="v"} 1'), {
      __name__: 'my.metric',
      'label with space': 'v',
    });
    assert.deepEqual(labelsOf('{a=`raw\\n`, b="esc\\n\\u00e9"} 1'), { a: 'raw\\n', b: 'esc\né' });
  });

  it('lets a name before the braces win over __name__ inside them', () => {
    assert.deepEqual(labelsOf('a{__name__="b"} 1'), { __name__: 'a' });
  });

  it('gives the points after the labels, none when there are none', () => {
    const d = parseSeriesDescription('m{a="b"} 1+1x2 _ 4');
    assert.deepEqual([...d.points.values], [1, 2, 3, 0, 4]);
    assert.equal(parseSeriesDescription('m{a="b"}').points.kinds.length, 0);
  });

  it('rejects malformed label sets', () => {
    for (const bad of [
      'm{a=b} 1',
      'm{a="b" c="d"} 1',
      'm{a="b"',
      '{"x", "y"} 1',
      'm{a="b"}1',
      '1 2',
      'm{a="b",a="c"} 1',
      'm{a!="b"} 1',
    ])
      assert.throws(() => parseSeriesDescription(bad), NotationError, bad);
  });
});
