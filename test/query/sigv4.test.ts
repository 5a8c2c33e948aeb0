// SigV4 signing of upstream requests: AWS's published `get-vanilla` test vector, and real requests
// checked by a local server that recomputes the signature with its own implementation of the
// algorithm (node:crypto), so a wrong canonical form, body hash or header list cannot pass.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import { Sigv4ConfigError, Sigv4Signer } from '../../src/query/sigv4.ts';
import { UpstreamQueryEngine } from '../../src/query/upstream-engine.ts';

// From AWS's SigV4 test suite (aws-sig-v4-test-suite/get-vanilla).
const VECTOR_KEY = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

test('the get-vanilla test vector', () => {
  const signer = new Sigv4Signer(
    { ...VECTOR_KEY, region: 'us-east-1', service: 'service', sessionToken: '' },
    {},
  );
  const headers = signer.sign({
    method: 'GET',
    host: 'example.amazonaws.com',
    path: '/',
    headers: { 'X-Amz-Date': '20150830T123600Z' },
  });
  assert.equal(
    headers.Authorization,
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  );
  assert.equal(headers.Host, 'example.amazonaws.com');
  // The independent verifier below agrees with the vector too.
  assert.equal(
    expectedSignature({
      method: 'GET',
      path: '/',
      query: '',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      signedHeaders: ['host', 'x-amz-date'],
      body: '',
      secret: VECTOR_KEY.secretKey,
      scope: { date: '20150830', region: 'us-east-1', service: 'service' },
    }),
    '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  );
});

test('credentials and region from the standard AWS environment variables; none is an error', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKID',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'tok',
    AWS_REGION: 'eu-west-1',
  };
  const signer = new Sigv4Signer(
    { region: '', accessKey: '', secretKey: '', sessionToken: '', service: 'aps' },
    env,
  );
  assert.equal(signer.region, 'eu-west-1');
  const h = signer.sign({ method: 'GET', host: 'h', path: '/x', headers: {} });
  assert.match(h.Authorization, /^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/aps\/aws4_request, /);
  assert.equal(h['X-Amz-Security-Token'], 'tok');
  assert.match(h['X-Amz-Date'], /^\d{8}T\d{6}Z$/);
  assert.throws(
    () =>
      new Sigv4Signer(
        { region: 'us-east-1', accessKey: '', secretKey: '', sessionToken: '', service: 'aps' },
        {},
      ),
    Sigv4ConfigError,
  );
  assert.throws(
    () =>
      new Sigv4Signer({ region: '', accessKey: 'a', secretKey: 'b', sessionToken: '', service: 'aps' }, {}),
    Sigv4ConfigError,
  );
});

interface Verified {
  readonly method: string;
  readonly path: string;
  readonly signedHeaders: string[];
  readonly ok: boolean;
}

const SECRET = 'sEcReT/KEY+example';
const seen: Verified[] = [];
const server = createServer(async (req, res) => {
  const body = await readBody(req);
  const v = verify(req, body);
  seen.push(v);
  if (!v.ok) {
    res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"signature does not match"}');
    return;
  }
  const data = req.url?.startsWith('/workspaces/ws-1/api/v1/query')
    ? { resultType: 'scalar', result: [1, '2'] }
    : req.url?.includes('/values')
      ? ['a']
      : [{ __name__: 'up' }];
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const port = (server.address() as { port: number }).port;

test('requests to an upstream carry a signature the server can verify (GET and form POST)', async () => {
  const engine = UpstreamQueryEngine.fromConfig(
    {
      url: `http://127.0.0.1:${port}/workspaces/ws-1`,
      bearer_token: '',
      basic_auth: { username: '', password: '' },
      tls: { ca_file: '', cert_file: '', key_file: '', insecure_skip_verify: false, server_name: '' },
      timeout: 5000,
      max_response_bytes: 1 << 20,
      sigv4: {
        region: 'us-west-2',
        access_key: 'AKIDTEST',
        secret_key: SECRET,
        session_token: 'sess',
        service: 'aps',
      },
    },
    { env: {} },
  );
  try {
    const out = await engine.instant('sum by (job) (rate(x{a="b c", d=~"e|f"}[5m]))', 1_700_000_000_000);
    assert.deepEqual(out.value, { resultType: 'scalar', result: { t: 1000, v: 2 } });
    await engine.labelValues('job', {
      match: ['up{job!="x y"}', '{__name__=~"a.*"}'],
      startMs: 1000,
      endMs: 2000,
    });
    await engine.series({ match: ['up'], startMs: Number.MIN_SAFE_INTEGER, endMs: Number.MAX_SAFE_INTEGER });
  } finally {
    engine.close();
  }
  assert.equal(seen.length, 3);
  for (const v of seen) {
    assert.ok(v.ok, `signature of ${v.method} ${v.path} verifies`);
    for (const h of ['host', 'x-amz-date', 'x-amz-security-token']) assert.ok(v.signedHeaders.includes(h), h);
  }
  assert.deepEqual(
    seen.map((v) => [v.method, v.path]),
    [
      ['POST', '/workspaces/ws-1/api/v1/query'],
      ['GET', '/workspaces/ws-1/api/v1/label/job/values'],
      ['POST', '/workspaces/ws-1/api/v1/series'],
    ],
  );
});

test('a wrong secret fails verification (the verifier is not a rubber stamp)', async () => {
  seen.length = 0;
  const engine = new UpstreamQueryEngine({
    url: `http://127.0.0.1:${port}`,
    timeoutMs: 5000,
    maxResponseBytes: 1 << 20,
    signer: new Sigv4Signer({
      region: 'us-west-2',
      accessKey: 'AKIDTEST',
      secretKey: 'wrong',
      sessionToken: '',
      service: 'aps',
    }),
  });
  try {
    await assert.rejects(engine.labelNames({ match: [], startMs: 0, endMs: 1 }));
  } finally {
    engine.close();
  }
  assert.equal(seen[0]?.ok, false);
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      s += c;
    });
    req.on('end', () => resolve(s));
  });
}

/** Checks the Authorization header of a received request against a signature computed here. */
function verify(req: IncomingMessage, body: string): Verified {
  const url = new URL(req.url ?? '/', 'http://x');
  const auth = String(req.headers.authorization ?? '');
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  const fail = { method: req.method ?? '', path: url.pathname, signedHeaders: [], ok: false };
  if (m === null || m[1] !== 'AKIDTEST') return fail;
  const signedHeaders = m[5].split(';');
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = String(req.headers[h] ?? '');
  const want = expectedSignature({
    method: req.method ?? '',
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    signedHeaders,
    body,
    secret: SECRET,
    scope: { date: m[2], region: m[3], service: m[4] },
  });
  const dateOk = String(req.headers['x-amz-date']).startsWith(m[2]);
  return { method: req.method ?? '', path: url.pathname, signedHeaders, ok: dateOk && want === m[6] };
}

/** SigV4 per AWS's documentation, written independently of aws4. */
function expectedSignature(r: {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  signedHeaders: string[];
  body: string;
  secret: string;
  scope: { date: string; region: string; service: string };
}): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const pairs = r.query === '' ? [] : [...new URLSearchParams(r.query)].map(([k, v]) => [enc(k), enc(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const canonical = [
    r.method,
    r.path.split('/').map(enc).join('/'),
    pairs.map(([k, v]) => `${k}=${v}`).join('&'),
    `${r.signedHeaders.map((h) => `${h}:${r.headers[h].trim().replace(/\s+/g, ' ')}`).join('\n')}\n`,
    r.signedHeaders.join(';'),
    createHash('sha256').update(r.body).digest('hex'),
  ].join('\n');
  const scope = `${r.scope.date}/${r.scope.region}/${r.scope.service}/aws4_request`;
  const amzDate = r.headers['x-amz-date'];
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer = Buffer.from(`AWS4${r.secret}`);
  for (const part of [r.scope.date, r.scope.region, r.scope.service, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}
