// One HTTP request over a real socket with node:http (not fetch), so that a test can send a body
// in pieces without a Content-Length, and reach what answers on the socket (the fast lane) rather
// than app.inject().

import * as http from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** `body` as one Buffer goes with its Content-Length; as several, chunked. */
export function httpRequest(
  port: number,
  method: string,
  path: string,
  body?: Buffer | Buffer[],
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const sent = Buffer.isBuffer(body) ? { 'content-length': String(body.length), ...headers } : headers;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: sent, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end(body);
  });
}
