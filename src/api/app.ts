// Builds an HTTP listener: a Fastify instance with the shared settings (logger, body limit, error
// shape) onto which each surface registers itself as an encapsulated plugin.

import * as http from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { FastLane, plainErrorAnswer, replyWith } from '../http/fast-lane.ts';
import type { Logger } from '../log.ts';

export interface AppOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
}

export function createApp(opts: AppOptions): FastifyInstance {
  const logger = opts.logger as FastifyBaseLogger;
  const lane = new FastLane(opts.bodyLimitBytes, logger);
  const app = Fastify({
    loggerInstance: logger,
    // Per-request lines would drown the log at scrape rates; errors are logged by the handler below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimitBytes,
    // Clients such as Prometheus keep connections alive; don't let them hold up shutdown.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Node's server, as Fastify would make it, with the fast lane ahead of Fastify (fast-lane.ts).
    serverFactory: (handler) => {
      const server = http.createServer((req, res) => {
        if (!lane.dispatch(req, res)) handler(req, res);
      });
      // Fastify's defaults for the server it makes itself.
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = 0;
      return server;
    },
  });
  app.decorate('fastLane', lane);
  app.addHook('preClose', async () => {
    lane.closing = true;
  });
  // Prometheus' API takes form bodies (`match[]` repeated): parse them like a query string.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });
  // Errors are plain text with a message a person can act on, as Prometheus' own endpoints answer.
  // The same wording as the fast lane's routes (plainErrorAnswer).
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    replyWith(reply, plainErrorAnswer(err, logger));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).type('text/plain; charset=utf-8').send(`404 page not found: ${req.method} ${req.url}\n`);
  });
  return app;
}
