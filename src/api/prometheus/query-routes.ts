// PromQL over HTTP as Prometheus serves it: `/api/v1/query` (instant) and `/api/v1/query_range`,
// GET or form POST, with Prometheus' parameters, checks and messages. Every query goes through the
// QueryEngine; a client that disconnects cancels its query.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type QueryEngine, QueryError, type QueryOptions } from '../../query/query-engine.ts';
import { ApiError } from './envelope.ts';
import { param, timeParam } from './params.ts';
import { durationParam, limitParam, lookbackDeltaParam, requiredTimeParam } from './query-params.ts';
import { apiHandler, clientGone, sendJsonChunks } from './respond.ts';
import { queryEnvelopeChunks } from './result-json.ts';

export interface QueryRoutesOptions {
  readonly engine: QueryEngine;
  /** The clock for an instant query without `time` (tests pin it). */
  readonly now?: () => number;
}

/** Prometheus' cap on points per series of a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

export async function queryRoutes(app: FastifyInstance, opts: QueryRoutesOptions): Promise<void> {
  const now = opts.now ?? Date.now;

  const instant = apiHandler(async (req, reply) => {
    const limit = limitParam(req);
    const time = timeParam(req, 'time', now());
    const options = queryOptions(req, reply, limit);
    const outcome = await asQueryParam(opts.engine.instant(param(req, 'query') ?? '', time, options));
    return sendJsonChunks(req, reply, queryEnvelopeChunks(outcome));
  });
  app.get('/api/v1/query', instant);
  app.post('/api/v1/query', instant);

  const range = apiHandler(async (req, reply) => {
    const limit = limitParam(req);
    const start = requiredTimeParam(req, 'start');
    const end = requiredTimeParam(req, 'end');
    if (end < start)
      throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
    const stepRaw = param(req, 'step') ?? '';
    const stepMs = durationParam(req, 'step');
    if (stepMs === undefined)
      throw new ApiError(
        'bad_data',
        `invalid parameter "step": cannot parse "${stepRaw}" to a valid duration`,
      );
    // The engine works in whole ms, so a step below 1 ms is as good as zero.
    const step = Math.trunc(stepMs);
    if (!(step > 0))
      throw new ApiError(
        'bad_data',
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if (Math.floor((end - start) / step) > MAX_POINTS_PER_SERIES)
      throw new ApiError(
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    const options = queryOptions(req, reply, limit);
    const outcome = await asQueryParam(
      opts.engine.range(param(req, 'query') ?? '', start, end, step, options),
    );
    return sendJsonChunks(req, reply, queryEnvelopeChunks(outcome));
  });
  app.get('/api/v1/query_range', range);
  app.post('/api/v1/query_range', range);
}

function queryOptions(req: FastifyRequest, reply: FastifyReply, limit: number): QueryOptions {
  const timeoutMs = durationParam(req, 'timeout');
  const lookbackDeltaMs = lookbackDeltaParam(req);
  return { timeoutMs, lookbackDeltaMs, limit, signal: clientGone(reply) };
}

/** A query the engine calls bad is a bad `query` parameter, in Prometheus' words. */
async function asQueryParam<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof QueryError && err.type === 'bad_data' && !err.message.startsWith('invalid parameter '))
      throw new QueryError('bad_data', `invalid parameter "query": ${err.message}`);
    throw err;
  }
}
