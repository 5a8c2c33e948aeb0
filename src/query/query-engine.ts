// The one interface every query surface (the Prometheus API, the UI, rules, the mirror, MAS) uses:
// answered by the local PromQL engine over the embedded store, or by an upstream Prometheus-compatible
// server. Errors are QueryError, so each surface can map them to its own error shape.

import type { Labels } from '../model/labels.ts';
import type { MetricMetadata } from '../model/metadata.ts';
import type { QueryOutcome } from '../promql/value.ts';

export type QueryErrorType = 'bad_data' | 'execution' | 'canceled' | 'timeout' | 'internal' | 'unavailable';

export class QueryError extends Error {
  readonly type: QueryErrorType;
  constructor(type: QueryErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

export interface QueryOptions {
  /** Per-query timeout in ms (capped by the engine's own limit). */
  readonly timeoutMs?: number;
  readonly lookbackDeltaMs?: number;
  /** Cancels the query when aborted (e.g. the HTTP client went away). */
  readonly signal?: AbortSignal;
  /** At most this many series in the result (Prometheus' `limit`); 0 = no limit. */
  readonly limit?: number;
}

/** A time range and optional series selectors (the `match[]` of the metadata endpoints). */
export interface SeriesQuery {
  /** PromQL series selectors; empty = every series (labels / label values only). */
  readonly match: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  /** 0 = no limit. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export interface MetadataQuery {
  /** Only this metric, when set. */
  readonly metric?: string;
  /** At most this many metrics; 0 = no limit. */
  readonly limit?: number;
  /** At most this many entries per metric; 0 = no limit. */
  readonly limitPerMetric?: number;
  readonly signal?: AbortSignal;
}

export interface QueryEngine {
  instant(query: string, timeMs: number, options?: QueryOptions): Promise<QueryOutcome>;
  range(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options?: QueryOptions,
  ): Promise<QueryOutcome>;
  series(q: SeriesQuery): Promise<Labels[]>;
  labelNames(q: SeriesQuery): Promise<string[]>;
  labelValues(name: string, q: SeriesQuery): Promise<string[]>;
  metadata(q: MetadataQuery): Promise<Map<string, MetricMetadata[]>>;
}
