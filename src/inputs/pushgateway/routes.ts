// The Pushgateway's HTTP API as a Fastify plugin:
//   PUT|POST|DELETE /metrics/job/<job>{/<label>/<value>}   (and `@base64` names)
//   GET /api/v1/metrics, GET /api/v1/status, PUT /api/v1/admin/wipe
// plus telemux's extensions: `X-Telemux-TTL` on pushes, POST /api/v1/push (several groups in one
// request) and DELETE /api/v1/groups?match[]=… (delete by label matchers). Bodies are text 0.0.4 or
// delimited protobuf, optionally gzip- or snappy-compressed. 200 for a push, 202 for a delete or a
// wipe, 400 with the reason as plain text for anything malformed or inconsistent.

import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ExpositionParseError } from '../../format/exposition/errors.ts';
import type { MetricFamily } from '../../format/exposition/family.ts';
import { parseExpositionDetailed } from '../../format/exposition/parser.ts';
import { snappyUncompress } from '../../format/remote-write/snappy.ts';
import { parseDuration } from '../../model/duration.ts';
import { parseSeriesSelector } from '../../promql/series-selector.ts';
import type { Matcher } from '../../tsdb/index/matcher.ts';
import { GroupingKeyError, type GroupingLabels, parseGroupingPath } from './grouping.ts';
import { loadSnapshot, PushPersistence } from './persistence.ts';
import { decodeDelimitedMetricFamilies, ProtobufDecodeError } from './protobuf.ts';
import { PushConsistencyError, type PushGroupStore, type PushMethod, type PushRequest } from './store.ts';

export const TTL_HEADER = 'x-telemux-ttl';
const PROTO_MEDIA_TYPE = 'application/vnd.google.protobuf';
const PROTO_MESSAGE = 'io.prometheus.client.MetricFamily';

export interface PushgatewayRouteOptions {
  readonly store: PushGroupStore;
  /** Largest body after decompression, in bytes. Default 64 MiB. */
  readonly maxDecompressedBytes?: number;
  /** Serve `PUT /api/v1/admin/wipe` (the Pushgateway needs `--web.enable-admin-api`). Default true. */
  readonly enableAdminApi?: boolean;
  /** Persist the store to this file ('' or undefined: memory only); loaded when the plugin registers. */
  readonly persistenceFile?: string;
  /** Minimum time between two writes of the persistence file. Default 5 minutes. */
  readonly persistenceIntervalMs?: number;
  /** How often expired groups are swept (they are also dropped whenever read). Default 15 s. */
  readonly expirySweepMs?: number;
  /** Shown by `GET /api/v1/status`. */
  readonly version?: string;
  readonly flags?: Readonly<Record<string, string>>;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function pushgatewayRoutes(app: FastifyInstance, opts: PushgatewayRouteOptions): Promise<void> {
  const { store } = opts;
  const maxBytes = opts.maxDecompressedBytes ?? 64 * 1024 * 1024;
  const startTime = new Date().toISOString();

  if (opts.persistenceFile) {
    const n = await loadSnapshot(store, opts.persistenceFile);
    app.log.info({ groups: n, file: opts.persistenceFile }, 'pushgateway: groups loaded');
    const persistence = new PushPersistence(store, {
      file: opts.persistenceFile,
      intervalMs: opts.persistenceIntervalMs ?? 5 * 60_000,
      onError: (err) => app.log.error({ err }, 'pushgateway: could not write the persistence file'),
    });
    persistence.start();
    app.addHook('onClose', async () => persistence.close());
  }
  const sweep = setInterval(() => store.expire(), opts.expirySweepMs ?? 15_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith(`${app.prefix}/api/v1/`)) {
      reply.header('Access-Control-Allow-Origin', '*');
      reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      reply.header('Access-Control-Allow-Headers', 'Accept, Authorization, Content-Type, Origin');
      reply.header('Access-Control-Expose-Headers', 'Date');
    }
  });

  const pushHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    let labels: GroupingLabels;
    try {
      labels = groupingFromUrl(req.raw.url ?? req.url, app.prefix);
    } catch (err) {
      if (!(err instanceof GroupingKeyError)) throw err;
      return badRequest(req, reply, err.message);
    }
    if (req.method === 'DELETE') {
      store.delete(labels);
      return reply.code(202).send();
    }
    try {
      const ttlMs = parseTtlHeader(req.headers[TTL_HEADER]);
      const body = decodeBody(req, maxBytes);
      let families: MetricFamily[];
      try {
        families = parseBody(body, req.headers['content-type']);
      } catch (err) {
        // Duplicates get past the parser (as dropped samples) but not the Pushgateway's gather.
        if (err instanceof DuplicateSampleError) store.recordFailure(labels, ttlMs);
        throw err;
      }
      store.push({ labels, method: req.method as PushMethod, families, ttlMs });
    } catch (err) {
      if (err instanceof BadRequest) return badRequest(req, reply, err.message, err.status);
      if (err instanceof PushConsistencyError || err instanceof DuplicateSampleError)
        return badRequest(req, reply, err.message);
      throw err;
    }
    return reply.code(200).send();
  };
  for (const prefix of ['/metrics/job/*', '/metrics/job@base64/*']) {
    app.route({ method: ['PUT', 'POST', 'DELETE'], url: prefix, handler: pushHandler });
    app.get(prefix, async (_req, reply) => reply.code(405).type('text/plain').send('Method Not Allowed\n'));
  }

  app.get('/api/v1/metrics', async () => ({ status: 'success', data: store.apiMetrics() }));

  app.get('/api/v1/status', async () => ({
    status: 'success',
    data: {
      build_information: { version: opts.version ?? 'telemux', branch: '', revision: '', goVersion: '' },
      flags: {
        'web.enable-admin-api': String(opts.enableAdminApi ?? true),
        'persistence.file': opts.persistenceFile ?? '',
        'persistence.interval': `${(opts.persistenceIntervalMs ?? 300_000) / 1000}s`,
        'push.default-ttl': `${store.defaultTtlMs / 1000}s`,
        'push.disable-consistency-check': 'false',
        ...opts.flags,
      },
      start_time: startTime,
    },
  }));

  if (opts.enableAdminApi ?? true) {
    app.put('/api/v1/admin/wipe', async (_req, reply) => {
      store.wipe();
      return reply.code(202).send();
    });
  }

  app.delete('/api/v1/groups', async (req, reply) => {
    const q = req.query as Record<string, string | string[] | undefined>;
    const raw = q['match[]'] ?? q.match;
    const selectors = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (selectors.length === 0) return apiError(reply, 'no match[] parameter given');
    let sets: Matcher[][];
    try {
      sets = selectors.map((s) => parseSeriesSelector(s));
    } catch (err) {
      return apiError(reply, (err as Error).message);
    }
    let deleted = 0;
    for (const matchers of sets) deleted += store.deleteMatching(matchers);
    return { status: 'success', data: { deleted } };
  });

  app.post('/api/v1/push', async (req, reply) => {
    let reqs: PushRequest[];
    try {
      reqs = parseMultiPush(decodeBody(req, maxBytes));
      store.pushMany(reqs);
    } catch (err) {
      if (
        err instanceof BadRequest ||
        err instanceof PushConsistencyError ||
        err instanceof DuplicateSampleError
      ) {
        req.log.warn({ reason: err.message }, 'pushgateway: multi-group push refused');
        return apiError(reply, err.message);
      }
      throw err;
    }
    return { status: 'success', data: { groups: reqs.length } };
  });
}

function badRequest(req: FastifyRequest, reply: FastifyReply, message: string, status = 400) {
  req.log.warn({ reason: message, url: req.url }, 'pushgateway: push refused');
  return reply.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}

function apiError(reply: FastifyReply, message: string) {
  return reply.code(400).send({ status: 'error', errorType: 'bad_data', error: message });
}

/** The grouping labels of a push URL (raw, still percent-encoded, so `%2F` stays inside a value). */
export function groupingFromUrl(rawUrl: string, prefix = ''): GroupingLabels {
  const path = rawUrl.split('?')[0];
  const base = `${prefix}/metrics/`;
  if (!path.startsWith(base)) throw new GroupingKeyError(`not a push path: ${path}`);
  return parseGroupingPath(path.slice(base.length));
}

function parseTtlHeader(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const v = Array.isArray(header) ? header[0] : header;
  const ms = parseDuration(v.trim());
  if (typeof ms === 'string') throw new BadRequest(`${TTL_HEADER}: ${ms}`);
  return ms;
}

/** The request body, decompressed per Content-Encoding. */
function decodeBody(req: FastifyRequest, maxBytes: number): Buffer {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === '' || encoding === 'identity') return body;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      return gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new BadRequest(`gzip: ${(err as Error).message}`);
    }
  }
  if (encoding === 'snappy') {
    if (body.length === 0) return body;
    try {
      return Buffer.from(snappyUncompress(body, maxBytes));
    } catch (err) {
      throw new BadRequest((err as Error).message);
    }
  }
  throw new BadRequest(`unsupported Content-Encoding "${encoding}": send gzip, snappy or none`, 415);
}

function isProtobuf(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [media, ...params] = contentType.split(';').map((p) => p.trim());
  if (media.toLowerCase() !== PROTO_MEDIA_TYPE) return false;
  const p = new Map(
    params.map((kv) => {
      const i = kv.indexOf('=');
      return [
        kv.slice(0, i).trim().toLowerCase(),
        kv
          .slice(i + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      ] as const;
    }),
  );
  return p.get('proto') === PROTO_MESSAGE && p.get('encoding') === 'delimited';
}

/** Text 0.0.4 (the fall-back for any Content-Type) or delimited protobuf. */
export function parseBody(body: Buffer, contentType: string | undefined): MetricFamily[] {
  if (isProtobuf(contentType)) {
    try {
      return decodeDelimitedMetricFamilies(body);
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw new BadRequest(err.message);
      throw new BadRequest(`invalid protobuf body: ${(err as Error).message}`);
    }
  }
  return parseText(body);
}

function parseText(body: Buffer): MetricFamily[] {
  if (body.length === 0) return [];
  if (body[body.length - 1] !== 0x0a) {
    let lines = 1;
    for (const b of body) if (b === 0x0a) lines++;
    throw new BadRequest(`text format parsing error in line ${lines}: unexpected end of input stream`);
  }
  let result: ReturnType<typeof parseExpositionDetailed>;
  try {
    result = parseExpositionDetailed(body);
  } catch (err) {
    if (err instanceof ExpositionParseError)
      throw new BadRequest(`text format parsing error in ${err.message}`);
    throw err;
  }
  for (const w of result.warnings) {
    const dup = /^duplicate sample (.*) ignored/.exec(w.message);
    if (dup)
      throw new DuplicateSampleError(
        `pushed metrics are invalid or inconsistent with existing metrics: collected metric ${dup[1]} (line ${w.line}) was collected before with the same name and label values`,
      );
  }
  return result.families;
}

/** A sample repeated in a text body: a consistency failure of the group, as in the Pushgateway. */
class DuplicateSampleError extends Error {}

interface MultiPushEntry {
  labels?: unknown;
  method?: unknown;
  ttl?: unknown;
  text?: unknown;
}

/**
 * `POST /api/v1/push`: `{"groups": [{"labels": {"job": "…", …}, "method": "PUT"|"POST", "ttl": "5m",
 * "text": "<text 0.0.4>"}, …]}` (a bare array is accepted too).
 */
export function parseMultiPush(body: Buffer): PushRequest[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadRequest(`the body is not JSON: ${(err as Error).message}`);
  }
  const entries = Array.isArray(doc) ? doc : (doc as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(entries)) throw new BadRequest('expected {"groups": [...]} or an array of groups');
  return entries.map((e: MultiPushEntry, i): PushRequest => {
    const where = `group ${i}`;
    if (typeof e !== 'object' || e === null) throw new BadRequest(`${where}: not an object`);
    const labels = e.labels;
    if (typeof labels !== 'object' || labels === null)
      throw new BadRequest(`${where}: "labels" must be an object`);
    const rec = labels as Record<string, unknown>;
    if (typeof rec.job !== 'string' || rec.job === '') throw new BadRequest(`${where}: job name is required`);
    let path = `job@base64/${Buffer.from(rec.job).toString('base64url') || '='}`;
    for (const [n, v] of Object.entries(rec)) {
      if (n === 'job') continue;
      if (typeof v !== 'string')
        throw new BadRequest(`${where}: label ${JSON.stringify(n)} must be a string`);
      path += `/${encodeURIComponent(n)}@base64/${Buffer.from(v).toString('base64url') || '='}`;
    }
    let grouping: GroupingLabels;
    try {
      grouping = parseGroupingPath(path);
    } catch (err) {
      throw new BadRequest(`${where}: ${(err as Error).message}`);
    }
    const method = e.method ?? 'PUT';
    if (method !== 'PUT' && method !== 'POST')
      throw new BadRequest(`${where}: "method" must be "PUT" or "POST"`);
    if (e.text !== undefined && typeof e.text !== 'string')
      throw new BadRequest(`${where}: "text" must be a string`);
    let ttlMs: number | undefined;
    if (e.ttl !== undefined) {
      const ms = typeof e.ttl === 'string' ? parseDuration(e.ttl) : 'not a string';
      if (typeof ms === 'string') throw new BadRequest(`${where}: ttl: ${ms}`);
      ttlMs = ms;
    }
    let families: MetricFamily[];
    try {
      families = parseText(Buffer.from((e.text as string | undefined) ?? '', 'utf8'));
    } catch (err) {
      throw new BadRequest(`${where}: ${(err as Error).message}`);
    }
    return { labels: grouping, method, families, ttlMs };
  });
}
