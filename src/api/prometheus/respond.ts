// How the query API's handlers answer: chunked JSON sent as one body when small and streamed (and
// gzipped when the client takes it, as Prometheus does) when large; every failure as the API's error
// envelope with its status code; and a signal that aborts the query when the client goes away.

import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryError } from '../../query/query-engine.ts';
import { ApiError, failure } from './envelope.ts';

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply;

/** A handler whose ApiError / QueryError (or any other failure) becomes the API's error envelope. */
export function apiHandler(fn: Handler): Handler {
  return async (req, reply) => {
    try {
      return await fn(req, reply);
    } catch (err) {
      if (err instanceof ApiError) return failure(reply, err);
      if (err instanceof QueryError) return failure(reply, new ApiError(err.type, err.message));
      req.log.error({ err }, 'query API request failed');
      return failure(reply, new ApiError('internal', err instanceof Error ? err.message : String(err)));
    }
  };
}

/** Aborted when the client closes the connection before the answer is written. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/** Sends JSON produced in chunks: as one body when it is one chunk, else as a stream. */
export function sendJsonChunks(
  req: FastifyRequest,
  reply: FastifyReply,
  chunks: Generator<string | Buffer>,
): FastifyReply {
  reply.code(200).type('application/json');
  const first = chunks.next();
  if (first.done) return reply.send('');
  const second = chunks.next();
  if (second.done) return reply.send(first.value);
  const all = (function* () {
    yield first.value;
    yield second.value;
    yield* chunks;
  })();
  const stream = Readable.from(all);
  if (acceptsGzip(req)) {
    reply.header('content-encoding', 'gzip').header('vary', 'Accept-Encoding');
    // The fastest level: on query results ~10 % larger than the default level, 3× less CPU.
    const gzip = createGzip({ level: 1 });
    // pipeline, not pipe: a failure while writing must end the gzip stream too, not hang it.
    pipeline(stream, gzip, () => {});
    return reply.send(gzip);
  }
  return reply.send(stream);
}

function acceptsGzip(req: FastifyRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/i.test(ae);
}
