import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { ScrapeManager } from '../../../src/inputs/scrape/manager.ts';
import { targetsRoutes } from '../../../src/inputs/scrape/routes.ts';
import { job, startTarget, type TestTarget, tempDb } from './helpers.ts';

let target: TestTarget;
let store: ReturnType<typeof tempDb>;
let manager: ScrapeManager;
let app: FastifyInstance;
let deadAddress: string;

before(async () => {
  target = await startTarget({ body: 'x 1\n' });
  const dead = await startTarget();
  deadAddress = dead.address;
  await dead.close();
  store = tempDb();
  manager = new ScrapeManager({
    storage: store.db,
    externalHostname: 'telemux.example',
    configs: [
      {
        ...job({ job_name: 'web', targets: [target.address], scrape_interval: '1m' }),
        static_configs: [{ targets: [target.address, deadAddress], labels: { env: 'prod' } }],
      },
      job({
        job_name: 'alpha',
        targets: ['10.0.0.1:9100'],
        scrape_interval: '5s',
        params: { module: ['m1'] },
      }),
    ],
  });
  app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
  await app.register(targetsRoutes, { manager });
  await app.ready();
});

after(async () => {
  await app.close();
  await manager.stop();
  await target.close();
  await store.cleanup();
});

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^application\/json/);
  const body = res.json();
  assert.equal(body.status, 'success');
  return body.data;
}

test('before any scrape: health unknown, Go zero time, Prometheus field set', async () => {
  const data = await get('/api/v1/targets');
  assert.deepEqual(data.droppedTargets, []);
  assert.deepEqual(data.droppedTargetCounts, { alpha: 0, web: 0 });
  assert.equal(data.activeTargets.length, 3);
  const alpha = data.activeTargets[0];
  assert.deepEqual(alpha, {
    discoveredLabels: {
      __address__: '10.0.0.1:9100',
      __metrics_path__: '/metrics',
      __param_module: 'm1',
      __scheme__: 'http',
      __scrape_interval__: '5s',
      __scrape_timeout__: '5s',
      job: 'alpha',
    },
    labels: { instance: '10.0.0.1:9100', job: 'alpha' },
    scrapePool: 'alpha',
    scrapeUrl: 'http://10.0.0.1:9100/metrics?module=m1',
    globalUrl: 'http://10.0.0.1:9100/metrics?module=m1',
    lastError: '',
    lastScrape: '0001-01-01T00:00:00Z',
    lastScrapeDuration: 0,
    health: 'unknown',
    scrapeInterval: '5s',
    scrapeTimeout: '5s',
  });
});

test('after scraping: up and down targets with lastScrape, duration and error', async () => {
  // Only the web pool: the alpha target is not routable.
  const before = Date.now();
  await manager.scrapeAll('web');
  const data = await get('/api/v1/targets?state=active&scrapePool=web');
  assert.equal(data.droppedTargetCounts, undefined);
  const [up, down] = data.activeTargets;
  assert.equal(up.health, 'up');
  assert.equal(up.lastError, '');
  assert.equal(up.scrapeUrl, `http://${target.address}/metrics`);
  assert.equal(up.globalUrl, `http://telemux.example:${target.address.split(':')[1]}/metrics`);
  assert.deepEqual(up.labels, { env: 'prod', instance: target.address, job: 'web' });
  assert.equal(up.discoveredLabels.env, 'prod');
  assert.equal(up.scrapeInterval, '1m');
  assert.equal(up.scrapeTimeout, '10s');
  assert.match(up.lastScrape, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Date.parse(up.lastScrape) >= before - 1000);
  assert.equal(typeof up.lastScrapeDuration, 'number');
  assert.ok(up.lastScrapeDuration > 0);
  assert.equal(down.health, 'down');
  assert.match(down.lastError, /ECONNREFUSED/);
});

test('state=dropped lists no active targets; an unknown state lists nothing', async () => {
  const dropped = await get('/api/v1/targets?state=dropped');
  assert.deepEqual(dropped.activeTargets, []);
  assert.deepEqual(dropped.droppedTargets, []);
  const any = await get('/api/v1/targets?state=ANY');
  assert.equal(any.activeTargets.length, 3);
  const bogus = await get('/api/v1/targets?state=bogus');
  assert.deepEqual(bogus, { activeTargets: [], droppedTargets: [] });
  const pool = await get('/api/v1/targets?scrapePool=nope');
  assert.deepEqual(pool.activeTargets, []);
});
