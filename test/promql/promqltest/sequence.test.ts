import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isStaleNaN } from '../../../src/model/staleness.ts';
import {
  FLOAT,
  HISTOGRAM,
  NotationError,
  OMITTED,
  parseScalarLine,
  parseSequence,
  type SampleSequence,
  STALE,
} from '../../../src/promql/promqltest/sequence.ts';

/** A readable form: numbers, '_' for omitted, 'stale', 'H' for a histogram. */
function expand(text: string): (number | string)[] {
  return readable(parseSequence(text));
}

function readable(seq: SampleSequence): (number | string)[] {
  return [...seq.kinds].map((k, i) =>
    k === FLOAT ? seq.values[i] : k === OMITTED ? '_' : k === STALE ? 'stale' : k === HISTOGRAM ? 'H' : '?',
  );
}

describe('series value notation', () => {
  it('expands start+deltaxN into N+1 values', () => {
    assert.deepEqual(expand('1+2x3'), [1, 3, 5, 7]);
    assert.deepEqual(expand('-1-2x3'), [-1, -3, -5, -7]);
    assert.deepEqual(expand('5-1x2'), [5, 4, 3]);
    assert.deepEqual(expand('0+10x0'), [0]);
    assert.deepEqual(expand('1.5+.5x2'), [1.5, 2, 2.5]);
  });

  it('repeats with xN, blanks with _ and _xN, and keeps plain values', () => {
    assert.deepEqual(expand('7x2'), [7, 7, 7]);
    assert.deepEqual(expand('1 _ 3'), [1, '_', 3]);
    assert.deepEqual(expand('_x3 4'), ['_', '_', '_', 4]);
    assert.deepEqual(expand('_x0'), []);
    assert.deepEqual(expand('  1\t2  '), [1, 2]);
    assert.deepEqual(expand(''), []);
  });

  it('reads Inf, NaN in any case, signs, exponents and octal like Go', () => {
    const v = expand('Inf -Inf +inf NaN nan 1e3 -2.5E-1 010');
    assert.deepEqual(v.slice(0, 3), [Infinity, -Infinity, Infinity]);
    assert.ok(Number.isNaN(v[3]) && Number.isNaN(v[4]));
    assert.deepEqual(v.slice(5), [1000, -0.25, 8]);
  });

  it('has no hex numbers: 0x3 is 0 repeated', () => {
    assert.deepEqual(expand('0x3'), [0, 0, 0, 0]);
  });

  it('writes the exact staleness marker, and an ordinary NaN after arithmetic on it', () => {
    const seq = parseSequence('1 stale 2 stale+1x1');
    assert.deepEqual(readable(seq), [1, 'stale', 2, 'stale', Number.NaN]);
    assert.equal(seq.kinds[4], FLOAT);
    assert.ok(!isStaleNaN(seq.values[4]));
  });

  it('counts native histogram points without reading them', () => {
    assert.deepEqual(expand('1 {{schema:1 sum:3 count:22 buckets:[5 10 7]}} 2'), [1, 'H', 2]);
    assert.deepEqual(expand('{{count:0}}+{{count:1}}x4 5'), ['H', 'H', 'H', 'H', 'H', 5]);
    assert.deepEqual(expand('{{count:1}}x2'), ['H', 'H', 'H']);
  });

  it('rejects malformed items', () => {
    for (const bad of [
      'Infx3',
      'stalex3',
      '1a',
      '1+',
      '1x',
      '1x-2',
      '1+2',
      '1++2x3',
      'foo',
      '{{count:1',
      '1x2.5',
    ])
      assert.throws(() => parseSequence(bad), NotationError, bad);
  });

  it('adds the increment step by step, as Prometheus does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 50 }),
        (start, tenths, n) => {
          const delta = tenths / 10;
          const got = expand(`${start}+${delta}x${n}`);
          const want: number[] = [];
          for (let i = 0, v = start; i <= n; i++, v += delta) want.push(v);
          assert.deepEqual(got, want);
        },
      ),
    );
  });
});

describe('scalar result lines', () => {
  it('reads numbers as Go ParseInt(s, 0, 64) then ParseFloat', () => {
    assert.equal(parseScalarLine('42'), 42);
    assert.equal(parseScalarLine('-0.2e-6'), -0.0000002);
    assert.equal(parseScalarLine('0x1f'), 31);
    assert.equal(parseScalarLine('-0x10'), -16);
    assert.equal(parseScalarLine('010'), 8);
    assert.equal(parseScalarLine('1_000'), 1000);
    assert.equal(parseScalarLine('0x1p-2'), 0.25);
    assert.equal(parseScalarLine('+Inf'), Infinity);
    assert.equal(parseScalarLine('-Infinity'), -Infinity);
    assert.ok(Number.isNaN(parseScalarLine('NaN')!));
  });

  it('leaves everything else to the series parser', () => {
    for (const s of ['-NaN', '1 2', '{} 1', 'foo', '', '--1', '1_', '1e400'])
      assert.equal(parseScalarLine(s), undefined, s);
  });
});
