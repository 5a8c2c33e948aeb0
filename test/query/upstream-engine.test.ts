// The upstream QueryEngine against local HTTP(S) servers that play a Prometheus API: what it sends
// (methods, parameters, authentication), how it reads answers (values, NaN/Inf, histograms, gzip),
// and how every failure arrives (upstream errors with their type, non-API answers, refused
// connections, deadlines, cancellation, oversized answers, TLS with a private CA and client certs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { QueryError, type QueryErrorType } from '../../src/query/query-engine.ts';
import { labelPathSegment, UpstreamQueryEngine } from '../../src/query/upstream-engine.ts';
import type { UpstreamHttpOptions } from '../../src/query/upstream-http.ts';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly params: [string, string][];
  readonly headers: IncomingMessage['headers'];
}

type Answer = (r: Received, res: ServerResponse) => void;

const received: Received[] = [];
let answer: Answer = (_r, res) => json(res, 200, { status: 'success', data: [] });

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const params = [...url.searchParams, ...(req.method === 'POST' ? new URLSearchParams(body) : [])];
    const r = { method: req.method ?? '', path: url.pathname, params, headers: req.headers };
    received.push(r);
    answer(r, res);
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const server = createServer(handler);
const port = await listen(server);

function engine(extra: Partial<UpstreamHttpOptions> = {}, defaultTimeoutMs?: number): UpstreamQueryEngine {
  const e = new UpstreamQueryEngine(
    { url: `http://127.0.0.1:${port}/prefix/`, timeoutMs: 5000, maxResponseBytes: 1 << 20, ...extra },
    defaultTimeoutMs,
  );
  after(() => e.close());
  return e;
}

function lastRequest(): Received {
  const r = received.at(-1);
  assert.ok(r, 'a request reached the server');
  return r;
}

const ALL = { startMs: Number.MIN_SAFE_INTEGER, endMs: Number.MAX_SAFE_INTEGER };

test('instant and range queries are form POSTs with Prometheus parameters', async () => {
  answer = (_r, res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
  const e = engine({}, 120_000);
  await e.instant('up{job="a b"}', 1435781451781, { lookbackDeltaMs: 60_000, limit: 5 });
  assert.equal(lastRequest().method, 'POST');
  assert.equal(lastRequest().path, '/prefix/api/v1/query');
  assert.deepEqual(lastRequest().params, [
    ['query', 'up{job="a b"}'],
    ['time', '1435781451.781'],
    ['timeout', '120'],
    ['lookback_delta', '60'],
    ['limit', '5'],
  ]);
  assert.equal(lastRequest().headers['content-type'], 'application/x-www-form-urlencoded');

  answer = (_r, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
  await e.range('rate(x[5m])', 0, 3_600_000, 15_000, { timeoutMs: 2500 });
  assert.equal(lastRequest().path, '/prefix/api/v1/query_range');
  assert.deepEqual(lastRequest().params, [
    ['query', 'rate(x[5m])'],
    ['start', '0'],
    ['end', '3600'],
    ['step', '15'],
    ['timeout', '2.5'],
  ]);
});

test('an upstream that refuses POST (405) is asked again with GET', async () => {
  answer = (r, res) =>
    r.method === 'POST'
      ? res.writeHead(405).end('method not allowed')
      : json(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1, '1'] } });
  received.length = 0;
  await engine().instant('1', 1000);
  assert.deepEqual(
    received.map((r) => r.method),
    ['POST', 'GET'],
  );
  assert.deepEqual(lastRequest().params, [
    ['query', '1'],
    ['time', '1'],
  ]);
});

test('answers are read into values: vector, matrix with NaN/±Inf, scalar, string; histograms left out with a warning', async () => {
  const e = engine();
  answer = (_r, res) =>
    json(res, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'up', job: 'a' }, value: [1435781451.781, '1'] },
          { metric: { __name__: 'h' }, histogram: [1435781451.781, { count: '1', sum: '1' }] },
        ],
      },
      warnings: ['PromQL warning: w'],
      infos: ['PromQL info: i'],
    });
  const v = await e.instant('up', 0);
  assert.equal(v.value.resultType, 'vector');
  assert.ok(v.value.resultType === 'vector');
  assert.equal(v.value.result.length, 1);
  assert.equal(v.value.result[0].labels.toString(), 'up{job="a"}');
  assert.equal(v.value.result[0].t, 1435781451781);
  assert.equal(v.value.result[0].v, 1);
  assert.deepEqual(v.infos, ['PromQL info: i']);
  assert.equal(v.warnings[0], 'PromQL warning: w');
  assert.match(v.warnings[1], /native histogram/);

  answer = (_r, res) =>
    json(res, 200, {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { job: 'x' },
            values: [
              [1, 'NaN'],
              [2, '+Inf'],
              [3, '-Inf'],
              [4.5, '1e-07'],
            ],
          },
        ],
      },
    });
  const m = await e.range('x', 0, 1, 1);
  assert.ok(m.value.resultType === 'matrix');
  assert.deepEqual([...m.value.result[0].ts], [1000, 2000, 3000, 4500]);
  assert.deepEqual(
    [...m.value.result[0].vs],
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-7],
  );

  answer = (_r, res) =>
    json(res, 200, { status: 'success', data: { resultType: 'scalar', result: [7, '-0.5'] } });
  assert.deepEqual((await e.instant('x', 0)).value, { resultType: 'scalar', result: { t: 7000, v: -0.5 } });
  answer = (_r, res) =>
    json(res, 200, { status: 'success', data: { resultType: 'string', result: [7, 'hi'] } });
  assert.deepEqual((await e.instant('x', 0)).value, {
    resultType: 'string',
    result: { t: 7000, value: 'hi' },
  });
});

test('limit is applied here too (older servers ignore it), with the truncation warning', async () => {
  answer = (_r, res) =>
    json(res, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: ['a', 'b', 'c'].map((j) => ({ metric: { job: j }, value: [1, '1'] })),
      },
    });
  const out = await engine().instant('up', 0, { limit: 2 });
  assert.ok(out.value.resultType === 'vector');
  assert.equal(out.value.result.length, 2);
  assert.deepEqual(out.warnings, ['results truncated due to limit']);
  answer = (_r, res) => json(res, 200, { status: 'success', data: [{ a: '1' }, { a: '2' }, { a: '3' }] });
  assert.equal((await engine().series({ match: ['x'], ...ALL, limit: 2 })).length, 2);
});

test('series, labels and label values: match[], open ranges left out, escaped label names in the path', async () => {
  const e = engine();
  answer = (_r, res) => json(res, 200, { status: 'success', data: [{ __name__: 'up', job: 'a' }] });
  const s = await e.series({ match: ['up', '{job="a"}'], ...ALL });
  assert.deepEqual(
    s.map((l) => l.toString()),
    ['up{job="a"}'],
  );
  assert.equal(lastRequest().path, '/prefix/api/v1/series');
  assert.deepEqual(lastRequest().params, [
    ['match[]', 'up'],
    ['match[]', '{job="a"}'],
  ]);

  answer = (_r, res) => json(res, 200, { status: 'success', data: ['__name__', 'job'] });
  assert.deepEqual(await e.labelNames({ match: [], startMs: 1500, endMs: 2000, limit: 10 }), [
    '__name__',
    'job',
  ]);
  assert.deepEqual(lastRequest().params, [
    ['start', '1.5'],
    ['end', '2'],
    ['limit', '10'],
  ]);

  answer = (_r, res) => json(res, 200, { status: 'success', data: ['GET'] });
  assert.deepEqual(await e.labelValues('http.method', { match: [], ...ALL }), ['GET']);
  assert.equal(lastRequest().method, 'GET');
  assert.equal(lastRequest().path, '/prefix/api/v1/label/U__http_2e_method/values');
  assert.equal(labelPathSegment('job'), 'job');
  assert.equal(labelPathSegment('a_b.c'), 'U__a__b_2e_c');
});

test('metadata: unknown is untyped, limits sent and applied', async () => {
  answer = (_r, res) =>
    json(res, 200, {
      status: 'success',
      data: {
        up: [{ type: 'unknown', help: '', unit: '' }],
        x: [
          { type: 'counter', help: 'a', unit: '' },
          { type: 'counter', help: 'b', unit: '' },
        ],
      },
    });
  const meta = await engine().metadata({ limitPerMetric: 1, limit: 5, metric: 'x' });
  assert.deepEqual(lastRequest().params, [
    ['metric', 'x'],
    ['limit', '5'],
    ['limit_per_metric', '1'],
  ]);
  assert.deepEqual(meta.get('up'), [{ type: 'untyped', help: '', unit: '' }]);
  assert.deepEqual(meta.get('x'), [{ type: 'counter', help: 'a', unit: '' }]);
});

test('bearer and basic authentication', async () => {
  answer = (_r, res) => json(res, 200, { status: 'success', data: [] });
  await engine({ bearerToken: 's3cr3t' }).labelNames({ match: [], ...ALL });
  assert.equal(lastRequest().headers.authorization, 'Bearer s3cr3t');
  await engine({ basicAuth: { username: 'user', password: 'p:w' } }).labelNames({ match: [], ...ALL });
  assert.equal(lastRequest().headers.authorization, `Basic ${Buffer.from('user:p:w').toString('base64')}`);
  await engine().labelNames({ match: [], ...ALL });
  assert.equal(lastRequest().headers.authorization, undefined);
});

test('a gzipped answer is read', async () => {
  answer = (r, res) => {
    assert.match(String(r.headers['accept-encoding']), /gzip/);
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(gzipSync(JSON.stringify({ status: 'success', data: ['a', 'b'] })));
  };
  assert.deepEqual(await engine().labelNames({ match: [], ...ALL }), ['a', 'b']);
});

async function failsWith(p: Promise<unknown>, type: QueryErrorType, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof QueryError, String(e));
    assert.equal(e.type, type, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('upstream errors keep the upstream type and message; other failures are named', async () => {
  const e = engine();
  for (const [type, status] of [
    ['bad_data', 400],
    ['execution', 422],
    ['timeout', 503],
    ['canceled', 499],
    ['internal', 500],
  ] as const) {
    answer = (_r, res) =>
      json(res, status, { status: 'error', errorType: type, error: `upstream says ${type}` });
    await failsWith(e.instant('x', 0), type, new RegExp(`^upstream says ${type}$`));
  }
  answer = (_r, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
  await failsWith(e.instant('x', 0), 'internal', /answered HTTP 502: <html>Bad Gateway/);
  answer = (_r, res) =>
    json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } });
  await failsWith(e.instant('x', 0), 'internal', /malformed result/);
  answer = (_r, res) =>
    json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ values: [[1, 'x']] }] } });
  await failsWith(e.instant('x', 0), 'internal', /sample value "x" is not a number/);
});

test('refused connections, deadlines, cancellation and oversized answers', async () => {
  const closed = createServer();
  const closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = new UpstreamQueryEngine({
    url: `http://127.0.0.1:${closedPort}`,
    timeoutMs: 5000,
    maxResponseBytes: 1000,
  });
  await failsWith(refused.instant('x', 0), 'unavailable', /ECONNREFUSED/);
  refused.close();

  let hold: ServerResponse[] = [];
  answer = (_r, res) => {
    hold.push(res);
  };
  await failsWith(engine({ timeoutMs: 200 }).instant('x', 0), 'timeout', /did not answer within 200 ms/);
  const ac = new AbortController();
  const p = engine().instant('x', 0, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await failsWith(p, 'canceled', /canceled/);
  for (const res of hold) res.destroy();
  hold = [];

  answer = (_r, res) => json(res, 200, { status: 'success', data: ['x'.repeat(5000)] });
  await failsWith(
    engine({ maxResponseBytes: 1000 }).labelNames({ match: [], ...ALL }),
    'execution',
    /more than 1000 bytes/,
  );
  answer = (_r, res) =>
    res
      .writeHead(200, { 'content-encoding': 'gzip' })
      .end(gzipSync(JSON.stringify({ status: 'success', data: ['y'.repeat(100_000)] })));
  await failsWith(
    engine({ maxResponseBytes: 10_000 }).labelNames({ match: [], ...ALL }),
    'execution',
    /more than 10000 bytes/,
  );
});

test('TLS: a private CA, a client certificate, server_name, and insecure_skip_verify', async () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-upstream-tls-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=telemux test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  const leaf = (name: string, cn: string, ext: string) => {
    fs.writeFileSync(f(`${name}.ext`), ext);
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
    );
    ssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.pem`),
    );
  };
  leaf(
    'server',
    'upstream.telemux.test',
    'subjectAltName=DNS:upstream.telemux.test\nextendedKeyUsage=serverAuth\n',
  );
  leaf('client', 'telemux', 'extendedKeyUsage=clientAuth\n');

  const tlsServer = createHttpsServer(
    {
      key: fs.readFileSync(f('server.key')),
      cert: fs.readFileSync(f('server.pem')),
      ca: fs.readFileSync(f('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    handler,
  );
  const tlsPort = await listen(tlsServer);
  answer = (_r, res) => json(res, 200, { status: 'success', data: ['tls'] });
  const make = (tls: UpstreamHttpOptions['tls']) => {
    const e = new UpstreamQueryEngine({
      url: `https://127.0.0.1:${tlsPort}`,
      timeoutMs: 5000,
      maxResponseBytes: 1 << 20,
      tls,
    });
    after(() => e.close());
    return e;
  };
  const q = { match: [], ...ALL };
  const client = { certFile: f('client.pem'), keyFile: f('client.key') };

  assert.deepEqual(
    await make({ caFile: f('ca.pem'), serverName: 'upstream.telemux.test', ...client }).labelNames(q),
    ['tls'],
  );
  // The certificate does not name 127.0.0.1, and the system CAs do not know the private CA.
  await failsWith(make({ caFile: f('ca.pem'), ...client }).labelNames(q), 'unavailable', /altnames|IP/i);
  await failsWith(
    make({ serverName: 'upstream.telemux.test', ...client }).labelNames(q),
    'unavailable',
    /certificate/i,
  );
  // Without a client certificate the server hangs up.
  await failsWith(
    make({ caFile: f('ca.pem'), serverName: 'upstream.telemux.test' }).labelNames(q),
    'unavailable',
    /certificate required/,
  );
  assert.deepEqual(await make({ insecureSkipVerify: true, ...client }).labelNames(q), ['tls']);
});
