// `telemux test promql [--verbose] [--min-pass-ratio=R] FILE|DIR …`: runs Prometheus' PromQL test
// scripts (promqltest format) against telemux's engine and reports per file what passed, failed and
// was skipped (native histograms, experimental features — each skip with its reason). Exit 0 when
// nothing failed, or when passed/(passed+failed) reaches --min-pass-ratio; 1 otherwise; 2 for usage
// errors and unreadable files.

import { readFileSync } from 'node:fs';
import { formatFileReport, formatTotals, passRatio, totalsOf } from '../promql/promqltest/report.ts';
import { type EvalResult, harnessEngine, runScript } from '../promql/promqltest/runner.ts';
import { expandTestFiles } from '../promql/promqltest/test-files.ts';

const USAGE = 'usage: telemux test promql [--verbose] [--min-pass-ratio=R] FILE|DIR …\n';

export async function testPromqlCommand(
  paths: readonly string[],
  flags: ReadonlyMap<string, string | true>,
): Promise<number> {
  const ratioFlag = flags.get('min-pass-ratio');
  const minRatio = typeof ratioFlag === 'string' ? Number(ratioFlag) : undefined;
  if (
    paths.length === 0 ||
    ratioFlag === true ||
    (minRatio !== undefined && !(minRatio >= 0 && minRatio <= 1))
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const verbose = flags.has('verbose') || flags.has('v');
  let files: string[];
  try {
    files = expandTestFiles(paths);
  } catch (err) {
    process.stderr.write(`telemux test promql: ${(err as Error).message}\n`);
    return 2;
  }
  const engine = harnessEngine();
  const all: EvalResult[] = [];
  let unreadable = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
      unreadable = true;
      continue;
    }
    const results = await runScript(text, file, engine);
    all.push(...results);
    process.stdout.write(formatFileReport({ file, results }, verbose));
  }
  const totals = totalsOf(all);
  process.stdout.write(formatTotals(totals));
  if (unreadable) return 2;
  if (totals.failed === 0) return 0;
  return minRatio !== undefined && passRatio(totals) >= minRatio ? 0 : 1;
}
