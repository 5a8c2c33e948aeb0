// The fast lane: POST routes answered straight from node's `request` event, ahead of Fastify, for
// the ingest endpoints that take thousands of requests a second (remote_write). Fastify's work per
// request — its request and reply objects, a child logger, hooks, the body parser — cost 5–10 % of
// the main thread's time per 1,000-sample remote_write request in `bench ingest` (two A/B runs),
// and ingest at that rate is bound by the main thread. Here a request costs a map lookup and its
// body's chunks.
//
// A lane route is a Fastify route too, with the same handler (laneRoute): that is what
// app.inject(), other methods and a server without a lane reach, so both answer alike. What
// Fastify does for every route is done here the same way: the body limit (413), 503 once the
// server is closing, a handler's error as 500 with its message (logged).

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** A request as a lane handler sees it. */
export interface LaneRequest {
  readonly headers: IncomingHttpHeaders;
  /** The body's bytes; undefined when Fastify found no body to parse (no Content-Type). */
  readonly body: Buffer | undefined;
  readonly log: FastifyBaseLogger;
}

/** The answer: a status, headers, and a plain-text body when there is one. */
export interface LaneAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly text?: string;
}

export type LaneHandler = (req: LaneRequest) => Promise<LaneAnswer>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's fast lane (see fast-lane.ts); absent on an app made without createApp. */
    fastLane?: FastLane;
  }
}

/** What Fastify answers while closing (return503OnClosing), byte for byte. */
const CLOSING_BODY = '{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}';

export class FastLane {
  readonly #routes = new Map<string, LaneHandler>();
  readonly #bodyLimit: number;
  readonly #log: FastifyBaseLogger;
  /** Set when the server starts closing: new requests get 503, as Fastify's own routes do. */
  closing = false;

  constructor(bodyLimit: number, log: FastifyBaseLogger) {
    this.#bodyLimit = bodyLimit;
    this.#log = log;
  }

  /** Answers POSTs to `path` (the query string aside) with `handler`. */
  post(path: string, handler: LaneHandler): void {
    this.#routes.set(path, handler);
  }

  /** Takes `req` when it is a POST to a lane route (true), else leaves it to Fastify (false). */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const handler = this.#routes.get(query < 0 ? url : url.slice(0, query));
    if (handler === undefined) return false;
    if (this.closing) {
      res.writeHead(503, {
        'Content-Type': 'application/json',
        'Content-Length': String(CLOSING_BODY.length),
        Connection: 'close',
      });
      res.end(CLOSING_BODY);
      return true;
    }
    const limit = this.#bodyLimit;
    if (Number(req.headers['content-length']) > limit) {
      tooLarge(res);
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // A body without a length that outgrows the limit: answer now and drop the connection.
        if (!res.headersSent) tooLarge(res);
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      void this.#answer(handler, req, res, body);
    });
    // An aborted request has no one to answer; its socket is gone.
    req.on('error', () => {});
    return true;
  }

  async #answer(
    handler: LaneHandler,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<void> {
    let answer: LaneAnswer;
    try {
      answer = await handler({ headers: req.headers, body, log: this.#log });
    } catch (err) {
      this.#log.error({ err }, 'request failed');
      answer = { status: 500, text: `${(err as Error).message}\n` };
    }
    if (res.destroyed) return;
    const text = answer.text;
    if (text === undefined) res.writeHead(answer.status, answer.headers);
    else {
      res.writeHead(answer.status, {
        ...answer.headers,
        'Content-Type': 'text/plain',
        'Content-Length': String(Buffer.byteLength(text)),
      });
    }
    res.end(text);
  }
}

const TOO_LARGE = 'Request body is too large\n';

/** Fastify's 413, as the app's error handler words it; the connection is closed after it. */
function tooLarge(res: ServerResponse): void {
  res.writeHead(413, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(TOO_LARGE.length),
    Connection: 'close',
  });
  res.end(TOO_LARGE);
}

/**
 * Registers `handler` for POST `path` as a Fastify route on `app` and, when the server has a fast
 * lane, on the lane. The route takes any body as bytes (the handler checks the type itself).
 */
export function laneRoute(app: FastifyInstance, path: string, handler: LaneHandler): void {
  app.post(path, async (req, reply) => {
    const answer = await handler({
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      log: req.log,
    });
    reply.code(answer.status);
    if (answer.headers !== undefined) reply.headers(answer.headers);
    if (answer.text === undefined) return reply.send();
    return reply.type('text/plain').send(answer.text);
  });
  app.fastLane?.post(path, handler);
}
