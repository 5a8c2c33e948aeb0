import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../../src/api/app.ts';
import { healthRoutes } from '../../src/api/health.ts';

const logger = pino({ level: 'silent' });

test('request bodies over the limit get 413 with a message', async () => {
  const app = createApp({ logger, bodyLimitBytes: 1024 });
  app.post('/echo', async (req) => String((req.body as string).length));
  const small = await app.inject({
    method: 'POST',
    url: '/echo',
    payload: 'x'.repeat(1000),
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(small.statusCode, 200);
  const big = await app.inject({
    method: 'POST',
    url: '/echo',
    payload: 'x'.repeat(2000),
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(big.statusCode, 413);
  assert.match(big.body, /too large/i);
});

test('unknown paths get a plain-text 404', async () => {
  const app = createApp({ logger, bodyLimitBytes: 1024 });
  const res = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /404 page not found/);
});

test('/-/ready is 503 until ready, /-/healthy always 200', async () => {
  let ready = false;
  const app = createApp({ logger, bodyLimitBytes: 1024 });
  await app.register(healthRoutes, { isReady: () => ready });
  assert.equal((await app.inject('/-/healthy')).statusCode, 200);
  assert.equal((await app.inject('/-/ready')).statusCode, 503);
  ready = true;
  assert.equal((await app.inject('/-/ready')).statusCode, 200);
});
