// The QueryEngine answered by an upstream Prometheus-compatible server (Prometheus, Thanos, Mimir,
// VictoriaMetrics, Amazon Managed Service for Prometheus): each call is one request to its HTTP
// API, and the answer is read back into telemux's values. `limit` is sent and also applied here,
// because older servers ignore it.

import type { Labels } from '../model/labels.ts';
import type { MetricMetadata } from '../model/metadata.ts';
import type { QueryOutcome } from '../promql/value.ts';
import { parseMetadataData, parseQueryData, parseSeriesData, parseStringList } from './api-json.ts';
import { isSigv4On, type UpstreamConfig } from './config.ts';
import { truncateOutcome } from './limit.ts';
import type { MetadataQuery, QueryEngine, QueryOptions, SeriesQuery } from './query-engine.ts';
import { Sigv4Signer } from './sigv4.ts';
import { type Params, UpstreamHttp, type UpstreamHttpOptions } from './upstream-http.ts';

/** Range ends at or beyond these are open: the parameter is left out, as a client would. */
const OPEN_START_MS = -9_000_000_000_000_000;
const OPEN_END_MS = 9_000_000_000_000_000;

export class UpstreamQueryEngine implements QueryEngine {
  readonly #http: UpstreamHttp;
  readonly #defaultTimeoutMs: number;

  /** `defaultTimeoutMs`: the `timeout` sent with queries that name none (telemux's query.timeout). */
  constructor(http: UpstreamHttpOptions | UpstreamHttp, defaultTimeoutMs?: number) {
    this.#http = http instanceof UpstreamHttp ? http : new UpstreamHttp(http);
    this.#defaultTimeoutMs = defaultTimeoutMs ?? 0;
  }

  /** From the `query.upstream` config section. */
  static fromConfig(
    c: UpstreamConfig,
    opts: { defaultTimeoutMs?: number; userAgent?: string; env?: NodeJS.ProcessEnv } = {},
  ): UpstreamQueryEngine {
    const s = c.sigv4;
    return new UpstreamQueryEngine(
      {
        url: c.url,
        bearerToken: c.bearer_token,
        basicAuth: c.basic_auth,
        tls: {
          caFile: c.tls.ca_file,
          certFile: c.tls.cert_file,
          keyFile: c.tls.key_file,
          insecureSkipVerify: c.tls.insecure_skip_verify,
          serverName: c.tls.server_name,
        },
        signer: isSigv4On(c)
          ? new Sigv4Signer(
              {
                region: s.region,
                accessKey: s.access_key,
                secretKey: s.secret_key,
                sessionToken: s.session_token,
                service: s.service,
              },
              opts.env,
            )
          : undefined,
        timeoutMs: c.timeout,
        maxResponseBytes: c.max_response_bytes,
        userAgent: opts.userAgent,
      },
      opts.defaultTimeoutMs,
    );
  }

  async instant(query: string, timeMs: number, options: QueryOptions = {}): Promise<QueryOutcome> {
    const params: [string, string][] = [
      ['query', query],
      ['time', seconds(timeMs)],
    ];
    this.#queryOptions(params, options);
    const answer = await this.#http.post('/api/v1/query', params, options.signal);
    return truncateOutcome(parseQueryData(answer.data, answer.warnings, answer.infos), options.limit ?? 0);
  }

  async range(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: QueryOptions = {},
  ): Promise<QueryOutcome> {
    const params: [string, string][] = [
      ['query', query],
      ['start', seconds(startMs)],
      ['end', seconds(endMs)],
      ['step', seconds(stepMs)],
    ];
    this.#queryOptions(params, options);
    const answer = await this.#http.post('/api/v1/query_range', params, options.signal);
    return truncateOutcome(parseQueryData(answer.data, answer.warnings, answer.infos), options.limit ?? 0);
  }

  async series(q: SeriesQuery): Promise<Labels[]> {
    const answer = await this.#http.post('/api/v1/series', seriesParams(q), q.signal);
    return limited(parseSeriesData(answer.data), q.limit);
  }

  async labelNames(q: SeriesQuery): Promise<string[]> {
    const answer = await this.#http.post('/api/v1/labels', seriesParams(q), q.signal);
    return limited(parseStringList(answer.data, 'label names'), q.limit);
  }

  async labelValues(name: string, q: SeriesQuery): Promise<string[]> {
    // Prometheus serves this one with GET only.
    const answer = await this.#http.get(
      `/api/v1/label/${labelPathSegment(name)}/values`,
      seriesParams(q),
      q.signal,
    );
    return limited(parseStringList(answer.data, 'label values'), q.limit);
  }

  async metadata(q: MetadataQuery): Promise<Map<string, MetricMetadata[]>> {
    const params: [string, string][] = [];
    if (q.metric !== undefined && q.metric !== '') params.push(['metric', q.metric]);
    if (q.limit !== undefined && q.limit > 0) params.push(['limit', String(q.limit)]);
    if (q.limitPerMetric !== undefined && q.limitPerMetric > 0)
      params.push(['limit_per_metric', String(q.limitPerMetric)]);
    const answer = await this.#http.get('/api/v1/metadata', params, q.signal);
    const all = parseMetadataData(answer.data);
    // Applied here too: servers before 2.x's limit_per_metric send every entry.
    const out = new Map<string, MetricMetadata[]>();
    for (const [name, entries] of all) {
      if (q.limit !== undefined && q.limit > 0 && out.size >= q.limit) break;
      out.set(name, limited(entries, q.limitPerMetric));
    }
    return out;
  }

  close(): void {
    this.#http.close();
  }

  #queryOptions(params: [string, string][], options: QueryOptions): void {
    const timeout = options.timeoutMs ?? this.#defaultTimeoutMs;
    if (timeout > 0) params.push(['timeout', seconds(timeout)]);
    if (options.lookbackDeltaMs !== undefined && options.lookbackDeltaMs > 0)
      params.push(['lookback_delta', seconds(options.lookbackDeltaMs)]);
    if (options.limit !== undefined && options.limit > 0) params.push(['limit', String(options.limit)]);
  }
}

function seriesParams(q: SeriesQuery): Params {
  const params: [string, string][] = q.match.map((m) => ['match[]', m] as [string, string]);
  if (q.startMs > OPEN_START_MS) params.push(['start', seconds(q.startMs)]);
  if (q.endMs < OPEN_END_MS) params.push(['end', seconds(q.endMs)]);
  if (q.limit !== undefined && q.limit > 0) params.push(['limit', String(q.limit)]);
  return params;
}

/** ms → float seconds as the API reads them ("1435781451.781"). */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/**
 * A label name in the `/label/<name>/values` path: as is when it is a classic name, else in
 * Prometheus 3's `U__` escaping (`_` → `__`, any other character → `_<hex code point>_`).
 */
export function labelPathSegment(name: string): string {
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return name;
  let out = 'U__';
  for (const ch of name) {
    if (ch === '_') out += '__';
    else if (/[a-zA-Z0-9]/.test(ch)) out += ch;
    else out += `_${(ch.codePointAt(0) as number).toString(16)}_`;
  }
  return out;
}

function limited<T>(list: T[], limit: number | undefined): T[] {
  return limit !== undefined && limit > 0 && list.length > limit ? list.slice(0, limit) : list;
}
