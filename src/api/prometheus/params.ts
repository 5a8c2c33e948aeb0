// Request parameters as Prometheus' API reads them: from the query string or a form body, times as
// RFC 3339 or Unix seconds with decimals, `match[]` repeated.

import type { FastifyRequest } from 'fastify';
import { parseSeriesSelector, SelectorParseError } from '../../promql/series-selector.ts';
import type { Matcher } from '../../tsdb/index/matcher.ts';
import { ApiError } from './envelope.ts';

/** Defaults of open ranges (Prometheus uses the int64 extremes; these are JS's safe ones). */
export const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

/** All values of a parameter, query string and form body together. */
export function paramValues(req: FastifyRequest, name: string): string[] {
  const out: string[] = [];
  for (const src of [req.query, req.body]) {
    if (src === null || typeof src !== 'object') continue;
    const v = (src as Record<string, unknown>)[name];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

export function param(req: FastifyRequest, name: string): string | undefined {
  return paramValues(req, name)[0];
}

/** A time parameter in ms; `def` when absent. */
export function timeParam(req: FastifyRequest, name: string, def: number): number {
  const raw = param(req, name);
  if (raw === undefined || raw === '') return def;
  const ms = parseTime(raw);
  if (ms === undefined)
    throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
  return ms;
}

export function parseTime(s: string): number | undefined {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : undefined;
  }
  // RFC 3339 as Go's time.RFC3339Nano reads it: seconds and a zone are required.
  if (!/^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Every `match[]` selector, parsed; at least one required. */
export function matchParams(req: FastifyRequest, required = true): Matcher[][] {
  const raw = paramValues(req, 'match[]');
  if (raw.length === 0 && required) throw new ApiError('bad_data', 'no match[] parameter provided');
  return raw.map((s) => {
    try {
      return parseSeriesSelector(s);
    } catch (err) {
      if (err instanceof SelectorParseError)
        throw new ApiError('bad_data', `invalid parameter "match[]": ${err.message}`);
      throw err;
    }
  });
}
