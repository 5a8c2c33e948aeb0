// Liveness and readiness, as Prometheus serves them: /-/healthy answers while the process runs,
// /-/ready only once every listener is bound (and again 503 while shutting down).
// Fastify answers HEAD for every GET route by itself.

import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
  readonly isReady: () => boolean;
}

export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  const healthy = async () => 'telemux is Healthy.\n';
  app.get('/-/healthy', healthy);
  const ready = async (_req: unknown, reply: { code(n: number): unknown }) => {
    if (opts.isReady()) return 'telemux is Ready.\n';
    reply.code(503);
    return 'telemux is not ready.\n';
  };
  app.get('/-/ready', ready);
}
