// The QueryEngine over the embedded store: PromQL through the PromqlEngine, series / label names /
// label values through the store's querier, metadata from the store's family map. Every failure
// leaves as a QueryError whose type is the Prometheus API's error type.

import { Labels } from '../model/labels.ts';
import type { MetricMetadata } from '../model/metadata.ts';
import type { EvalOptions, PromqlEngine } from '../promql/engine/engine.ts';
import {
  PromqlCanceledError,
  PromqlEvalError,
  PromqlParseError,
  PromqlTimeoutError,
} from '../promql/errors.ts';
import type { PromqlQuerier } from '../promql/storage.ts';
import type { QueryOutcome } from '../promql/value.ts';
import type { Matcher } from '../tsdb/index/matcher.ts';
import { truncateOutcome } from './limit.ts';
import {
  type MetadataQuery,
  type QueryEngine,
  QueryError,
  type QueryOptions,
  type SeriesQuery,
} from './query-engine.ts';
import { parseMatchSelectors } from './selectors.ts';

/** What a store's reader offers: PromQL's select plus the label indexes. */
export interface LocalQuerier extends PromqlQuerier {
  /** Sorted label names of the series matching `matchers` (all series when absent). */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Sorted distinct values of `name` among the series matching `matchers`. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
}

/** The little the local engine needs from the store (the TimeSeriesDb, or anything alike). */
export interface LocalStore {
  /** A reader of [minT, maxT] (ms, both ends included). */
  querier(minT: number, maxT: number): LocalQuerier;
  /** Family name → its metadata, as the store last received it. */
  metadata(): ReadonlyMap<string, MetricMetadata>;
}

export interface LocalQueryEngineOptions {
  readonly store: LocalStore;
  readonly engine: PromqlEngine;
}

export class LocalQueryEngine implements QueryEngine {
  readonly #store: LocalStore;
  readonly #engine: PromqlEngine;

  constructor(opts: LocalQueryEngineOptions) {
    this.#store = opts.store;
    this.#engine = opts.engine;
  }

  async instant(query: string, timeMs: number, options: QueryOptions = {}): Promise<QueryOutcome> {
    const evalOpts = this.#evalOptions(options);
    try {
      const outcome = await this.#engine.instantQuery(this.#store, query, timeMs, evalOpts);
      return truncateOutcome(outcome, options.limit ?? 0);
    } catch (err) {
      throw toQueryError(err);
    }
  }

  async range(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: QueryOptions = {},
  ): Promise<QueryOutcome> {
    const evalOpts = this.#evalOptions(options);
    try {
      const outcome = await this.#engine.rangeQuery(this.#store, query, startMs, endMs, stepMs, evalOpts);
      return truncateOutcome(outcome, options.limit ?? 0);
    } catch (err) {
      throw toQueryError(err);
    }
  }

  async series(q: SeriesQuery): Promise<Labels[]> {
    const sets = parseMatchSelectors(q.match);
    if (sets.length === 0) throw new QueryError('bad_data', 'no match[] parameter provided');
    const querier = this.#store.querier(q.startMs, q.endMs);
    const byKey = new Map<string, Labels>();
    for (const matchers of sets) {
      checkAborted(q.signal);
      for (const s of querier.select(matchers)) byKey.set(s.labels.key, s.labels);
    }
    // One selector gives a sorted list already; several are merged and re-sorted.
    const out = [...byKey.values()];
    if (sets.length > 1) out.sort(Labels.compare);
    return limited(out, q.limit);
  }

  async labelNames(q: SeriesQuery): Promise<string[]> {
    const querier = this.#store.querier(q.startMs, q.endMs);
    return limited(
      eachSet(q, (m) => (m === undefined ? querier.labelNames() : querier.labelNames(m))),
      q.limit,
    );
  }

  async labelValues(name: string, q: SeriesQuery): Promise<string[]> {
    const querier = this.#store.querier(q.startMs, q.endMs);
    return limited(
      eachSet(q, (m) => (m === undefined ? querier.labelValues(name) : querier.labelValues(name, m))),
      q.limit,
    );
  }

  async metadata(q: MetadataQuery): Promise<Map<string, MetricMetadata[]>> {
    const all = this.#store.metadata();
    const names = q.metric !== undefined && q.metric !== '' ? [q.metric] : [...all.keys()].sort();
    const out = new Map<string, MetricMetadata[]>();
    for (const name of names) {
      if (q.limit !== undefined && q.limit > 0 && out.size >= q.limit) break;
      const meta = all.get(name);
      // The store keeps one entry per family, so limit_per_metric can only ever leave it whole.
      if (meta !== undefined) out.set(name, [meta]);
    }
    return out;
  }

  #evalOptions(options: QueryOptions): EvalOptions {
    checkAborted(options.signal);
    if (options.timeoutMs !== undefined && options.timeoutMs <= 0)
      throw new QueryError('timeout', 'query timed out in query execution');
    return {
      lookbackDeltaMs: options.lookbackDeltaMs,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    };
  }
}

/** Any failure of the PromQL engine, as the API error type Prometheus gives it. */
export function toQueryError(err: unknown): QueryError {
  if (err instanceof QueryError) return err;
  if (err instanceof PromqlParseError) return new QueryError('bad_data', err.message);
  if (err instanceof PromqlEvalError) return new QueryError('execution', err.message);
  if (err instanceof PromqlTimeoutError) return new QueryError('timeout', err.message);
  if (err instanceof PromqlCanceledError) return new QueryError('canceled', err.message);
  // A query nested deeper than the evaluator's stack is the query's fault, not the server's.
  if (err instanceof RangeError && /call stack/i.test(err.message))
    return new QueryError('execution', 'query is nested too deeply to evaluate');
  const message = err instanceof Error ? err.message : String(err);
  return new QueryError('internal', message);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new QueryError('canceled', 'query was canceled');
}

function limited<T>(list: T[], limit: number | undefined): T[] {
  return limit !== undefined && limit > 0 && list.length > limit ? list.slice(0, limit) : list;
}

/** `lookup` over every match[] set (or once with none), as one sorted, distinct list. */
function eachSet(q: SeriesQuery, lookup: (matchers: readonly Matcher[] | undefined) => string[]): string[] {
  const sets = parseMatchSelectors(q.match);
  if (sets.length === 0) return lookup(undefined);
  const lists: string[][] = [];
  for (const m of sets) {
    checkAborted(q.signal);
    lists.push(lookup(m));
  }
  return unionSorted(lists);
}

function unionSorted(lists: readonly string[][]): string[] {
  if (lists.length === 1) return lists[0];
  return [...new Set(lists.flat())].sort();
}
