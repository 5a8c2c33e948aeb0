// `telemux check exposition [--openmetrics] FILE|-`: parse a document as Prometheus text 0.0.4 or
// OpenMetrics 1.0, print line-numbered errors (exit 1) and lint findings (which do not fail).

import { readFileSync } from 'node:fs';
import { checkExposition, formatProblems } from '../format/exposition/check.ts';

export function checkExpositionCommand(file: string | undefined, openMetrics: boolean): number {
  if (!file) {
    process.stderr.write('usage: telemux check exposition [--openmetrics] FILE|-\n');
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (err) {
    process.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
    return 2;
  }
  const result = checkExposition(bytes, { openMetrics });
  const name = file === '-' ? '<stdin>' : file;
  if (result.problems.length > 0) process.stderr.write(formatProblems(name, result.problems));
  if (!result.ok) return 1;
  process.stdout.write(`${name}: SUCCESS\n`);
  return 0;
}
