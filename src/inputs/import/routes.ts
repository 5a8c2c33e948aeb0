// VictoriaMetrics-compatible import, for migration and backfill:
// - `POST /api/v1/import`: JSON lines as `/api/v1/export` writes them (see json-lines.ts);
// - `POST /api/v1/import/prometheus`: a text exposition (OpenMetrics when the Content-Type says so),
//   samples at their own timestamps or, without one, at the `timestamp` parameter or now.
// Both take gzip bodies and `extra_label=name=value` parameters. A bad JSON line is reported with
// its number (400) and the valid lines are kept; an exposition is parsed as a whole, so a bad one
// stores nothing and gets 400 naming the line.

import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ExpositionParseError } from '../../format/exposition/errors.ts';
import { flattenFamily, sampleLabels } from '../../format/exposition/flatten.ts';
import { isOpenMetricsContentType } from '../../format/exposition/negotiate.ts';
import { parseExposition } from '../../format/exposition/parser.ts';
import type { Labels } from '../../model/labels.ts';
import { type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import { AppendStatus, rejectionMessage, rejectionReason } from '../../tsdb/head/append-status.ts';
import type { Appendable, Appender } from '../../tsdb/storage.ts';
import { ImportLineError, parseImportLine } from './json-lines.ts';

export const IMPORT_DROP_REASONS = [
  'bad_line',
  'out_of_order',
  'too_old',
  'duplicate_timestamp',
  'invalid_timestamp',
  'series_limit',
] as const;
type Reason = (typeof IMPORT_DROP_REASONS)[number];

export interface ImportOptions {
  readonly storage: Appendable;
  readonly inputMetrics: InputMetrics;
  /** Largest body after gunzip. */
  readonly maxBytes: number;
  readonly now?: () => number;
}

export async function importRoutes(app: FastifyInstance, opts: ImportOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const counters = inputCounters(opts.inputMetrics, 'import', IMPORT_DROP_REASONS);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const bodyText = (req: FastifyRequest): string => {
    let body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      try {
        body = gunzipSync(body, { maxOutputLength: opts.maxBytes });
      } catch (err) {
        throw new BadRequest(`gzip: ${(err as Error).message}`);
      }
    }
    return body.toString('utf8');
  };

  /** Appends every sample of a series; counts and remembers the first rejection. */
  const appendAll = (
    appender: Appender,
    labels: Labels,
    ts: ArrayLike<number>,
    vs: Float64Array | number[],
  ): number => {
    const handle = appender.series(labels);
    if (handle === undefined) {
      counters.dropped.series_limit.inc(ts.length);
      return 0;
    }
    let ok = 0;
    for (let i = 0; i < ts.length; i++) {
      const status = appender.append(handle, ts[i], vs[i]);
      if (status === AppendStatus.Ok || status === AppendStatus.Duplicate) ok++;
      else counters.dropped[rejectionReason(status) as Reason].inc();
    }
    return ok;
  };

  const finish = async (reply: FastifyReply, appender: Appender, accepted: number, badLine?: string) => {
    await appender.commit();
    counters.received.inc(accepted);
    if (badLine !== undefined)
      return reply.code(400).type('text/plain').send(`${badLine} (the valid lines were stored)\n`);
    const r = appender.firstRejected;
    if (r !== undefined)
      return reply
        .code(400)
        .type('text/plain')
        .send(`${rejectionMessage(r.status)}: ${r.labels} @ ${r.t} (the other samples were stored)\n`);
    return reply.code(204).send();
  };

  app.post('/api/v1/import', async (req, reply) => {
    let text: string;
    let extra: [string, string][];
    try {
      text = bodyText(req);
      extra = extraLabels(req);
    } catch (err) {
      if (err instanceof BadRequest) return reply.code(400).type('text/plain').send(`${err.message}\n`);
      throw err;
    }
    const appender = opts.storage.appender();
    let accepted = 0;
    let badLine: string | undefined;
    let lineNo = 0;
    for (const line of text.split('\n')) {
      lineNo++;
      if (line.trim() === '') continue;
      try {
        const s = parseImportLine(line);
        let labels = s.labels;
        for (const [n, v] of extra) labels = labels.with(n, v);
        accepted += appendAll(appender, labels, s.timestamps, s.values);
      } catch (err) {
        if (!(err instanceof ImportLineError)) throw err;
        counters.dropped.bad_line.inc();
        badLine ??= `line ${lineNo}: ${err.message}`;
      }
    }
    return finish(reply, appender, accepted, badLine);
  });

  app.post('/api/v1/import/prometheus', async (req, reply) => {
    let families: ReturnType<typeof parseExposition>;
    let extra: [string, string][];
    let defaultTs: number;
    try {
      const text = bodyText(req);
      extra = extraLabels(req);
      defaultTs = defaultTimestamp(req, now);
      families = parseExposition(text, {
        openMetrics: isOpenMetricsContentType(req.headers['content-type'] ?? ''),
      });
    } catch (err) {
      if (err instanceof BadRequest || err instanceof ExpositionParseError) {
        counters.dropped.bad_line.inc();
        return reply.code(400).type('text/plain').send(`${err.message}\n`);
      }
      throw err;
    }
    const appender = opts.storage.appender();
    let accepted = 0;
    const ts = new Float64Array(1);
    const vs = new Float64Array(1);
    for (const f of families) {
      appender.setMetadata(f.name, { type: f.type, help: f.help, unit: f.unit });
      flattenFamily(f, (name, metric, extraName, extraValue, value, timestampMs) => {
        let labels = sampleLabels(name, metric, extraName, extraValue);
        for (const [n, v] of extra) labels = labels.with(n, v);
        ts[0] = timestampMs ?? defaultTs;
        vs[0] = value;
        accepted += appendAll(appender, labels, ts, vs);
      });
    }
    return finish(reply, appender, accepted);
  });
}

class BadRequest extends Error {}

/** `extra_label=name=value`, repeatable, as VictoriaMetrics takes it. */
function extraLabels(req: FastifyRequest): [string, string][] {
  const q = req.query as Record<string, string | string[] | undefined>;
  const raw =
    q.extra_label === undefined ? [] : Array.isArray(q.extra_label) ? q.extra_label : [q.extra_label];
  return raw.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new BadRequest(`extra_label "${s}": expected name=value`);
    return [s.slice(0, eq), s.slice(eq + 1)];
  });
}

/** `timestamp` parameter (Unix seconds or ms, as VictoriaMetrics), else now. */
function defaultTimestamp(req: FastifyRequest, now: () => number): number {
  const raw = (req.query as Record<string, string | undefined>).timestamp;
  if (raw === undefined || raw === '') return now();
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new BadRequest(`timestamp "${raw}" is not a Unix time`);
  // Seconds below 1e10 (until year 2286), milliseconds above.
  return n < 1e10 ? Math.round(n * 1000) : Math.round(n);
}
