// The text report of a promqltest run: per file its counts, each failure (line, query, why) and its
// skips grouped by reason with their lines (or, verbose, every skipped eval with its query); then the
// totals, ending with the line `N passed, N failed`.

import type { EvalResult } from './runner.ts';

export interface FileResults {
  readonly file: string;
  readonly results: readonly EvalResult[];
}

export interface Totals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totalsOf(results: readonly EvalResult[]): Totals {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.status === 'passed') passed++;
    else if (r.status === 'failed') failed++;
    else skipped++;
  }
  return { passed, failed, skipped };
}

/** passed / (passed + failed): skipped evals do not count; 1 when nothing ran. */
export function passRatio(t: Totals): number {
  const ran = t.passed + t.failed;
  return ran === 0 ? 1 : t.passed / ran;
}

const SHORT = 300;

function clip(text: string, verbose: boolean): string {
  const oneLine = verbose ? text : text.replace(/\s*\n\s*/g, ' ');
  return verbose || oneLine.length <= SHORT ? oneLine : `${oneLine.slice(0, SHORT)}…`;
}

export function formatFileReport(f: FileResults, verbose = false): string {
  const t = totalsOf(f.results);
  const out: string[] = [`${f.file}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`];
  for (const r of f.results) {
    if (r.status !== 'failed') continue;
    out.push(`  FAIL ${r.file}:${r.line}: ${clip(r.query || '(not an eval)', verbose)}`);
    out.push(`       ${clip(r.reason, verbose)}`);
  }
  if (verbose) {
    for (const r of f.results)
      if (r.status === 'skipped') out.push(`  SKIP ${r.file}:${r.line}: ${r.query}\n       ${r.reason}`);
  } else {
    const byReason = new Map<string, number[]>();
    for (const r of f.results) {
      if (r.status !== 'skipped') continue;
      const lines = byReason.get(r.reason) ?? [];
      lines.push(r.line);
      byReason.set(r.reason, lines);
    }
    for (const [reason, lines] of byReason)
      out.push(
        `  skipped ${lines.length} × ${reason} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** The closing lines: skipped total, then exactly `N passed, N failed`. */
export function formatTotals(t: Totals): string {
  return `${t.skipped} skipped\n${t.passed} passed, ${t.failed} failed\n`;
}
