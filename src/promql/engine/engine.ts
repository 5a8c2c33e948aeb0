// The PromQL engine: instant and range queries over a Queryable, with Prometheus 3.x semantics
// (native histograms excepted), its limits (samples, time, concurrency) and cancellation. The
// public surface below is the contract the test runner, the local QueryEngine and the API rely on.
//
// Design: every node is evaluated once for all steps of the query, into columnar per-series arrays
// (see evaluator.ts); an instant query is a range query of one step.

import type { Expr } from '../ast.ts';
import { PromqlParseError } from '../errors.ts';
import { documentedType, parseExpr, positionOf, typeOf } from '../parser/index.ts';
import type { Queryable } from '../storage.ts';
import type { QueryOutcome } from '../value.ts';
import { Annotations, type PositionOf } from './annotations.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';
import { Evaluator, type EvaluatorEnv } from './evaluator.ts';
import { gridOf, type StepGrid, singleStep } from './grid.ts';
import { QueryLimits } from './limits.ts';
import { instantResult, rangeQueryResult } from './output.ts';
import { resolveDurations } from './resolve-durations.ts';
import { StepInvariance } from './step-invariance.ts';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus' 5 m). */
  readonly lookbackDeltaMs?: number;
  /** Most samples a query may hold in memory at once (Prometheus' --query.max-samples, 50,000,000). */
  readonly maxSamples?: number;
  /** Default and maximum time a query may run (Prometheus' --query.timeout, 2 m). */
  readonly timeoutMs?: number;
  /** Queries evaluated at once; more wait their turn (Prometheus' --query.max-concurrency, 20). */
  readonly maxConcurrent?: number;
  /** Step of a subquery without one (Prometheus' global evaluation interval, 1 m), in any query. */
  readonly defaultSubqueryStepMs?: number;
  /**
   * Keep `__name__` through the evaluation and drop it from the result only (Prometheus'
   * --enable-feature=promql-delayed-name-removal; off by default like Prometheus' server, on in
   * Prometheus' test harness).
   */
  readonly delayedNameRemoval?: boolean;
}

export interface EvalOptions {
  readonly lookbackDeltaMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Most points a range query may have per series (Prometheus' API limit). */
export const MAX_POINTS_PER_SERIES = 11_000;

export class PromqlEngine {
  readonly options: Required<EngineOptions>;
  readonly #gate: ConcurrencyGate;

  constructor(options: EngineOptions = {}) {
    this.options = {
      lookbackDeltaMs: options.lookbackDeltaMs ?? 300_000,
      maxSamples: options.maxSamples ?? 50_000_000,
      timeoutMs: options.timeoutMs ?? 120_000,
      maxConcurrent: options.maxConcurrent ?? 20,
      defaultSubqueryStepMs: options.defaultSubqueryStepMs ?? 60_000,
      delayedNameRemoval: options.delayedNameRemoval ?? false,
    };
    this.#gate = new ConcurrencyGate(this.options.maxConcurrent);
  }

  async instantQuery(
    store: Queryable,
    query: string | Expr,
    timeMs: number,
    opts: EvalOptions = {},
  ): Promise<QueryOutcome> {
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    return this.#run(store, expr, query, singleStep(timeMs), { start: timeMs, end: timeMs, step: 0 }, opts);
  }

  async rangeQuery(
    store: Queryable,
    query: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: EvalOptions = {},
  ): Promise<QueryOutcome> {
    checkRange(startMs, endMs, stepMs);
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    const type = typeOf(expr);
    if (type !== 'vector' && type !== 'scalar')
      throw new PromqlParseError(
        `invalid expression type "${documentedType(type)}" for range query, must be Scalar or instant Vector`,
        expr.pos.start,
        expr.pos.end,
      );
    const grid = gridOf(startMs, endMs, stepMs);
    return this.#run(store, expr, query, grid, { start: startMs, end: endMs, step: stepMs }, opts);
  }

  async #run(
    store: Queryable,
    expr: Expr,
    query: string | Expr,
    grid: StepGrid,
    range: { start: number; end: number; step: number },
    opts: EvalOptions,
  ): Promise<QueryOutcome> {
    // step() and range() in durations are the query's step and span (0 for an instant query).
    const shape = { stepMs: range.step, rangeMs: range.end - range.start };
    expr = resolveDurations(expr, shape, typeof query === 'string' ? query : undefined);
    const timeout = Math.min(opts.timeoutMs ?? this.options.timeoutMs, this.options.timeoutMs);
    const deadline = Date.now() + timeout;
    const release = await this.#gate.acquire(deadline, opts.signal);
    try {
      const limits = new QueryLimits({ maxSamples: this.options.maxSamples, deadline, signal: opts.signal });
      const annotations = new Annotations();
      const lookback =
        opts.lookbackDeltaMs !== undefined && opts.lookbackDeltaMs > 0
          ? opts.lookbackDeltaMs
          : this.options.lookbackDeltaMs;
      const env: EvaluatorEnv = {
        store,
        lookbackMs: lookback,
        defaultSubqueryStepMs: this.options.defaultSubqueryStepMs,
        delayedNameRemoval: this.options.delayedNameRemoval,
        queryStart: range.start,
        queryEnd: range.end,
        queryStep: range.step,
        limits,
        annotations,
        invariance: new StepInvariance(),
      };
      const value = await new Evaluator(grid, env).evaluate(expr);
      limits.check();
      const delayed = this.options.delayedNameRemoval;
      const result =
        range.step === 0
          ? instantResult(value, range.start, delayed)
          : rangeQueryResult(value, grid, delayed);
      const { warnings, infos } = annotations.render(positionsIn(query));
      return { value: result, warnings, infos, samplesLoaded: limits.loaded };
    } finally {
      release();
    }
  }
}

/** Prometheus' API checks on a range query's parameters (also made by the HTTP API). */
export function checkRange(startMs: number, endMs: number, stepMs: number): void {
  if (!(stepMs > 0))
    throw new PromqlParseError(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
      0,
      0,
    );
  if (endMs < startMs) throw new PromqlParseError('end timestamp must not be before start time', 0, 0);
  if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES)
    throw new PromqlParseError(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      0,
      0,
    );
}

/** Positions in the query text; a query given as a tree is taken as one line. */
function positionsIn(query: string | Expr): PositionOf {
  if (typeof query === 'string') return (offset) => positionOf(query, offset);
  return (offset) => ({ line: 1, col: offset + 1 });
}
