// `GET|POST /api/v1/export`: raw samples as JSON lines in VictoriaMetrics' export format, one line
// per series: {"metric":{…},"values":[…],"timestamps":[…]} (timestamps in ms), for debugging and
// migration. Staleness markers are left out (they are no values); other NaN and ±Inf values are
// written as the strings "NaN", "+Inf", "-Inf", since JSON has no numbers for them.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStaleNaN } from '../model/staleness.ts';
import type { TimeSeriesDb } from '../tsdb/db/db.ts';
import { ApiError, failure } from './prometheus/envelope.ts';
import { MAX_TIME_MS, MIN_TIME_MS, matchParams, timeParam } from './prometheus/params.ts';

export interface ExportOptions {
  readonly db: TimeSeriesDb;
}

export async function exportRoutes(app: FastifyInstance, opts: ExportOptions): Promise<void> {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    let selectors: ReturnType<typeof matchParams>;
    let start: number;
    let end: number;
    try {
      selectors = matchParams(req);
      start = timeParam(req, 'start', MIN_TIME_MS);
      end = timeParam(req, 'end', MAX_TIME_MS);
    } catch (err) {
      if (err instanceof ApiError) return failure(reply, err);
      throw err;
    }
    const q = opts.db.querier(start, end);
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const matchers of selectors) {
      for (const s of q.select(matchers)) {
        if (seen.has(s.labels.key)) continue;
        seen.add(s.labels.key);
        const values: (number | string)[] = [];
        const timestamps: number[] = [];
        const it = s.iterator();
        while (it.next()) {
          const v = it.v;
          if (isStaleNaN(v)) continue;
          values.push(Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');
          timestamps.push(it.t);
        }
        if (timestamps.length === 0) continue;
        lines.push(JSON.stringify({ metric: s.labels.toRecord(), values, timestamps }));
      }
    }
    return reply.type('application/stream+json').send(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  };
  app.get('/api/v1/export', handler);
  app.post('/api/v1/export', handler);
}
