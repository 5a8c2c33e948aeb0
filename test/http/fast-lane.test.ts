// The fast lane (src/http/fast-lane.ts): a lane route answers requests over a socket without Fastify
// (no hooks run), and exactly as its Fastify twin answers app.inject(); the body limit, a throwing
// handler and a closing server get what Fastify gives them; everything else is Fastify's.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApp } from '../../src/api/app.ts';
import { laneRoute } from '../../src/http/fast-lane.ts';
import { type HttpAnswer, httpRequest } from '../helpers/http-request.ts';

const logger = pino({ level: 'silent' });

/** One request to `app`'s socket. */
function request(
  app: FastifyInstance,
  method: string,
  path: string,
  body?: Buffer | Buffer[],
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return httpRequest((app.server.address() as AddressInfo).port, method, path, body, headers);
}

/** An app with one lane route echoing what it saw, and a hook that counts what Fastify handled. */
async function echoApp(bodyLimitBytes = 1024): Promise<{ app: FastifyInstance; hooked: () => number }> {
  const app = createApp({ logger, bodyLimitBytes });
  let hooked = 0;
  app.addHook('onRequest', async () => {
    hooked++;
  });
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    laneRoute(scope, '/echo', async (req) => {
      if (req.headers['x-fail'] !== undefined) throw new Error('the handler failed');
      const size = req.body === undefined ? 'none' : String(req.body.length);
      if (req.headers['x-empty'] !== undefined) return { status: 204, headers: { 'X-Size': size } };
      return { status: 201, headers: { 'X-Size': size }, text: `got ${size} bytes\n` };
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, hooked: () => hooked };
}

test('a lane route answers over a socket without Fastify, and as inject() does', async () => {
  const { app, hooked } = await echoApp();
  try {
    const body = Buffer.from('hello lane');
    const headers = { 'content-type': 'application/octet-stream' };
    const lane = await request(app, 'POST', '/echo?x=1', body, headers);
    assert.equal(hooked(), 0, 'no Fastify hook ran for the lane');
    const injected = await app.inject({ method: 'POST', url: '/echo?x=1', payload: body, headers });
    assert.equal(hooked(), 1);
    for (const answer of [
      lane,
      { status: injected.statusCode, headers: injected.headers, body: injected.body },
    ]) {
      assert.equal(answer.status, 201);
      assert.equal(answer.body, 'got 10 bytes\n');
      assert.equal(answer.headers['x-size'], '10');
      assert.equal(answer.headers['content-type'], 'text/plain');
      assert.equal(answer.headers['content-length'], '13');
    }
    const empty = await request(app, 'POST', '/echo', body, { ...headers, 'x-empty': '1' });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
    assert.equal(empty.headers['x-size'], '10');
    // A body in several chunks, without a Content-Length.
    const chunked = await request(app, 'POST', '/echo', [Buffer.alloc(300), Buffer.alloc(400)], headers);
    assert.equal(chunked.body, 'got 700 bytes\n');
    assert.equal(hooked(), 1);
  } finally {
    await app.close();
  }
});

test('a lane route registered under a prefix is on the lane under it', async () => {
  const app = createApp({ logger, bodyLimitBytes: 1024 });
  let hooked = 0;
  app.addHook('onRequest', async () => {
    hooked++;
  });
  await app.register(
    async (scope) => {
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      laneRoute(scope, '/echo', async () => ({ status: 200, text: 'prefixed\n' }));
    },
    { prefix: '/p' },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const res = await request(app, 'POST', '/p/echo', Buffer.from('x'), { 'content-type': 'x/y' });
    assert.equal(res.body, 'prefixed\n');
    assert.equal(hooked, 0);
  } finally {
    await app.close();
  }
});

test('other methods and paths are Fastify’s', async () => {
  const { app, hooked } = await echoApp();
  try {
    const get = await request(app, 'GET', '/echo');
    assert.equal(get.status, 404);
    assert.match(get.body, /404 page not found: GET \/echo/);
    const other = await request(app, 'POST', '/echo/more', Buffer.from('x'));
    assert.equal(other.status, 404);
    assert.equal(hooked(), 2);
  } finally {
    await app.close();
  }
});

test('bodies over the limit get 413, with or without a Content-Length', async () => {
  const { app } = await echoApp(1024);
  try {
    const declared = await request(app, 'POST', '/echo', Buffer.alloc(2000), {
      'content-type': 'application/octet-stream',
    });
    assert.equal(declared.status, 413);
    assert.match(declared.body, /too large/i);
    const inject = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: Buffer.alloc(2000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(inject.statusCode, 413);
    assert.equal(inject.body, declared.body);
    const chunked = await request(app, 'POST', '/echo', [Buffer.alloc(600), Buffer.alloc(600)], {
      'content-type': 'application/octet-stream',
    }).catch((err: Error) => err);
    // The answer, unless the client saw the connection close before reading it.
    if (!(chunked instanceof Error)) assert.equal(chunked.status, 413);
    // The server is still up.
    const ok = await request(app, 'POST', '/echo', Buffer.alloc(1024), { 'content-type': 'x/y' });
    assert.equal(ok.body, 'got 1024 bytes\n');
  } finally {
    await app.close();
  }
});

test('a handler that throws gets 500 with its message, as from Fastify', async () => {
  const { app } = await echoApp();
  try {
    const headers = { 'content-type': 'x/y', 'x-fail': '1' };
    const lane = await request(app, 'POST', '/echo', Buffer.from('x'), headers);
    const injected = await app.inject({ method: 'POST', url: '/echo', payload: 'x', headers });
    assert.equal(lane.status, 500);
    assert.equal(injected.statusCode, 500);
    assert.equal(lane.body, 'the handler failed\n');
    assert.equal(injected.body, lane.body);
  } finally {
    await app.close();
  }
});

test('once the server is closing, lane routes answer 503 as Fastify’s do', async () => {
  const { app } = await echoApp();
  try {
    const lane = app.fastLane;
    assert.ok(lane);
    lane.closing = true;
    const res = await request(app, 'POST', '/echo', Buffer.from('x'), { 'content-type': 'x/y' });
    assert.equal(res.status, 503);
    assert.equal(res.headers.connection, 'close');
    assert.match(res.body, /Service Unavailable/);
    lane.closing = false;
  } finally {
    await app.close();
  }
  assert.equal(app.fastLane?.closing, true, 'closing the app closes the lane');
});
