// Runs a promqltest script against a PromQL engine, as Prometheus' harness does, with one result per
// eval (passed, failed or skipped with its reason) instead of stopping at the first failure.
//
// Besides the eval itself, every instant eval is checked twice more, like in Prometheus:
//   - step invariance: the query with `@ <t>` on its selectors, at other times (step-invariance.ts);
//   - range mode: the same query as a range query from t-1m to t+1m, step 1m, whose middle step must
//     equal the instant result (not for `expect string`/`expect range vector`, nor queries calling
//     start(), end(), range() or step(), nor — after running it — ordered results).
// A failure of any of these fails the eval.

import { STALE_NAN } from '../../model/staleness.ts';
import type { Expr } from '../ast.ts';
import { PromqlEngine } from '../engine/engine.ts';
import {
  PromqlCanceledError,
  PromqlEvalError,
  PromqlParseError,
  PromqlTimeoutError,
  PromqlUnsupportedError,
} from '../errors.ts';
import { parseExpr } from '../parser/index.ts';
import type { Queryable } from '../storage.ts';
import type { QueryOutcome, VectorSample } from '../value.ts';
import { compareResult, compareScalar, compareVector, unsortedAt } from './compare.ts';
import { describeMatcher, matches, type TextMatcher } from './expectations.ts';
import { DuplicateSampleError, MemoryQueryable } from './memory-queryable.ts';
import type { EvalCommand, LoadCommand } from './script.ts';
import { parseScript } from './script-parser.ts';
import { FLOAT, STALE } from './sequence.ts';
import { type SpecialSeries, skipReason, specialSeriesOf } from './skips.ts';
import { stepInvarianceCases } from './step-invariance.ts';

/** What the runner needs of an engine (PromqlEngine has it; tests pass fakes). */
export interface TestEngine {
  instantQuery(store: Queryable, query: string, timeMs: number): Promise<QueryOutcome>;
  rangeQuery(
    store: Queryable,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<QueryOutcome>;
}

export type EvalStatus = 'passed' | 'failed' | 'skipped';

export interface EvalResult {
  readonly file: string;
  readonly line: number;
  readonly query: string;
  readonly status: EvalStatus;
  /** Why it failed or was skipped; '' when it passed. */
  readonly reason: string;
}

/** Prometheus' test engine settings (promqltest.NewTestEngine with DefaultMaxSamplesPerQuery). */
export function harnessEngine(): PromqlEngine {
  return new PromqlEngine({
    lookbackDeltaMs: 5 * 60_000,
    maxSamples: 10_000,
    timeoutMs: 100_000,
    defaultSubqueryStepMs: 60_000,
    delayedNameRemoval: true,
  });
}

const RANGE_MODE_STEP_MS = 60_000;
// Queries whose value depends on the query's range are not compared in range mode (a plain search
// of the text, as Prometheus does).
const QUERY_CONTEXT_FUNCTIONS = /(start|end|range|step)\(\)/;

export async function runScript(text: string, file: string, engine: TestEngine): Promise<EvalResult[]> {
  const run = new ScriptRun(file, engine);
  for (const cmd of parseScript(text)) {
    switch (cmd.kind) {
      case 'clear':
        run.clear();
        break;
      case 'load':
        run.load(cmd);
        break;
      case 'broken':
        run.record(cmd.line, cmd.query, 'failed', `cannot parse the ${cmd.what}: ${cmd.message}`);
        if (cmd.what === 'load') run.brokenLoad = cmd.line;
        break;
      case 'eval':
        await run.evaluate(cmd);
        break;
    }
  }
  return run.results;
}

class ScriptRun {
  readonly results: EvalResult[] = [];
  readonly #file: string;
  readonly #engine: TestEngine;
  readonly #store = new MemoryQueryable();
  #special: SpecialSeries[] = [];
  /** Line of a load that failed since the last clear: evals after it cannot be trusted. */
  brokenLoad: number | undefined;

  constructor(file: string, engine: TestEngine) {
    this.#file = file;
    this.#engine = engine;
  }

  record(line: number, query: string, status: EvalStatus, reason = ''): void {
    this.results.push({ file: this.#file, line, query, status, reason });
  }

  clear(): void {
    this.#store.clear();
    this.#special = [];
    this.brokenLoad = undefined;
  }

  load(cmd: LoadCommand): void {
    this.#special.push(...specialSeriesOf(cmd));
    for (const s of cmd.series) {
      const n = s.points.kinds.length;
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      let count = 0;
      for (let i = 0; i < n; i++) {
        const kind = s.points.kinds[i];
        if (kind !== FLOAT && kind !== STALE) continue;
        ts[count] = i * cmd.intervalMs;
        vs[count++] = kind === STALE ? STALE_NAN : s.points.values[i];
      }
      try {
        this.#store.append(s.labels, ts, vs, count);
      } catch (err) {
        if (!(err instanceof DuplicateSampleError)) throw err;
        this.record(s.line, '', 'failed', `cannot load: ${err.message}`);
        this.brokenLoad = cmd.line;
      }
    }
  }

  async evaluate(cmd: EvalCommand): Promise<void> {
    if (this.brokenLoad !== undefined) {
      this.record(cmd.line, cmd.query, 'failed', `not run: the load at line ${this.brokenLoad} failed`);
      return;
    }
    let expr: Expr;
    try {
      expr = parseExpr(cmd.query);
    } catch (err) {
      if (err instanceof PromqlUnsupportedError)
        this.record(
          cmd.line,
          cmd.query,
          'skipped',
          `experimental: ${err.feature} (not implemented by telemux)`,
        );
      else this.record(cmd.line, cmd.query, 'failed', `cannot parse the query: ${messageOf(err)}`);
      return;
    }
    const skip = skipReason(cmd, expr, this.#special);
    if (skip !== undefined) {
      this.record(cmd.line, cmd.query, 'skipped', skip);
      return;
    }
    let problem: string | undefined;
    try {
      problem = cmd.isRange ? await this.#rangeEval(cmd) : await this.#instantEval(cmd, expr);
    } catch (err) {
      problem = `the engine crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    }
    if (problem === undefined) this.record(cmd.line, cmd.query, 'passed');
    else this.record(cmd.line, cmd.query, 'failed', problem);
  }

  async #rangeEval(cmd: EvalCommand): Promise<string | undefined> {
    let outcome: QueryOutcome;
    try {
      outcome = await this.#engine.rangeQuery(this.#store, cmd.query, cmd.startMs, cmd.endMs, cmd.stepMs);
    } catch (err) {
      return failureOutcome(cmd, err);
    }
    if (cmd.fail !== undefined) return 'expected the query to fail, but it succeeded';
    return checkAnnotations(cmd, outcome) ?? compareResult(cmd, outcome.value);
  }

  async #instantEval(cmd: EvalCommand, expr: Expr): Promise<string | undefined> {
    const problem = await this.#instantCase(cmd, cmd.query, cmd.evalMs);
    if (problem !== undefined) return problem;
    for (const c of stepInvarianceCases(expr, cmd.evalMs)) {
      const p = await this.#instantCase(cmd, c.query, c.timeMs);
      if (p !== undefined) return `step invariance: ${c.query} at ${c.timeMs}ms: ${p}`;
    }
    return undefined;
  }

  /** One instant query of an eval and, unless excluded, its range-mode counterpart. */
  async #instantCase(cmd: EvalCommand, query: string, t: number): Promise<string | undefined> {
    let outcome: QueryOutcome;
    try {
      outcome = await this.#engine.instantQuery(this.#store, query, t);
    } catch (err) {
      return failureOutcome(cmd, err);
    }
    if (cmd.fail !== undefined) return 'expected the query to fail, but it succeeded';
    const problem = checkAnnotations(cmd, outcome) ?? compareResult(cmd, outcome.value);
    if (problem !== undefined) return problem;
    if (cmd.excludeFromRangeCheck || QUERY_CONTEXT_FUNCTIONS.test(query)) return undefined;

    let range: QueryOutcome;
    try {
      range = await this.#engine.rangeQuery(
        this.#store,
        query,
        t - RANGE_MODE_STEP_MS,
        t + RANGE_MODE_STEP_MS,
        RANGE_MODE_STEP_MS,
      );
    } catch (err) {
      if (!isQueryError(err)) throw err;
      return `range mode: the query failed: ${messageOf(err)}`;
    }
    // Range results are always sorted by labels: an expected order cannot be checked there.
    if (cmd.ordered) return undefined;
    if (range.value.resultType !== 'matrix')
      return `range mode: got a ${range.value.resultType}, not a matrix`;
    const unsorted = unsortedAt(range.value.result);
    if (unsorted !== undefined) return `range mode: ${unsorted}`;
    const middle: VectorSample[] = [];
    for (const s of range.value.result) {
      const i = s.ts.indexOf(t);
      if (i >= 0) middle.push({ labels: s.labels, t, v: s.vs[i] });
    }
    const inRange =
      outcome.value.resultType === 'scalar'
        ? middle.length === 0
          ? `no point at ${t}ms`
          : compareScalar(cmd, middle[0].v)
        : compareVector(cmd, middle);
    return inRange === undefined ? undefined : `range mode: ${inRange}`;
  }
}

/** An error is what the query answered only when it is one of the engine's query errors. */
function isQueryError(err: unknown): err is Error {
  return (
    err instanceof PromqlParseError ||
    err instanceof PromqlEvalError ||
    err instanceof PromqlTimeoutError ||
    err instanceof PromqlCanceledError
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The verdict on a query that threw: right if the eval expects this failure. */
function failureOutcome(cmd: EvalCommand, err: unknown): string | undefined {
  if (!isQueryError(err)) throw err;
  if (cmd.fail === undefined) return `the query failed: ${err.message}`;
  if (!matches(cmd.fail, err.message))
    return `expected an error matching ${describeMatcher(cmd.fail)}, but got: ${err.message}`;
  return undefined;
}

function checkAnnotations(cmd: EvalCommand, outcome: QueryOutcome): string | undefined {
  const { warnings, infos } = outcome;
  if (cmd.anyWarn && warnings.length === 0) return 'expected warnings but got none';
  if (cmd.anyInfo && infos.length === 0) return 'expected info annotations but got none';
  const problem =
    checkAnnotationsOf('warn', cmd.warn, warnings) ?? checkAnnotationsOf('info', cmd.info, infos);
  if (problem !== undefined) return problem;
  if (cmd.noWarn && warnings.length > 0) return `unexpected warnings: ${JSON.stringify(warnings)}`;
  if (cmd.noInfo && infos.length > 0) return `unexpected info annotations: ${JSON.stringify(infos)}`;
  return undefined;
}

/** Each expected annotation is there, and every annotation of the kind was expected. */
function checkAnnotationsOf(
  kind: string,
  expected: readonly TextMatcher[],
  actual: readonly string[],
): string | undefined {
  if (expected.length === 0) return undefined;
  if (actual.length === 0) return `expected ${kind} annotations but none were found`;
  for (const e of expected) {
    if (!actual.some((a) => matches(e, a)))
      return `expected a ${kind} annotation matching ${describeMatcher(e)}, found: ${JSON.stringify(actual)}`;
  }
  for (const a of actual) {
    if (!expected.some((e) => matches(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(a)}`;
  }
  return undefined;
}
