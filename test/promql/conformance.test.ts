// Prometheus' own PromQL test scripts (promql/promqltest/testdata), as shipped next to the checkout in
// ../shared, run by `telemux test promql`'s runner against the engine with the harness' settings.
// Native histogram cases and experimental features telemux lacks are skipped (each with its reason);
// of the rest at least 99 % must pass.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatFileReport, passRatio, totalsOf } from '../../src/promql/promqltest/report.ts';
import { type EvalResult, harnessEngine } from '../../src/promql/promqltest/runner.ts';
import { runTestFile } from '../../src/promql/promqltest/test-files.ts';

const root = new URL('../../../shared/conformance/promqltest/', import.meta.url);
const REQUIRED_PASS_RATIO = 0.99;

test('PromQL conformance scripts', async () => {
  const files = readdirSync(root)
    .filter((f) => f.endsWith('.test'))
    .sort();
  assert.ok(files.length > 0, `no promqltest scripts under ${root.pathname}`);
  const engine = harnessEngine();
  const all: EvalResult[] = [];
  for (const f of files) {
    const report = await runTestFile(fileURLToPath(new URL(f, root)), engine, f);
    all.push(...report.results);
    process.stdout.write(formatFileReport(report));
  }
  const totals = totalsOf(all);
  const ratio = passRatio(totals);
  console.log(
    `promql conformance: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped ` +
      `(${(ratio * 100).toFixed(2)} % of the evaluations run)`,
  );
  assert.ok(totals.passed > 0, 'nothing passed');
  assert.ok(
    ratio >= REQUIRED_PASS_RATIO,
    `${(ratio * 100).toFixed(2)} % passed, ${REQUIRED_PASS_RATIO * 100} % required`,
  );
});
