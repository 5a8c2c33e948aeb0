// `telemux check exposition [--openmetrics] FILE|- …`: parse each document as Prometheus text 0.0.4
// or OpenMetrics 1.0, print line-numbered errors and lint findings (which do not fail the check),
// and one verdict line per file. Exit 0 when every file parses, 1 otherwise, 2 for usage errors.

import { readFileSync } from 'node:fs';
import { checkExposition, formatProblems } from '../format/exposition/check.ts';

export function checkExpositionCommand(files: readonly string[], openMetrics: boolean): number {
  if (files.length === 0) {
    process.stderr.write('usage: telemux check exposition [--openmetrics] FILE|- …\n');
    return 2;
  }
  let worst = 0;
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file === '-' ? 0 : file);
    } catch (err) {
      process.stderr.write(`${name}: cannot read: ${(err as Error).message}\n`);
      worst = 2;
      continue;
    }
    const result = checkExposition(bytes, { openMetrics });
    if (result.problems.length > 0) process.stderr.write(formatProblems(name, result.problems));
    if (result.ok) process.stdout.write(`${name}: SUCCESS\n`);
    else {
      process.stdout.write(`${name}: FAILED\n`);
      worst = Math.max(worst, 1);
    }
  }
  return worst;
}
