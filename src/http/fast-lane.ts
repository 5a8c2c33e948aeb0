// The fast lane: POST routes answered straight from node's `request` event, ahead of Fastify, for
// the ingest endpoints that take thousands of requests a second (remote_write, Influx writes).
// Fastify's work per request — its request and reply objects, a child logger, hooks, the body
// parser — cost 0–12 % of the main thread's time per 1,000-sample remote_write request in four A/B
// runs of `bench ingest` (about 25–45 µs of CPU per request outside it), and ingest at that rate is
// bound by the main thread. Here a request costs a map lookup and its body's chunks.
//
// A lane route is a Fastify route too, with the same handler (laneRoute): that is what
// app.inject(), other methods and a server without a lane reach, so both answer alike. What
// Fastify does for every route is done here the same way: the body limit (413), 503 once the
// server is closing, a handler's error as 500 with its message (logged) — or, for a route with an
// error handler of its own (`onError`, which its Fastify twin's setErrorHandler also uses), as that
// handler words them.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';

/** A request as a lane handler sees it. */
export interface LaneRequest {
  readonly headers: IncomingHttpHeaders;
  /** The query string's parameters, as Fastify parses them (a repeated one as an array). */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  /** The body's bytes; undefined when Fastify found no body to parse (no Content-Type). */
  readonly body: Buffer | undefined;
  readonly log: FastifyBaseLogger;
}

/** The answer: a status, headers, and a body — plain text, or a value sent as JSON. */
export interface LaneAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly json?: unknown;
}

export type LaneHandler = (req: LaneRequest) => Promise<LaneAnswer>;

/** An error raised before or by the handler: Fastify's shape (413's `statusCode`, or none: 500). */
export type LaneError = Error & { statusCode?: number };

/** How a route words an error; the same function serves its Fastify twin's setErrorHandler. */
export type LaneErrorAnswer = (err: LaneError, log: FastifyBaseLogger) => LaneAnswer;

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's fast lane (see fast-lane.ts); absent on an app made without createApp. */
    fastLane?: FastLane;
  }
}

interface Route {
  readonly handler: LaneHandler;
  readonly onError: LaneErrorAnswer;
}

/** What Fastify answers while closing (return503OnClosing), byte for byte. */
const CLOSING_BODY = '{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}';
/** Fastify's message for a body over the limit. */
const TOO_LARGE = 'Request body is too large';
const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

/** The listener's error shape (app.ts uses it too): plain text with the message; 5xx logged. */
export const plainErrorAnswer: LaneErrorAnswer = (err, log) => {
  const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
  if (status >= 500) log.error({ err }, 'request failed');
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    text: `${err.message}\n`,
  };
};

export class FastLane {
  readonly #routes = new Map<string, Route>();
  readonly #bodyLimit: number;
  readonly #log: FastifyBaseLogger;
  /** Set when the server starts closing: new requests get 503, as Fastify's own routes do. */
  closing = false;

  constructor(bodyLimit: number, log: FastifyBaseLogger) {
    this.#bodyLimit = bodyLimit;
    this.#log = log;
  }

  /** Answers POSTs to `path` (the query string aside) with `handler`. */
  post(path: string, handler: LaneHandler, onError: LaneErrorAnswer = plainErrorAnswer): void {
    this.#routes.set(path, { handler, onError });
  }

  /** Takes `req` when it is a POST to a lane route (true), else leaves it to Fastify (false). */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = this.#routes.get(q < 0 ? url : url.slice(0, q));
    if (route === undefined) return false;
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
      this.#tooLarge(route, res);
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // A body without a length that outgrows the limit: answer now and drop the connection.
        if (!res.headersSent) this.#tooLarge(route, res);
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      const query = q < 0 ? NO_QUERY : parseQuery(url.slice(q + 1));
      void this.#answer(route, { headers: req.headers, query, body, log: this.#log }, res);
    });
    // An aborted request has no one to answer; its socket is gone.
    req.on('error', () => {});
    return true;
  }

  async #answer(route: Route, req: LaneRequest, res: ServerResponse): Promise<void> {
    try {
      let answer: LaneAnswer;
      try {
        answer = await route.handler(req);
      } catch (err) {
        answer = route.onError(err as LaneError, this.#log);
      }
      if (!res.destroyed) send(res, answer);
    } catch (err) {
      // The answer could not be written (a bug): drop the connection rather than the process.
      this.#log.error({ err }, 'request failed: could not answer');
      res.destroy();
    }
  }

  /** The route's 413; the connection is closed after it (the rest of the body is not read). */
  #tooLarge(route: Route, res: ServerResponse): void {
    res.setHeader('Connection', 'close');
    send(res, route.onError(Object.assign(new Error(TOO_LARGE), { statusCode: 413 }), this.#log));
  }
}

/** Writes `answer` as Fastify would send it. */
function send(res: ServerResponse, answer: LaneAnswer): void {
  let body: string | undefined;
  let type: string | undefined;
  if (answer.text !== undefined) {
    body = answer.text;
    type = 'text/plain';
  } else if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    type = 'application/json; charset=utf-8';
  }
  if (body === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, {
    'Content-Type': type,
    ...answer.headers,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Sends `answer` with Fastify's reply (the lane route's Fastify twin, its error handler). */
export function replyWith(reply: FastifyReply, answer: LaneAnswer): FastifyReply {
  reply.code(answer.status);
  if (answer.headers !== undefined) reply.headers(answer.headers);
  if (answer.text !== undefined) {
    if (!reply.hasHeader('content-type')) reply.type('text/plain');
    return reply.send(answer.text);
  }
  return reply.send(answer.json);
}

/**
 * Registers `handler` for POST `path` as a Fastify route on `app` and, when the server has a fast
 * lane, on the lane, with `onError` wording its errors there (on the Fastify route, errors go to
 * the plugin's error handler, which should use the same function). The Fastify route needs a
 * content-type parser that gives bodies as bytes.
 */
export function laneRoute(
  app: FastifyInstance,
  path: string,
  handler: LaneHandler,
  onError: LaneErrorAnswer = plainErrorAnswer,
): void {
  app.post(path, async (req, reply) => {
    const answer = await handler({
      headers: req.headers,
      query: req.query as LaneRequest['query'],
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      log: req.log,
    });
    return replyWith(reply, answer);
  });
  app.fastLane?.post(app.prefix + path, handler, onError);
}
