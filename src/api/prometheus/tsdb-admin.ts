// Store status and administration, as Prometheus serves them: `GET /api/v1/status/tsdb`, and the
// admin endpoints `POST|PUT /api/v1/admin/tsdb/snapshot` and `…/delete_series`.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TimeSeriesDb } from '../../tsdb/db/db.ts';
import { ApiError, failure, success } from './envelope.ts';
import { MAX_TIME_MS, MIN_TIME_MS, matchParams, param, timeParam } from './params.ts';

export interface TsdbAdminOptions {
  readonly db: TimeSeriesDb;
}

export async function tsdbAdminRoutes(app: FastifyInstance, opts: TsdbAdminOptions): Promise<void> {
  const guard =
    (fn: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(req, reply);
      } catch (err) {
        if (err instanceof ApiError) return failure(reply, err);
        throw err;
      }
    };

  app.get(
    '/api/v1/status/tsdb',
    guard((req, reply) => {
      const raw = param(req, 'limit') ?? '10';
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit <= 0)
        throw new ApiError('bad_data', `limit must be a positive number, got "${raw}"`);
      return success(reply, opts.db.status(limit));
    }),
  );

  const snapshot = guard(async (req, reply) => {
    const skipHead = ['true', '1'].includes(param(req, 'skip_head') ?? 'false');
    return success(reply, { name: await opts.db.snapshot(skipHead) });
  });
  app.post('/api/v1/admin/tsdb/snapshot', snapshot);
  app.put('/api/v1/admin/tsdb/snapshot', snapshot);

  const deleteSeries = guard(async (req, reply) => {
    const selectors = matchParams(req);
    const start = timeParam(req, 'start', MIN_TIME_MS);
    const end = timeParam(req, 'end', MAX_TIME_MS);
    for (const matchers of selectors) await opts.db.deleteSeries(matchers, start, end);
    return reply.code(204).send();
  });
  app.post('/api/v1/admin/tsdb/delete_series', deleteSeries);
  app.put('/api/v1/admin/tsdb/delete_series', deleteSeries);
}
