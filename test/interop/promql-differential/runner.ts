// Runs every query case at every evaluation against the reference and telemux, a few at a time, and
// collects the differences. It also checks the cases themselves against the reference: a case meant
// to fail must fail there, any other must answer its instant queries, and must hold data somewhere
// unless it is marked empty — so a typo cannot turn a case into a comparison of two empty answers.

import { type Answer, describeEvaluation, type Evaluation, query } from './api.ts';
import { compareAnswers, hasData } from './compare.ts';
import type { Family, QueryCase } from './queries.ts';

export interface Mismatch {
  readonly expr: string;
  readonly evaluation: string;
  readonly detail: string;
}

export interface RunSummary {
  readonly cases: number;
  readonly comparisons: number;
  readonly mismatches: readonly Mismatch[];
  /** Cases the reference itself contradicts (see the header). */
  readonly broken: readonly string[];
  readonly families: ReadonlyMap<Family, number>;
}

export async function runDifferential(
  referenceUrl: string,
  telemuxUrl: string,
  cases: readonly QueryCase[],
  evaluations: readonly Evaluation[],
  concurrency = 4,
): Promise<RunSummary> {
  const mismatches: Mismatch[] = [];
  const broken: string[] = [];
  const families = new Map<Family, number>();
  let comparisons = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++];
      families.set(c.family, (families.get(c.family) ?? 0) + 1);
      const reference: Answer[] = [];
      for (const e of evaluations) {
        const [want, got] = await Promise.all([query(referenceUrl, c.expr, e), query(telemuxUrl, c.expr, e)]);
        reference.push(want);
        comparisons++;
        const diff = compareAnswers(want, got, c.ordered === true && e.kind === 'instant');
        if (diff !== undefined)
          mismatches.push({ expr: c.expr, evaluation: describeEvaluation(e), detail: diff });
      }
      const problem = checkCase(c, evaluations, reference);
      if (problem !== undefined) broken.push(`${c.expr}: ${problem}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { cases: cases.length, comparisons, mismatches, broken, families };
}

function checkCase(
  c: QueryCase,
  evaluations: readonly Evaluation[],
  answers: readonly Answer[],
): string | undefined {
  if (c.fails) {
    const i = answers.findIndex((a) => a.ok);
    return i < 0
      ? undefined
      : `meant to fail, but the reference answered at ${describeEvaluation(evaluations[i])}`;
  }
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (!a.ok && evaluations[i].kind === 'instant')
      return `the reference fails at ${describeEvaluation(evaluations[i])}: ${a.errorType} ${a.error}`;
  }
  const withData = answers.some(hasData);
  if (c.empty && withData) return 'marked empty, but the reference answered data';
  if (!c.empty && !withData) return 'the reference answered no data at any evaluation';
  return undefined;
}
