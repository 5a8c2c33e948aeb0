// The query endpoints' own parameters, read with Prometheus' rules and messages: durations as float
// seconds or `5m`-style (step, timeout, lookback_delta), `limit`, and the required start/end times.

import type { FastifyRequest } from 'fastify';
import { parseDuration } from '../../model/duration.ts';
import { ApiError } from './envelope.ts';
import { param, parseTime } from './params.ts';

/** Nanoseconds Go's time.Duration can hold; a duration beyond overflows as in Prometheus. */
const MAX_DURATION_NS = 2 ** 63;

/** A duration in ms (maybe fractional), or a message in Prometheus' words. */
export function parseApiDuration(s: string): number | string {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?inf(inity)?$/i.test(s)) {
    const sec = /inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
    if (Math.abs(sec * 1e9) >= MAX_DURATION_NS)
      return `cannot parse "${s}" to a valid duration. It overflows int64`;
    return sec * 1000;
  }
  const ms = parseDuration(s);
  if (typeof ms === 'number' && s !== '' && ms * 1e6 < MAX_DURATION_NS) return ms;
  return `cannot parse "${s}" to a valid duration`;
}

/** A duration parameter in ms; undefined when absent or empty. */
export function durationParam(req: FastifyRequest, name: string): number | undefined {
  const raw = param(req, name);
  if (raw === undefined || raw === '') return undefined;
  const ms = parseApiDuration(raw);
  if (typeof ms === 'string') throw new ApiError('bad_data', `invalid parameter "${name}": ${ms}`);
  return ms;
}

/** `lookback_delta`, with the message Prometheus gives it; undefined (the default) when ≤ 0. */
export function lookbackDeltaParam(req: FastifyRequest): number | undefined {
  const raw = param(req, 'lookback_delta');
  if (raw === undefined || raw === '') return undefined;
  const ms = parseApiDuration(raw);
  if (typeof ms === 'string') throw new ApiError('bad_data', `error parsing lookback delta duration: ${ms}`);
  return ms > 0 ? ms : undefined;
}

/** `limit` (0 = none): a non-negative integer. */
export function limitParam(req: FastifyRequest): number {
  const raw = param(req, 'limit');
  if (raw === undefined || raw === '') return 0;
  if (!/^[+-]?\d+$/.test(raw))
    throw new ApiError(
      'bad_data',
      `invalid parameter "limit": strconv.Atoi: parsing "${raw}": invalid syntax`,
    );
  const n = Number(raw);
  if (!Number.isSafeInteger(n))
    throw new ApiError(
      'bad_data',
      `invalid parameter "limit": strconv.Atoi: parsing "${raw}": value out of range`,
    );
  if (n < 0) throw new ApiError('bad_data', 'invalid parameter "limit": limit must be non-negative');
  return n;
}

/** A time parameter that must be given (query_range's start and end). */
export function requiredTimeParam(req: FastifyRequest, name: string): number {
  const raw = param(req, name) ?? '';
  const ms = parseTime(raw);
  if (ms === undefined)
    throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
  return ms;
}
