// PLACEHOLDER — the evaluator lands here (instant and range queries over a Queryable). The public
// surface below is the contract the test runner, the local QueryEngine and the API rely on.

import type { Expr } from '../ast.ts';
import type { Queryable } from '../storage.ts';
import type { QueryOutcome } from '../value.ts';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus' 5 m). */
  readonly lookbackDeltaMs?: number;
  /** Most samples a query may hold in memory at once (Prometheus' --query.max-samples, 50,000,000). */
  readonly maxSamples?: number;
  /** Default and maximum time a query may run (Prometheus' --query.timeout, 2 m). */
  readonly timeoutMs?: number;
  /** Queries evaluated at once; more wait their turn (Prometheus' --query.max-concurrency, 20). */
  readonly maxConcurrent?: number;
  /** Step of a subquery without one in an instant query (Prometheus' global evaluation interval, 1 m). */
  readonly defaultSubqueryStepMs?: number;
}

export interface EvalOptions {
  readonly lookbackDeltaMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export class PromqlEngine {
  readonly options: Required<EngineOptions>;
  constructor(options: EngineOptions = {}) {
    this.options = {
      lookbackDeltaMs: options.lookbackDeltaMs ?? 300_000,
      maxSamples: options.maxSamples ?? 50_000_000,
      timeoutMs: options.timeoutMs ?? 120_000,
      maxConcurrent: options.maxConcurrent ?? 20,
      defaultSubqueryStepMs: options.defaultSubqueryStepMs ?? 60_000,
    };
  }

  async instantQuery(
    _store: Queryable,
    _query: string | Expr,
    _timeMs: number,
    _opts: EvalOptions = {},
  ): Promise<QueryOutcome> {
    throw new Error('not implemented yet');
  }

  async rangeQuery(
    _store: Queryable,
    _query: string | Expr,
    _startMs: number,
    _endMs: number,
    _stepMs: number,
    _opts: EvalOptions = {},
  ): Promise<QueryOutcome> {
    throw new Error('not implemented yet');
  }
}
