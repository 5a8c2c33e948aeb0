// The parser never throws anything but ExpositionParseError, and never an "internal" one, whatever
// the input: random strings, random bytes, and valid expositions with random damage.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ExpositionParseError } from '../../src/format/exposition/errors.ts';
import { parseExposition } from '../../src/format/exposition/parser.ts';

function parsesOrFailsCleanly(input: string | Uint8Array): void {
  for (const openMetrics of [false, true]) {
    try {
      parseExposition(input, { openMetrics });
    } catch (e) {
      if (!(e instanceof ExpositionParseError)) throw e;
      assert.ok(!e.reason.startsWith('internal'), e.message);
      assert.ok(Number.isInteger(e.line) && e.line >= 1, e.message);
    }
  }
}

const SEED = [
  '# HELP a The a.\n# TYPE a counter\na_total{x="1",y="\\"\\\\\\n"} 1 1.5 # {t="x"} 2 3\na_created{x="1",y="\\"\\\\\\n"} 12 1.5\n',
  '# TYPE h_seconds histogram\n# UNIT h_seconds seconds\nh_seconds_bucket{le="1.0"} 1\nh_seconds_bucket{le="+Inf"} 2\nh_seconds_count 2\nh_seconds_sum 3\n',
  '# TYPE g gaugehistogram\ng_bucket{le="-1"} 1\ng_bucket{le="+Inf"} 2\ng_gcount 2\ng_gsum -1\n',
  '# TYPE s summary\ns{quantile="0.5"} 1\ns_count 1\ns_sum 1\n# TYPE i info\ni_info{v="1"} 1\n',
  '# TYPE st stateset\nst{st="a"} 1\nst{st="b"} 0\n{"u.v","w.x"="y"} 1\n"q.r"{a="b"} 2 3\n',
  'plain{a="b",} 1 1000\n  spaced\t{ a = "b" }  2\n# comment\n\n',
];
const PIECES = [
  '#',
  ' ',
  '\t',
  '\n',
  '\r',
  '"',
  '\\',
  '{',
  '}',
  ',',
  '=',
  '# EOF',
  '# TYPE ',
  '# HELP ',
  '# UNIT ',
  'NaN',
  '+Inf',
  '-',
  '.',
  'e',
  '_total',
  '_bucket',
  'le',
  'quantile',
  '\0',
  'ü',
  '\ud800',
  '1',
  '0',
];

test('random strings never make the parser throw anything but its own error', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => parsesOrFailsCleanly(s)),
    { numRuns: 3000 },
  );
});

test('random bytes never make the parser throw anything but its own error', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => parsesOrFailsCleanly(b)),
    { numRuns: 3000 },
  );
});

test('valid expositions with random edits never make the parser throw anything else', () => {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 4 }),
    insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(...SEED),
      fc.boolean(),
      fc.array(edit, { minLength: 1, maxLength: 4 }),
      (seed, eof, edits) => {
        let s = eof ? `${seed}# EOF\n` : seed;
        for (const e of edits) {
          const at = e.at % (s.length + 1);
          s = s.slice(0, at) + e.insert.join('') + s.slice(at + e.remove);
        }
        parsesOrFailsCleanly(s);
        parsesOrFailsCleanly(Buffer.from(s));
      },
    ),
    { numRuns: 5000 },
  );
});

test('the seeds themselves are valid (so the edits start from something real)', () => {
  for (const seed of SEED.slice(0, 5)) parseExposition(`${seed}# EOF\n`, { openMetrics: true });
  for (const seed of [SEED[1], SEED[5]]) parseExposition(seed);
});
