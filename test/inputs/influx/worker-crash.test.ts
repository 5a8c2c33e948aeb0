// With parse workers, a worker dying while parsing a body (here: out of its heap) costs that request
// a 503 in InfluxDB's JSON shape; what was acknowledged before stays, and the next request works.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { influxRoutes } from '../../../src/inputs/influx/routes.ts';
import { Registry } from '../../../src/registry/registry.ts';
import { createInputMetrics } from '../../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import { WorkerPool } from '../../../src/workers/pool.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-influx-crash-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [] });
const pool = new WorkerPool({ size: 1, maxHeapMb: 32 });
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 27 });
await app.register(influxRoutes, {
  storage: db,
  inputMetrics: createInputMetrics(new Registry()),
  maxDecompressedBytes: 1 << 27,
  decodePool: pool,
});
after(async () => {
  await app.close();
  await pool.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = (metric: string) =>
  db
    .querier(-1e15, 1e15)
    .select([Matcher.equal('__name__', metric)])
    .map((s) => s.labels.toString());

test('a worker out of memory: 503, nothing of that body stored, earlier writes kept, the next one works', async () => {
  const write = (payload: string) =>
    app.inject({ method: 'POST', url: '/api/v2/write?bucket=b&precision=ms', payload });
  assert.equal((await write('kept,k=1 v=1 1000')).statusCode, 204);
  // Many distinct series, each a few small objects (one huge allocation would abort the process
  // rather than stop the worker: V8 cannot always hand that back).
  const pad = 'p'.repeat(40);
  const lines: string[] = [];
  for (let i = 0; i < 200_000; i++) lines.push(`bomb,i=${i},pad=${pad}${i} v=1 1000`);
  const res = await write(lines.join('\n'));
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().code, 'unavailable');
  assert.match(res.json().message, /nothing was stored; retry/);
  assert.deepEqual(names('bomb_v'), []);
  assert.equal((await write('kept,k=1 v=2 2000\nkept,k=2 v=3 2000')).statusCode, 204);
  assert.deepEqual(names('kept_v').sort(), ['kept_v{db="b", k="1"}', 'kept_v{db="b", k="2"}']);
});
