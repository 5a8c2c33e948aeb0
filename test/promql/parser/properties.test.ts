// Properties: printing a tree and parsing the text gives the tree back; any input, however broken,
// either parses or fails with a PromqlParseError — never another exception.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Expr } from '../../../src/promql/ast.ts';
import { PromqlParseError } from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { exprOf } from './ast-arbitrary.ts';
import { positionsNest, withoutPositions } from './ast-compare.ts';

const anyExpr = fc.oneof(exprOf('vector', 3), exprOf('scalar', 3), exprOf('matrix', 2), exprOf('string', 0));

test('printing a generated tree and parsing it back gives the same tree', () => {
  fc.assert(
    fc.property(anyExpr, (e: Expr) => {
      const text = formatExpr(e);
      const back = parseExpr(text);
      assert.deepEqual(withoutPositions(back), withoutPositions(e), text);
      assert.equal(formatExpr(back), text);
      assert.ok(positionsNest(back, text.length), text);
    }),
    { numRuns: 1500 },
  );
});

/** Parses; anything but a PromqlParseError is a bug. Returns the tree, or undefined on a parse error. */
function tryParse(text: string): Expr | undefined {
  try {
    return parseExpr(text);
  } catch (err) {
    if (err instanceof PromqlParseError) {
      assert.ok(
        err.start >= 0 && err.start <= err.end && err.end <= text.length,
        `${JSON.stringify(text)}: ${err.message}`,
      );
      assert.match(err.message, /^(\d+:\d+|unknown position): parse error: ./);
      return undefined;
    }
    throw err;
  }
}

/** What parses prints back to text that parses to the same tree. */
function roundTrips(text: string): void {
  const e = tryParse(text);
  if (e === undefined) return;
  const printed = formatExpr(e);
  assert.deepEqual(withoutPositions(parseExpr(printed)), withoutPositions(e), `${text} → ${printed}`);
}

const TOKENS = [
  'foo',
  'bar',
  'sum',
  'rate',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'atan2',
  'topk',
  'count_values',
  'start',
  'end',
  'step',
  'Inf',
  'NaN',
  'x:y',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '::',
  '=',
  '==',
  '!=',
  '=~',
  '!~',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '@',
  '1',
  '0.5',
  '5.',
  '1e3',
  '0x1f',
  '5m',
  '1h30m',
  '"a"',
  "'b'",
  '`c`',
  '"\\x"',
  '# c\n',
  ' ',
  '\n',
  'anchored',
  'fill',
  'min_of',
  'label_replace',
];

test('random token sequences parse or fail with a PromqlParseError, and what parses prints back', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }), fc.boolean(), (toks, spaced) =>
      roundTrips(toks.join(spaced ? ' ' : '')),
    ),
    { numRuns: 5000 },
  );
});

test('random strings, and valid queries with random damage, parse or fail with a PromqlParseError', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
      (s) => {
        tryParse(s);
      },
    ),
    { numRuns: 3000 },
  );
  const damaged = fc
    .tuple(anyExpr.map(formatExpr), fc.nat(), fc.nat({ max: 4 }), fc.string({ maxLength: 3 }))
    .map(([text, at, cut, insert]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    });
  fc.assert(fc.property(damaged, roundTrips), { numRuns: 2000 });
});
