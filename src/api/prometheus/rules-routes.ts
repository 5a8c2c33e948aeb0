// `/api/v1/rules` and `/api/v1/alerts`: valid, empty answers in Prometheus' shapes until telemux
// evaluates rules, so Grafana and other clients that ask find nothing rather than an error.

import type { FastifyInstance } from 'fastify';
import { ApiError, failure, success } from './envelope.ts';
import { param } from './params.ts';

export async function rulesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/rules', (req, reply) => {
    const type = (param(req, 'type') ?? '').toLowerCase();
    if (type !== '' && type !== 'alert' && type !== 'record')
      return failure(reply, new ApiError('bad_data', `invalid query parameter type='${type}'`));
    return success(reply, { groups: [] });
  });
  app.get('/api/v1/alerts', (_req, reply) => success(reply, { alerts: [] }));
}
