// One scrape request: GET with Prometheus' Accept header (OpenMetrics first, then text), gzip,
// a deadline covering connect, headers and body, and a cap on the uncompressed body size.

import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

/** Prometheus' default scrape Accept header (content_negotiation.md), without protobuf. */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,' +
  'application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,' +
  'text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

export class ScrapeError extends Error {}

export interface FetchOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** 0 = no limit. */
  readonly maxBodyBytes: number;
  readonly agents?: { readonly http: http.Agent; readonly https: https.Agent };
}

export interface FetchResult {
  readonly body: Buffer;
  readonly contentType: string | undefined;
}

export function fetchMetrics(url: string, opts: FetchOptions): Promise<FetchResult> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  const promise = new Promise<FetchResult>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      if (timedOut) reject(new ScrapeError(`scrape timed out after ${opts.timeoutMs / 1000}s`));
      else if (err instanceof ScrapeError) reject(err);
      else reject(new ScrapeError(`Get "${url}": ${(err as Error)?.message ?? String(err)}`));
    };
    const req = (secure ? https : http).request(
      u,
      {
        method: 'GET',
        headers: opts.headers,
        signal: controller.signal,
        agent: secure ? opts.agents?.https : opts.agents?.http,
      },
      (res) => {
        res.on('error', fail);
        if (res.statusCode !== 200) {
          res.resume();
          fail(
            new ScrapeError(
              `server returned HTTP status ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
            ),
          );
          return;
        }
        const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        let stream: NodeJS.ReadableStream = res;
        if (encoding === 'gzip' || encoding === 'x-gzip') {
          const gunzip = zlib.createGunzip();
          gunzip.on('error', (e) => fail(new ScrapeError(`invalid gzip body: ${e.message}`)));
          stream = res.pipe(gunzip);
        } else if (encoding !== 'identity') {
          res.resume();
          fail(new ScrapeError(`unsupported Content-Encoding "${encoding}"`));
          return;
        }
        const limit = opts.maxBodyBytes;
        const declared = Number(res.headers['content-length']);
        if (limit > 0 && encoding === 'identity' && declared > limit) {
          req.destroy();
          fail(new ScrapeError(`body size limit exceeded (${declared} > ${limit} bytes)`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (limit > 0 && size > limit) {
            req.destroy();
            fail(new ScrapeError(`body size limit exceeded (more than ${limit} bytes)`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ body: Buffer.concat(chunks, size), contentType: res.headers['content-type'] });
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
  return promise.finally(() => clearTimeout(timer));
}
