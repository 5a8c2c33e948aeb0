// InfluxDB write endpoints, for Telegraf and the InfluxDB client libraries:
// - `POST /write` (InfluxDB 1.x: `db`, `precision` n|ns|u|us|ms|s|m|h, `u`/`p` or basic auth);
// - `POST /api/v2/write` (InfluxDB 2.x: `org`, `bucket`, `precision` ns|us|ms|s, `Authorization: Token`);
// - `GET /ping` (204 with `X-Influxdb-Version`) and `GET /health`, which clients probe.
// Line protocol is mapped to series as VictoriaMetrics does (see mapping.ts and docs/influx.md).
// Writes are partial like InfluxDB's: the valid lines are stored, and when a line is bad the answer
// is 400 naming the first bad line, in the JSON shape of the API that was called. Bodies are
// gunzipped and parsed by parse-task.ts — in the decode pool's worker threads when there is a pool
// (this thread then only appends), else here. The two write endpoints are on the server's fast lane
// (http/fast-lane.ts).

import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { parsePrecision } from '../../format/influx/index.ts';
import {
  type LaneAnswer,
  type LaneErrorAnswer,
  type LaneRequest,
  laneRoute,
  replyWith,
} from '../../http/fast-lane.ts';
import { type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import { rejectionMessage } from '../../tsdb/head/append-status.ts';
import type { Appendable } from '../../tsdb/storage.ts';
import { PoolClosedError, WorkerCrashedError, type WorkerPool } from '../../workers/pool.ts';
import { siblingModule } from '../../workers/thread.ts';
import { appendIdRows } from '../decoding/append-rows.ts';
import { taskRunner } from '../decoding/runner.ts';
import { SeriesTables } from '../decoding/series-ids.ts';
import { DEFAULT_INFLUX_MAX_LINE_BYTES } from './config.ts';
import { createTaskHandler, INFLUX_TASK, type InfluxBatch, type InfluxTask } from './parse-task.ts';

export const INFLUX_DROP_REASONS = [
  'bad_line',
  'bad_request',
  'string_field',
  'out_of_order',
  'too_old',
  'duplicate_timestamp',
  'invalid_timestamp',
  'series_limit',
] as const;

/** The version reported by `/ping` and `/health`: an InfluxDB 1.8-compatible write API. */
export const INFLUX_COMPAT_VERSION = '1.8.10';

export interface InfluxAuth {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
}

export interface InfluxOptions {
  readonly storage: Appendable;
  readonly inputMetrics: InputMetrics;
  /** Credentials; when all are empty or absent, requests are not checked. */
  readonly auth?: InfluxAuth;
  /** Longest accepted line in bytes (default 256 KiB). */
  readonly maxLineBytes?: number;
  /** Largest body after gunzip, in bytes (default 64 MiB). */
  readonly maxDecompressedBytes?: number;
  /** Clock for lines without a timestamp (ms). */
  readonly now?: () => number;
  /** Parse bodies larger than `inlineMaxBytes` in these worker threads; all in this thread when absent. */
  readonly decodePool?: WorkerPool;
  /** Largest body parsed in this thread when there is a pool (default 512 KiB, ~5,000 lines). */
  readonly inlineMaxBytes?: number;
}

type Api = 'v1' | 'v2';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Default of InfluxOptions.inlineMaxBytes. */
const INLINE_MAX_BYTES = 512 * 1024;

export async function influxRoutes(app: FastifyInstance, opts: InfluxOptions): Promise<void> {
  const pool = opts.decodePool;
  const parse = taskRunner<InfluxTask, InfluxBatch>(
    pool,
    INFLUX_TASK,
    siblingModule(import.meta.url, './parse-task'),
    createTaskHandler,
    opts.inlineMaxBytes ?? INLINE_MAX_BYTES,
  );
  // The store's series per series id, for each worker (see ../decoding/series-ids.ts).
  const tables = new SeriesTables();
  pool?.onWorkerGone((worker) => tables.forget(worker));
  const now = opts.now ?? Date.now;
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_INFLUX_MAX_LINE_BYTES;
  const maxDecompressed = opts.maxDecompressedBytes ?? 64 * 1024 * 1024;
  const counters = inputCounters(opts.inputMetrics, 'influx', INFLUX_DROP_REASONS);
  const auth = normaliseAuth(opts.auth);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Errors raised before the handler (body too large, …) in the JSON shape InfluxDB clients read.
  const errorAnswer =
    (api: Api): LaneErrorAnswer =>
    (err, log) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) log.error({ err }, 'influx: request failed');
      else if (status !== 401) counters.dropped.bad_request.inc();
      const code = status === 413 ? 'request too large' : status >= 500 ? 'internal error' : 'invalid';
      return failure(api, status, code, err.message);
    };
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) =>
    replyWith(reply, errorAnswer(req.url.startsWith('/api/v2/') ? 'v2' : 'v1')(err, req.log)),
  );

  const write =
    (api: Api) =>
    async (req: LaneRequest): Promise<LaneAnswer> => {
      const q = req.query;
      try {
        if (auth !== undefined && !authorised(req.headers, q, api, auth))
          throw new HttpError(401, 'unauthorized', 'unauthorized access');
        const rawPrecision = first(q.precision);
        const precision = parsePrecision(rawPrecision, api);
        if (precision === undefined)
          throw new HttpError(
            400,
            'invalid',
            `invalid precision "${rawPrecision}": use ${api === 'v1' ? 'n, u, ms, s, m or h' : 'ns, us, ms or s'}`,
          );
        const db = first(api === 'v1' ? q.db : q.bucket) ?? '';
        return await store(req, api, { ...bodyOf(req), precision, maxLineBytes, db, defaultTs: now() });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        if (err.status !== 401) counters.dropped.bad_request.inc();
        return failure(api, err.status, err.code, err.message);
      }
    };

  const store = async (
    req: LaneRequest,
    api: Api,
    task: Omit<InfluxTask, 'maxDecompressedBytes'>,
  ): Promise<LaneAnswer> => {
    let result: Awaited<ReturnType<typeof parse>>;
    try {
      result = await parse({ ...task, maxDecompressedBytes: maxDecompressed });
    } catch (err) {
      if (!(err instanceof WorkerCrashedError || err instanceof PoolClosedError)) throw err;
      req.log.warn({ err }, 'influx: the parse worker stopped; nothing was stored');
      const message = 'the parser stopped while reading this request; nothing was stored; retry';
      return failure(api, 503, 'unavailable', message);
    }
    const table = tables.for(result.worker);
    const batch = result.value;
    const appender = opts.storage.appender();
    let accepted = 0;
    try {
      // Definitions first, whatever the outcome: later batches of this worker use the ids.
      table.define(batch.defs);
      if (!batch.ok) throw new HttpError(batch.status, batch.code, batch.message);
      const { ids, timestamps: ts, values: vs } = batch;
      accepted = appendIdRows(appender, table, { ids, ts, vs }, counters.dropped);
    } finally {
      // The appender has copied what it keeps.
      result.release();
    }
    try {
      await appender.commit();
    } catch (err) {
      req.log.error({ err }, 'influx: could not write to the WAL');
      return failure(api, 500, 'internal error', 'storage error: the write was not stored; retry');
    }
    counters.received.inc(accepted);
    if (batch.strings > 0) counters.dropped.string_field.inc(batch.strings);
    if (batch.badLines > 0) counters.dropped.bad_line.inc(batch.badLines);
    if (batch.firstBad !== undefined) {
      const more = batch.badLines > 1 ? ` (and ${batch.badLines - 1} more bad lines)` : '';
      return failure(
        api,
        400,
        'invalid',
        `partial write: unable to parse ${batch.firstBad}${more}; ${accepted} samples from the valid lines were stored`,
      );
    }
    const r = appender.firstRejected;
    if (r !== undefined)
      return failure(
        api,
        400,
        'invalid',
        `partial write: ${rejectionMessage(r.status)}: ${r.labels} @ ${r.t}; the other samples were stored`,
      );
    return NO_CONTENT;
  };

  laneRoute(app, '/write', write('v1'), errorAnswer('v1'));
  laneRoute(app, '/api/v2/write', write('v2'), errorAnswer('v2'));

  app.get('/ping', async (req, reply) => {
    reply.header('X-Influxdb-Version', INFLUX_COMPAT_VERSION).header('X-Influxdb-Build', 'OSS');
    const verbose = first((req.query as Record<string, string | string[] | undefined>).verbose);
    if (verbose === 'true' || verbose === '1')
      return reply.code(200).send({ version: INFLUX_COMPAT_VERSION });
    return reply.code(204).send();
  });
  app.get('/health', async (_req, reply) =>
    reply.code(200).send({
      name: 'influxdb',
      message: 'ready for writes',
      status: 'pass',
      checks: [],
      version: INFLUX_COMPAT_VERSION,
      commit: 'telemux',
    }),
  );
}

const NO_CONTENT: LaneAnswer = { status: 204 };

/** v2: `{"code","message"}`; v1: `{"error"}` (and `X-Influxdb-Error`, as InfluxDB 1.x sends). */
function failure(api: Api, status: number, code: string, message: string): LaneAnswer {
  const headers: Record<string, string> = { 'X-Influxdb-Version': INFLUX_COMPAT_VERSION };
  if (status === 401 && api === 'v1') headers['WWW-Authenticate'] = 'Basic realm="InfluxDB"';
  if (api === 'v1') {
    headers['X-Influxdb-Error'] = message.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
    return { status, headers, json: { error: message } };
  }
  return { status, headers, json: { code, message } };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The raw body and whether it is gzipped; other encodings are refused (415). */
function bodyOf(req: LaneRequest): { body: Buffer; gzip: boolean } {
  const body = req.body ?? Buffer.alloc(0);
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return { body, gzip: false };
  if (encoding !== 'gzip')
    throw new HttpError(
      415,
      'unsupported media type',
      `unsupported Content-Encoding "${encoding}": use gzip or none`,
    );
  return { body, gzip: true };
}

interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly token: string;
}

function normaliseAuth(auth: InfluxAuth | undefined): Credentials | undefined {
  const c = { username: auth?.username ?? '', password: auth?.password ?? '', token: auth?.token ?? '' };
  return c.username === '' && c.password === '' && c.token === '' ? undefined : c;
}

/**
 * Accepted credentials: `Authorization: Token <token>` (or `Bearer`) on both APIs, also
 * `Token <username>:<password>` (InfluxDB 2's v1 compatibility); on v1, `u`/`p` query parameters or
 * basic auth with the configured username and password, or with the token as the password.
 */
function authorised(
  headers: IncomingHttpHeaders,
  q: LaneRequest['query'],
  api: Api,
  c: Credentials,
): boolean {
  const header = headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = space < 0 ? '' : header.slice(0, space).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'token' || scheme === 'bearer') {
    if (c.token !== '' && safeEqual(value, c.token)) return true;
    if (c.username !== '' && safeEqual(value, `${c.username}:${c.password}`)) return true;
    return false;
  }
  if (api === 'v2') return false;
  let user: string | undefined;
  let pass: string | undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    user = decoded.slice(0, colon);
    pass = decoded.slice(colon + 1);
  } else {
    user = first(q.u);
    pass = first(q.p);
  }
  if (pass === undefined) return false;
  if (c.token !== '' && safeEqual(pass, c.token)) return true;
  return c.username !== '' && safeEqual(user ?? '', c.username) && safeEqual(pass, c.password);
}

/** Constant-time comparison (for equal lengths; a length mismatch is simply false). */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
