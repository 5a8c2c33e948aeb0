// `telemux check exposition [--openmetrics] FILE|-`: is this exposition valid, and does it follow
// the conventions? Parse errors make it invalid (`ok: false`); lints are warnings only.

import { ExpositionParseError, type Problem } from './errors.ts';
import { lintFamilies } from './lint.ts';
import { parseExpositionDetailed } from './parser.ts';

export interface CheckOptions {
  /** Check as OpenMetrics 1.0 (strict) rather than Prometheus text. */
  readonly openMetrics: boolean;
}

export interface CheckResult {
  /** False exactly when there is a parse error (an `error` problem). */
  readonly ok: boolean;
  /** The parse error (at most one: parsing stops there) or the lints, by line. */
  readonly problems: Problem[];
}

export function checkExposition(input: string | Uint8Array, opts: CheckOptions): CheckResult {
  try {
    const parsed = parseExpositionDetailed(input, { openMetrics: opts.openMetrics });
    const problems = [
      ...parsed.warnings,
      ...lintFamilies(parsed.families, parsed.familyLines, opts.openMetrics),
    ];
    problems.sort((a, b) => a.line - b.line);
    return { ok: true, problems };
  } catch (e) {
    if (e instanceof ExpositionParseError) return { ok: false, problems: [e.toProblem()] };
    throw e;
  }
}

/** Human output, one problem per line: `metrics.txt:3: error: expected "=" after label name "foo"`. */
export function formatProblems(source: string, problems: readonly Problem[]): string {
  return problems.map((p) => `${source}:${p.line}: ${p.severity}: ${p.message}\n`).join('');
}
