// Every query of the PromQL conformance scripts (Prometheus' own promqltest files) parses — unless its
// case expects the evaluation to fail, or it uses an experimental feature telemux does not implement —
// and prints back to text that parses to the same tree.
//
// One more class is counted apart: regexes with Go's inline flag groups (`(?i:PRO)`), which the label
// matcher (src/tsdb/index/matcher.ts) cannot compile yet on Node 20; the parser hands every regex to it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PromqlParseError, PromqlUnsupportedError } from '../../../src/promql/errors.ts';
import { parseExpr } from '../../../src/promql/parser/index.ts';
import { formatExpr } from '../../../src/promql/printer.ts';
import { positionsNest, withoutPositions } from './ast-compare.ts';

const DIR = '/work/shared/conformance/promqltest';
const EVAL =
  /^\s*(eval(?:_fail|_ordered|_warn|_info)?)\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.+)$/;

interface Case {
  readonly where: string;
  readonly query: string;
  readonly expectFail: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const file of fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.test'))
    .sort()) {
    const lines = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = EVAL.exec(line);
      if (m === null) return;
      let expectFail = m[1] === 'eval_fail';
      // The `expect` lines directly follow their eval.
      for (let j = i + 1; j < lines.length && /^\s*expect\s/.test(lines[j]); j++)
        if (/^\s*expect\s+fail\b/.test(lines[j])) expectFail = true;
      out.push({ where: `${file}:${i + 1}`, query: m[2], expectFail });
    });
  }
  return out;
}

test('every conformance query parses, is an expected failure, or uses an unsupported experimental feature', (t) => {
  const all = cases();
  assert.ok(all.length > 1000, `found ${all.length} eval lines`);
  let parsed = 0;
  let failing = 0;
  let unsupported = 0;
  let flagGroups = 0;
  const wrong: string[] = [];
  for (const c of all) {
    try {
      const e = parseExpr(c.query);
      parsed++;
      assert.ok(positionsNest(e, c.query.length), `${c.where}: positions of ${c.query}`);
      // The runner re-serializes queries: the printed text must parse to the same tree.
      assert.deepEqual(
        withoutPositions(parseExpr(formatExpr(e))),
        withoutPositions(e),
        `${c.where}: ${c.query}`,
      );
    } catch (err) {
      if (err instanceof PromqlUnsupportedError) unsupported++;
      else if (err instanceof PromqlParseError && c.expectFail) failing++;
      else if (err instanceof PromqlParseError && matcherLacksFlagGroups(c.query, err)) flagGroups++;
      else wrong.push(`${c.where}: ${c.query}\n    ${(err as Error).message}`);
    }
  }
  t.diagnostic(
    `${all.length} eval queries: ${parsed} parse, ${failing} fail to parse as their case expects, ` +
      `${unsupported} use unsupported experimental features, ${flagGroups} use regex flag groups the matcher lacks`,
  );
  assert.deepEqual(wrong, []);
});

function matcherLacksFlagGroups(query: string, err: PromqlParseError): boolean {
  return (
    err.message.includes('invalid regex in matcher') &&
    /\(\?[imsU]+[:)]/.test(query) &&
    /\(\?[imsU]+:|.\(\?[imsU]+\)/.test(query)
  );
}
