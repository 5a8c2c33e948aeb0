// Prometheus remote_write receiver, 1.0 and 2.0: `POST /api/v1/write`. A snappy-compressed protobuf
// `prometheus.WriteRequest` (1.0) or `io.prometheus.write.v2.Request` (2.0, chosen by the
// Content-Type's `proto` parameter) is decoded, its samples appended to the store, and 204 returned
// once they are in the WAL, with the 2.0 `X-Prometheus-Remote-Write-*-Written` counts. Status codes
// follow the spec, because senders decide on them whether to retry:
// 400 for data that will never be accepted (bad bytes, invalid labels, rejected samples — the valid
// samples of the request are kept), 415 for a content type or encoding we do not take, 5xx only for
// faults worth retrying (the WAL could not be written, the decode worker died: 503).
//
// Bodies are decoded by decode-task.ts into columns and series ids: in the decode pool's worker
// threads when there is a pool (this thread then only appends), else here. The route is on the
// server's fast lane (http/fast-lane.ts): senders send thousands of requests a second.

import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { type LaneAnswer, laneRoute } from '../../http/fast-lane.ts';
import { type InputCounters, type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import { rejectionMessage } from '../../tsdb/head/append-status.ts';
import type { Appendable, Appender } from '../../tsdb/storage.ts';
import { PoolClosedError, WorkerCrashedError, type WorkerPool } from '../../workers/pool.ts';
import { siblingModule } from '../../workers/thread.ts';
import { appendIdRows } from '../decoding/append-rows.ts';
import { taskRunner } from '../decoding/runner.ts';
import { type SeriesTable, SeriesTables } from '../decoding/series-ids.ts';
import {
  createTaskHandler,
  REMOTE_WRITE_TASK,
  type RemoteWriteBatch,
  type RemoteWriteTask,
} from './decode-task.ts';

export const REMOTE_WRITE_DROP_REASONS = [
  'bad_request',
  'out_of_order',
  'too_old',
  'duplicate_timestamp',
  'invalid_timestamp',
  'series_limit',
  'native_histogram',
] as const;
type Reason = (typeof REMOTE_WRITE_DROP_REASONS)[number];

export interface RemoteWriteOptions {
  readonly storage: Appendable;
  readonly inputMetrics: InputMetrics;
  /** Largest decompressed WriteRequest (bytes). */
  readonly maxDecompressedBytes: number;
  /** Decode bodies larger than `inlineMaxBytes` in these worker threads; all in this thread when absent. */
  readonly decodePool?: WorkerPool;
  /** Largest body decoded in this thread when there is a pool (default 64 KiB, ~4,000 samples). */
  readonly inlineMaxBytes?: number;
}

/** Default of RemoteWriteOptions.inlineMaxBytes (see ../decoding/runner.ts). */
const INLINE_MAX_BYTES = 64 * 1024;

const V2_PROTO = 'io.prometheus.write.v2.Request';
const V1_PROTO = 'prometheus.WriteRequest';

export async function remoteWriteRoutes(app: FastifyInstance, opts: RemoteWriteOptions): Promise<void> {
  const counters = inputCounters(opts.inputMetrics, 'remote_write', REMOTE_WRITE_DROP_REASONS);
  const pool = opts.decodePool;
  const decode = taskRunner<RemoteWriteTask, RemoteWriteBatch>(
    pool,
    REMOTE_WRITE_TASK,
    siblingModule(import.meta.url, './decode-task'),
    createTaskHandler,
    opts.inlineMaxBytes ?? INLINE_MAX_BYTES,
  );
  // The store's series per series id, for each worker (see ../decoding/series-ids.ts).
  const tables = new SeriesTables();
  pool?.onWorkerGone((worker) => tables.forget(worker));

  const text = (status: number, message: string): LaneAnswer => ({ status, text: `${message}\n` });

  // Take the body as raw bytes whatever the declared type: the handler checks the type itself, so
  // that a wrong one gets the spec's 415 and not fastify's generic error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  laneRoute(app, '/api/v1/write', async (req) => {
    const version = checkHeaders(req.headers);
    if (typeof version === 'string') return text(415, version);
    const body = req.body;
    if (body === undefined) return text(400, 'empty body');
    let result: Awaited<ReturnType<typeof decode>>;
    try {
      result = await decode({ body, v2: version.v2, maxDecompressedBytes: opts.maxDecompressedBytes });
    } catch (err) {
      if (!(err instanceof WorkerCrashedError || err instanceof PoolClosedError)) throw err;
      req.log.warn({ err }, 'remote_write: the decode worker stopped; nothing was stored');
      return text(503, 'the decoder stopped while decoding this request; nothing was stored; retry');
    }
    const table = tables.for(result.worker);
    const decoded = result.value;
    const app: Appender = opts.storage.appender();
    let accepted: number;
    try {
      // Definitions first, whatever the outcome: later batches of this worker use the ids.
      table.define(decoded.defs);
      if (!decoded.ok) {
        counters.dropped.bad_request.inc();
        req.log.debug({ reason: decoded.message }, 'remote_write: bad request');
        return text(400, decoded.message);
      }
      accepted = appendBatch(app, decoded, table, counters.dropped);
    } finally {
      // The appender has copied what it keeps.
      result.release();
    }
    try {
      await app.commit();
    } catch (err) {
      req.log.error({ err }, 'remote_write: could not write to the WAL');
      return text(500, 'storage error: the write was not stored; retry');
    }
    counters.received.inc(accepted);
    // Required by 2.0 (a sender without them assumes a 1.0-only receiver); harmless for 1.0.
    const headers = {
      'X-Prometheus-Remote-Write-Samples-Written': String(accepted),
      'X-Prometheus-Remote-Write-Histograms-Written': '0',
      'X-Prometheus-Remote-Write-Exemplars-Written': '0',
    };
    const rejected = app.firstRejected;
    if (rejected !== undefined) {
      return {
        status: 400,
        headers,
        text: `${rejectionMessage(rejected.status)}: ${rejected.labels} @ ${rejected.t} (the other samples were stored)\n`,
      };
    }
    if (decoded.histograms > 0) {
      return {
        status: 400,
        headers,
        text: `${decoded.histograms} native histogram samples are not supported and were dropped (the float samples were stored)\n`,
      };
    }
    return { status: 204, headers };
  });
}

/** Appends a decoded request's metadata and samples; returns the samples accepted. */
function appendBatch(
  app: Appender,
  batch: Extract<RemoteWriteBatch, { ok: true }>,
  table: SeriesTable,
  dropped: InputCounters<Reason>['dropped'],
): number {
  for (const m of batch.metadata)
    app.setMetadata(m.metricFamilyName, { type: m.type, help: m.help, unit: m.unit });
  const { ids, ends, timestamps: ts, values: vs } = batch;
  const accepted = appendIdRows(app, table, { ids, ends, ts, vs }, dropped);
  if (batch.histograms > 0) dropped.native_histogram.inc(batch.histograms);
  return accepted;
}

/** The protocol version the headers ask for, or why they rule the request out (415). */
function checkHeaders(headers: IncomingHttpHeaders): { v2: boolean } | string {
  const type = headers['content-type'] ?? '';
  const [mediaType, ...params] = type.split(';').map((p) => p.trim());
  if (mediaType.toLowerCase() !== 'application/x-protobuf')
    return `unsupported Content-Type "${type}": remote_write needs application/x-protobuf`;
  const proto = params.find((p) => p.toLowerCase().startsWith('proto='))?.slice(6);
  if (proto !== undefined && proto !== V1_PROTO && proto !== V2_PROTO)
    return `unknown protobuf message "${proto}"; send ${V1_PROTO} or ${V2_PROTO}`;
  const encoding = (headers['content-encoding'] ?? '').toLowerCase();
  if (encoding !== 'snappy')
    return `unsupported Content-Encoding "${encoding}": remote_write bodies are snappy-compressed`;
  return { v2: proto === V2_PROTO };
}
