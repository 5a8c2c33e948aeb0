// What is stored, as Prometheus' metadata endpoints tell it: `/api/v1/series`, `/api/v1/labels`,
// `/api/v1/label/<name>/values` (match[], start, end, limit) and `/api/v1/metadata` (metric, limit,
// limit_per_metric). All through the QueryEngine.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TRUNCATED_WARNING } from '../../query/limit.ts';
import { type QueryEngine, QueryError, type SeriesQuery } from '../../query/query-engine.ts';
import { ApiError, success } from './envelope.ts';
import { MAX_TIME_MS, MIN_TIME_MS, param, paramValues, timeParam } from './params.ts';
import { limitParam } from './query-params.ts';
import { apiHandler, clientGone, sendJsonChunks } from './respond.ts';
import { labelsJson, listEnvelopeChunks, metadataJson } from './result-json.ts';

export interface MetadataRoutesOptions {
  readonly engine: QueryEngine;
}

export async function metadataRoutes(app: FastifyInstance, opts: MetadataRoutesOptions): Promise<void> {
  const { engine } = opts;

  const series = apiHandler(async (req, reply) => {
    const limit = limitParam(req);
    if (paramValues(req, 'match[]').length === 0)
      throw new ApiError('bad_data', 'no match[] parameter provided');
    const q = seriesQuery(req, limit, clientGone(reply));
    const found = await engine.series(q).catch(prefixMatchError);
    const [list, warnings] = truncated(found, limit);
    return sendJsonChunks(req, reply, listEnvelopeChunks(list, labelsJson, warnings));
  });
  app.get('/api/v1/series', series);
  app.post('/api/v1/series', series);

  const labels = apiHandler(async (req, reply) => {
    const limit = limitParam(req);
    const names = await engine.labelNames(seriesQuery(req, limit, clientGone(reply)));
    const [list, warnings] = truncated(names, limit);
    return sendJsonChunks(req, reply, listEnvelopeChunks(list, JSON.stringify, warnings));
  });
  app.get('/api/v1/labels', labels);
  app.post('/api/v1/labels', labels);

  app.get<{ Params: { name: string } }>(
    '/api/v1/label/:name/values',
    apiHandler(async (req, reply) => {
      const raw = (req.params as { name: string }).name;
      const name = raw.startsWith('U__') ? unescapeLabelName(raw) : raw;
      if (name === '' || !name.isWellFormed())
        throw new ApiError('bad_data', `invalid label name: ${JSON.stringify(name)}`);
      const limit = limitParam(req);
      const values = await engine.labelValues(name, seriesQuery(req, limit, clientGone(reply)));
      const [list, warnings] = truncated(values, limit);
      return sendJsonChunks(req, reply, listEnvelopeChunks(list, JSON.stringify, warnings));
    }),
  );

  app.get(
    '/api/v1/metadata',
    apiHandler(async (req, reply) => {
      const limit = intParam(req, 'limit');
      const limitPerMetric = intParam(req, 'limit_per_metric');
      // Prometheus: a negative limit is none, 0 is an empty answer.
      if (limit === 0) return success(reply, {});
      const found = await engine.metadata({
        metric: param(req, 'metric') || undefined,
        limit: limit > 0 ? limit : 0,
        limitPerMetric: limitPerMetric > 0 ? limitPerMetric : 0,
        signal: clientGone(reply),
      });
      let body = '{"status":"success","data":{';
      let first = true;
      for (const [metric, entries] of found) {
        body += `${first ? '' : ','}${JSON.stringify(metric)}:[${entries.map(metadataJson).join(',')}]`;
        first = false;
      }
      return reply.code(200).type('application/json').send(`${body}}}`);
    }),
  );
}

/** The series query of a request; `limit + 1` is asked for so a cut answer can be told apart. */
function seriesQuery(req: FastifyRequest, limit: number, signal: AbortSignal): SeriesQuery {
  return {
    match: paramValues(req, 'match[]'),
    startMs: timeParam(req, 'start', MIN_TIME_MS),
    endMs: timeParam(req, 'end', MAX_TIME_MS),
    limit: limit > 0 ? limit + 1 : 0,
    signal,
  };
}

function truncated<T>(list: T[], limit: number): [T[], string[]] {
  return limit > 0 && list.length > limit ? [list.slice(0, limit), [TRUNCATED_WARNING]] : [list, []];
}

function prefixMatchError(err: unknown): never {
  if (err instanceof QueryError && err.type === 'bad_data' && !err.message.startsWith('invalid parameter '))
    throw new QueryError('bad_data', `invalid parameter "match[]": ${err.message}`);
  throw err;
}

/** An optional integer parameter (-1 when absent), with the metadata endpoint's message. */
function intParam(req: FastifyRequest, name: string): number {
  const raw = param(req, name);
  if (raw === undefined || raw === '') return -1;
  if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new ApiError('bad_data', `${name} must be a number`);
  return Number(raw);
}

/**
 * Prometheus 3's `U__` escaping of a label name in a URL path: `__` is `_`, `_<hex>_` a code point,
 * anything else itself. A malformed escape leaves the name as it came, as Prometheus does.
 */
export function unescapeLabelName(raw: string): string {
  const s = raw.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '_') {
      out += c;
      continue;
    }
    if (s[i + 1] === '_') {
      out += '_';
      i++;
      continue;
    }
    const close = s.indexOf('_', i + 1);
    const hex = close < 0 ? '' : s.slice(i + 1, close);
    if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) return raw;
    const cp = Number.parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return raw;
    out += String.fromCodePoint(cp);
    i = close;
  }
  return out;
}
