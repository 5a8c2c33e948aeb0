// Picks the QueryEngine the config asks for: the local PromQL engine over the store, or the
// upstream Prometheus-compatible server when `query.upstream.url` is set.

import { PromqlEngine } from '../promql/engine/engine.ts';
import type { QueryConfig } from './config.ts';
import { LocalQueryEngine, type LocalStore } from './local-engine.ts';
import type { QueryEngine } from './query-engine.ts';
import { UpstreamQueryEngine } from './upstream-engine.ts';

export interface CreatedQueryEngine {
  readonly engine: QueryEngine;
  /** `local`, or the upstream's URL. */
  readonly source: string;
  close(): void;
}

export function createQueryEngine(
  config: QueryConfig,
  store: LocalStore,
  opts: { userAgent?: string; env?: NodeJS.ProcessEnv } = {},
): CreatedQueryEngine {
  if (config.upstream.url !== '') {
    const engine = UpstreamQueryEngine.fromConfig(config.upstream, {
      defaultTimeoutMs: config.timeout,
      userAgent: opts.userAgent,
      env: opts.env,
    });
    return { engine, source: config.upstream.url, close: () => engine.close() };
  }
  const promql = new PromqlEngine({
    lookbackDeltaMs: config.lookback_delta,
    maxSamples: config.max_samples,
    timeoutMs: config.timeout,
    maxConcurrent: config.max_concurrency,
  });
  return { engine: new LocalQueryEngine({ store, engine: promql }), source: 'local', close: () => {} };
}
