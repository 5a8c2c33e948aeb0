// Prometheus remote_write receiver, 1.0 and 2.0: `POST /api/v1/write`. A snappy-compressed protobuf
// `prometheus.WriteRequest` (1.0) or `io.prometheus.write.v2.Request` (2.0, chosen by the
// Content-Type's `proto` parameter) is decoded, its samples appended to the store, and 204 returned
// once they are in the WAL, with the 2.0 `X-Prometheus-Remote-Write-*-Written` counts. Status codes follow the spec, because senders decide on them whether to retry:
// 400 for data that will never be accepted (bad bytes, invalid labels, rejected samples — the valid
// samples of the request are kept), 415 for a content type or encoding we do not take, 5xx only for
// faults worth retrying (the WAL could not be written).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type DecodedWriteRequest,
  decodeWriteRequest,
  decodeWriteRequestV2,
  LabelSetCache,
  RemoteWriteDecodeError,
} from '../../format/remote-write/index.ts';
import type { Labels } from '../../model/labels.ts';
import { type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import { AppendStatus, rejectionMessage, rejectionReason } from '../../tsdb/head/append-status.ts';
import type { Appendable, Appender, SeriesHandle } from '../../tsdb/storage.ts';

export const REMOTE_WRITE_DROP_REASONS = [
  'bad_request',
  'out_of_order',
  'too_old',
  'duplicate_timestamp',
  'invalid_timestamp',
  'series_limit',
  'native_histogram',
] as const;

export interface RemoteWriteOptions {
  readonly storage: Appendable;
  readonly inputMetrics: InputMetrics;
  /** Largest decompressed WriteRequest (bytes). */
  readonly maxDecompressedBytes: number;
}

const V2_PROTO = 'io.prometheus.write.v2.Request';
const V1_PROTO = 'prometheus.WriteRequest';

export async function remoteWriteRoutes(app: FastifyInstance, opts: RemoteWriteOptions): Promise<void> {
  const counters = inputCounters(opts.inputMetrics, 'remote_write', REMOTE_WRITE_DROP_REASONS);
  // Senders repeat the same series in every request: known label bytes skip decoding, and known
  // label sets skip the store's series lookup.
  const labelCache = new LabelSetCache();
  const handles = new WeakMap<Labels, SeriesHandle>();
  // Take the body as raw bytes whatever the declared type: the handler checks the type itself, so
  // that a wrong one gets the spec's 415 and not fastify's generic error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/api/v1/write', async (req: FastifyRequest, reply: FastifyReply) => {
    const version = checkHeaders(req);
    if (typeof version === 'string') return reply.code(415).type('text/plain').send(`${version}\n`);
    const body = req.body;
    if (!Buffer.isBuffer(body)) return reply.code(400).type('text/plain').send('empty body\n');
    let decoded: DecodedWriteRequest;
    try {
      const max = opts.maxDecompressedBytes;
      decoded = version.v2
        ? decodeWriteRequestV2(body, { maxDecompressedBytes: max })
        : decodeWriteRequest(body, { maxDecompressedBytes: max, labelCache });
    } catch (err) {
      if (!(err instanceof RemoteWriteDecodeError)) throw err;
      counters.dropped.bad_request.inc();
      req.log.debug({ reason: err.message }, 'remote_write: bad request');
      return reply.code(400).type('text/plain').send(`${err.message}\n`);
    }

    const app: Appender = opts.storage.appender();
    for (const m of decoded.metadata)
      app.setMetadata(m.metricFamilyName, { type: m.type, help: m.help, unit: m.unit });
    let accepted = 0;
    for (const s of decoded.series) {
      let handle = handles.get(s.labels);
      if (handle === undefined) {
        handle = app.series(s.labels);
        if (handle === undefined) {
          counters.dropped.series_limit.inc(s.timestamps.length);
          continue;
        }
        handles.set(s.labels, handle);
      }
      const ts = s.timestamps;
      const vs = s.values;
      for (let i = 0; i < ts.length; i++) {
        const status = app.append(handle, ts[i], vs[i]);
        if (status === AppendStatus.Ok || status === AppendStatus.Duplicate) accepted++;
        else counters.dropped[rejectionReason(status) as (typeof REMOTE_WRITE_DROP_REASONS)[number]].inc();
      }
    }
    if (decoded.histograms > 0) counters.dropped.native_histogram.inc(decoded.histograms);
    try {
      await app.commit();
    } catch (err) {
      req.log.error({ err }, 'remote_write: could not write to the WAL');
      return reply.code(500).type('text/plain').send('storage error: the write was not stored; retry\n');
    }
    counters.received.inc(accepted);
    // Required by 2.0 (a sender without them assumes a 1.0-only receiver); harmless for 1.0.
    reply.header('X-Prometheus-Remote-Write-Samples-Written', String(accepted));
    reply.header('X-Prometheus-Remote-Write-Histograms-Written', '0');
    reply.header('X-Prometheus-Remote-Write-Exemplars-Written', '0');

    const rejected = app.firstRejected;
    if (rejected !== undefined) {
      return reply
        .code(400)
        .type('text/plain')
        .send(
          `${rejectionMessage(rejected.status)}: ${rejected.labels} @ ${rejected.t} (the other samples were stored)\n`,
        );
    }
    if (decoded.histograms > 0) {
      return reply
        .code(400)
        .type('text/plain')
        .send(
          `${decoded.histograms} native histogram samples are not supported and were dropped (the float samples were stored)\n`,
        );
    }
    return reply.code(204).send();
  });
}

/** The protocol version the headers ask for, or why they rule the request out (415). */
function checkHeaders(req: FastifyRequest): { v2: boolean } | string {
  const type = req.headers['content-type'] ?? '';
  const [mediaType, ...params] = type.split(';').map((p) => p.trim());
  if (mediaType.toLowerCase() !== 'application/x-protobuf')
    return `unsupported Content-Type "${type}": remote_write needs application/x-protobuf`;
  const proto = params.find((p) => p.toLowerCase().startsWith('proto='))?.slice(6);
  if (proto !== undefined && proto !== V1_PROTO && proto !== V2_PROTO)
    return `unknown protobuf message "${proto}"; send ${V1_PROTO} or ${V2_PROTO}`;
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding !== 'snappy')
    return `unsupported Content-Encoding "${encoding}": remote_write bodies are snappy-compressed`;
  return { v2: proto === V2_PROTO };
}
