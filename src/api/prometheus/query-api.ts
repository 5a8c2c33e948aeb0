// The Prometheus-compatible query API on a listener, in one plugin: queries, metadata, status and
// (empty) rules. Every endpoint that reads data asks the QueryEngine, never the store.

import type { FastifyInstance } from 'fastify';
import type { QueryEngine } from '../../query/query-engine.ts';
import { type ExpressionSyntax, expressionRoutes } from './expression-routes.ts';
import { metadataRoutes } from './metadata-routes.ts';
import { queryRoutes } from './query-routes.ts';
import { rulesRoutes } from './rules-routes.ts';
import { type StatusRoutesOptions, statusRoutes } from './status-routes.ts';

export interface PrometheusQueryApiOptions {
  readonly engine: QueryEngine;
  readonly status: StatusRoutesOptions;
  /** The PromQL parser, for format_query, parse_query and query_exemplars (not served without it). */
  readonly syntax?: ExpressionSyntax;
  /** The clock for instant queries without `time` (tests pin it). */
  readonly now?: () => number;
  /** Told of every answered request: the route (`/api/v1/query`, …), its status code and seconds taken. */
  readonly observe?: (endpoint: string, code: number, seconds: number) => void;
}

export async function prometheusQueryApi(
  app: FastifyInstance,
  opts: PrometheusQueryApiOptions,
): Promise<void> {
  const observe = opts.observe;
  if (observe !== undefined)
    app.addHook('onResponse', async (req, reply) => {
      observe(req.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
    });
  await app.register(queryRoutes, { engine: opts.engine, now: opts.now });
  await app.register(metadataRoutes, { engine: opts.engine });
  if (opts.syntax !== undefined) await app.register(expressionRoutes, { syntax: opts.syntax });
  await app.register(statusRoutes, opts.status);
  await app.register(rulesRoutes);
}
