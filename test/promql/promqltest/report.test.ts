import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatFileReport,
  formatTotals,
  passRatio,
  totalsOf,
} from '../../../src/promql/promqltest/report.ts';
import type { EvalResult } from '../../../src/promql/promqltest/runner.ts';

const results: EvalResult[] = [
  { file: 'a.test', line: 3, query: 'up', status: 'passed', reason: '' },
  { file: 'a.test', line: 6, query: 'sum(up)', status: 'failed', reason: 'expected 2 for {} but got 3' },
  { file: 'a.test', line: 9, query: 'h', status: 'skipped', reason: 'native histograms: x' },
  { file: 'a.test', line: 12, query: 'h2', status: 'skipped', reason: 'native histograms: x' },
  { file: 'a.test', line: 15, query: 'info(up)', status: 'skipped', reason: 'experimental: info()' },
];

describe('the report', () => {
  it('counts per file, lists failures and groups skips by reason with their lines', () => {
    assert.equal(
      formatFileReport({ file: 'a.test', results }),
      [
        'a.test: 1 passed, 1 failed, 3 skipped',
        '  FAIL a.test:6: sum(up)',
        '       expected 2 for {} but got 3',
        '  skipped 2 × native histograms: x (lines 9, 12)',
        '  skipped 1 × experimental: info() (line 15)',
        '',
      ].join('\n'),
    );
  });

  it('lists every skipped eval with its query when verbose', () => {
    const text = formatFileReport({ file: 'a.test', results }, true);
    assert.match(text, /SKIP a\.test:9: h\n {7}native histograms: x/);
    assert.match(text, /SKIP a\.test:15: info\(up\)\n {7}experimental: info\(\)/);
  });

  it('shortens long reasons unless verbose', () => {
    const long: EvalResult = { file: 'b', line: 1, query: 'q', status: 'failed', reason: 'x'.repeat(1000) };
    assert.ok(formatFileReport({ file: 'b', results: [long] }).length < 400);
    assert.ok(formatFileReport({ file: 'b', results: [long] }, true).length > 1000);
  });

  it('ends with the totals line, the ratio ignoring skips', () => {
    const t = totalsOf(results);
    assert.deepEqual(t, { passed: 1, failed: 1, skipped: 3 });
    assert.equal(passRatio(t), 0.5);
    assert.equal(passRatio({ passed: 0, failed: 0, skipped: 4 }), 1);
    const text = formatTotals(t);
    assert.equal(text.trimEnd().split('\n').at(-1), '1 passed, 1 failed');
    assert.match(text, /^3 skipped\n/);
  });
});
