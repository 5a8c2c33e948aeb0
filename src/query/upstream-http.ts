// The transport to an upstream Prometheus-compatible API: one keep-alive agent (with the configured
// TLS settings), authentication (bearer, basic or SigV4), a deadline per request, a cap on the
// answer's size, gzip, and the API's envelope unwrapped — an upstream error arrives as a QueryError
// with the upstream's own error type and message.

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { gunzip } from 'node:zlib';
import { QueryError, type QueryErrorType } from './query-engine.ts';
import type { Sigv4Signer } from './sigv4.ts';

export interface UpstreamTlsOptions {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly insecureSkipVerify?: boolean;
  readonly serverName?: string;
}

export interface UpstreamHttpOptions {
  /** Base URL; its path (e.g. `/workspaces/ws-1`) prefixes every API path. */
  readonly url: string;
  readonly bearerToken?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly tls?: UpstreamTlsOptions;
  readonly signer?: Sigv4Signer;
  /** Longest one request may take, connect to last byte. */
  readonly timeoutMs: number;
  /** Largest answer read, after decompression. */
  readonly maxResponseBytes: number;
  readonly userAgent?: string;
}

/** The `data` of a successful answer, and what the upstream said beside it. */
export interface ApiAnswer {
  readonly data: unknown;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}

export type Params = readonly (readonly [string, string])[];

const ERROR_TYPES: Readonly<Record<string, QueryErrorType>> = {
  bad_data: 'bad_data',
  execution: 'execution',
  canceled: 'canceled',
  timeout: 'timeout',
  internal: 'internal',
  unavailable: 'unavailable',
  // Types the QueryEngine has no word for: the closest one.
  not_found: 'bad_data',
  not_acceptable: 'bad_data',
};

export class UpstreamHttp {
  readonly #base: URL;
  readonly #basePath: string;
  readonly #opts: UpstreamHttpOptions;
  readonly #agent: http.Agent;
  readonly #auth: string | undefined;

  constructor(opts: UpstreamHttpOptions) {
    this.#opts = opts;
    this.#base = new URL(opts.url);
    this.#basePath = this.#base.pathname.replace(/\/+$/, '');
    if (this.#base.protocol === 'https:') {
      const tls = opts.tls ?? {};
      this.#agent = new https.Agent({
        keepAlive: true,
        ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
        cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
        key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
        rejectUnauthorized: !tls.insecureSkipVerify,
        servername: tls.serverName || undefined,
      });
    } else {
      this.#agent = new http.Agent({ keepAlive: true });
    }
    if (opts.bearerToken) this.#auth = `Bearer ${opts.bearerToken}`;
    else if (opts.basicAuth?.username)
      this.#auth = `Basic ${Buffer.from(`${opts.basicAuth.username}:${opts.basicAuth.password}`).toString('base64')}`;
  }

  /** The upstream's host, for messages. */
  get host(): string {
    return this.#base.host;
  }

  /** GET with the parameters in the query string. */
  get(path: string, params: Params, signal?: AbortSignal): Promise<ApiAnswer> {
    return this.#call('GET', path, params, signal);
  }

  /**
   * POST with a form body (no URL length limit); an upstream that refuses POST (405) is asked again
   * with GET, as Prometheus' own Go client does.
   */
  async post(path: string, params: Params, signal?: AbortSignal): Promise<ApiAnswer> {
    try {
      return await this.#call('POST', path, params, signal);
    } catch (err) {
      if (err instanceof MethodNotAllowed) return this.#call('GET', path, params, signal);
      throw err;
    }
  }

  close(): void {
    this.#agent.destroy();
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    params: Params,
    signal?: AbortSignal,
  ): Promise<ApiAnswer> {
    if (signal?.aborted) throw new QueryError('canceled', 'query was canceled');
    const encoded = encodeParams(params);
    const fullPath = `${this.#basePath}${path}${method === 'GET' && encoded !== '' ? `?${encoded}` : ''}`;
    const body = method === 'POST' ? encoded : undefined;
    let headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Encoding': 'gzip',
      'User-Agent': this.#opts.userAgent ?? 'telemux',
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    if (this.#auth !== undefined) headers.Authorization = this.#auth;
    if (this.#opts.signer !== undefined)
      headers = this.#opts.signer.sign({ method, host: this.#base.host, path: fullPath, headers, body });

    const deadline = AbortSignal.timeout(this.#opts.timeoutMs);
    const both = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    let res: Response;
    try {
      res = await this.#request(method, fullPath, headers, body, both);
    } catch (err) {
      if (signal?.aborted) throw new QueryError('canceled', 'query was canceled');
      if (deadline.aborted)
        throw new QueryError(
          'timeout',
          `upstream ${this.host} did not answer within ${this.#opts.timeoutMs} ms`,
        );
      if (err instanceof QueryError) throw err;
      throw new QueryError('unavailable', `upstream ${this.host}: ${(err as Error).message}`);
    }
    if (res.status === 405 && method === 'POST') throw new MethodNotAllowed();
    return this.#unwrap(res);
  }

  #request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    const mod = this.#base.protocol === 'https:' ? https : http;
    const max = this.#opts.maxResponseBytes;
    return new Promise<Response>((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.#base.protocol,
          hostname: this.#base.hostname.replace(/^\[|\]$/g, ''),
          port: this.#base.port || undefined,
          method,
          path,
          headers,
          agent: this.#agent,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > max) {
              res.destroy();
              reject(tooLarge(this.host, max));
              return;
            }
            chunks.push(c);
          });
          res.on('error', reject);
          res.on('close', () => {
            if (!res.complete) reject(new Error('connection closed before the answer was complete'));
          });
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (res.headers['content-encoding'] !== 'gzip') return resolve({ status, body: raw });
            gunzip(raw, { maxOutputLength: max }, (err, out) => {
              if (err === null) resolve({ status, body: out });
              else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
                reject(tooLarge(this.host, max));
              else
                reject(new QueryError('unavailable', `upstream ${this.host}: bad gzip body: ${err.message}`));
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  #unwrap(res: Response): ApiAnswer {
    let env: unknown;
    try {
      env = JSON.parse(res.body.toString('utf8'));
    } catch {
      const text = res.body.toString('utf8', 0, 300).trim();
      throw new QueryError(
        res.status === 503 ? 'unavailable' : res.status >= 500 ? 'internal' : 'bad_data',
        `upstream ${this.host} answered HTTP ${res.status}${text ? `: ${text}` : ''}`,
      );
    }
    if (env === null || typeof env !== 'object')
      throw new QueryError(
        'internal',
        `upstream ${this.host} answered HTTP ${res.status} with no API envelope`,
      );
    const e = env as Record<string, unknown>;
    if (e.status !== 'success') {
      const type = typeof e.errorType === 'string' ? (ERROR_TYPES[e.errorType] ?? 'internal') : 'internal';
      const message =
        typeof e.error === 'string' ? e.error : `upstream ${this.host} answered HTTP ${res.status}`;
      throw new QueryError(type, message);
    }
    return { data: e.data, warnings: stringList(e.warnings), infos: stringList(e.infos) };
  }
}

interface Response {
  readonly status: number;
  readonly body: Buffer;
}

class MethodNotAllowed extends Error {}

function tooLarge(host: string, max: number): QueryError {
  return new QueryError(
    'execution',
    `upstream ${host} answered with more than ${max} bytes (query.upstream.max_response_bytes)`,
  );
}

/** Form / query-string encoding with %20 for spaces (what SigV4's canonical form expects). */
export function encodeParams(params: Params): string {
  try {
    return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  } catch {
    // encodeURIComponent refuses lone surrogates, which no upstream could read either.
    throw new QueryError('bad_data', 'a parameter is not valid UTF-16 text');
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
