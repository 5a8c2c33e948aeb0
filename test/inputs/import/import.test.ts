import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { exportRoutes } from '../../../src/api/export.ts';
import { ImportLineError, parseImportLine } from '../../../src/inputs/import/json-lines.ts';
import { importRoutes } from '../../../src/inputs/import/routes.ts';
import { Registry } from '../../../src/registry/registry.ts';
import { createInputMetrics } from '../../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-import-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 24 });
await app.register(importRoutes, {
  storage: db,
  inputMetrics: createInputMetrics(new Registry()),
  maxBytes: 1 << 24,
  now: () => 1_700_000_000_000,
});
await app.register(exportRoutes, { db });
after(async () => {
  await app.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const exported = async (selector: string) => {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/export?match[]=${encodeURIComponent(selector)}`,
  });
  return res.body === ''
    ? []
    : res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
};

test('JSON lines: what export writes, import reads (special values, gzip, extra_label)', async () => {
  const body = [
    '{"metric":{"__name__":"temp","room":"a"},"values":[20.5,"NaN","+Inf",21],"timestamps":[1000,2000,3000,4000]}',
    '',
    '{"metric":{"__name__":"temp","room":"b"},"values":[1],"timestamps":[1000]}',
  ].join('\n');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import?extra_label=site=x',
    headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
    payload: gzipSync(body),
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(await exported('temp{room="a"}'), [
    {
      metric: { __name__: 'temp', room: 'a', site: 'x' },
      values: [20.5, 'NaN', '+Inf', 21],
      timestamps: [1000, 2000, 3000, 4000],
    },
  ]);
  // Round trip: re-import the export into new series.
  const again = (await exported('temp{room="b"}')).map((l: { metric: Record<string, string> }) =>
    JSON.stringify({ ...l, metric: { ...l.metric, __name__: 'temp_copy' } }),
  );
  const res2 = await app.inject({ method: 'POST', url: '/api/v1/import', payload: again.join('\n') });
  assert.equal(res2.statusCode, 204);
  assert.equal((await exported('temp_copy'))[0].values[0], 1);
});

test('JSON lines: a bad line is 400 with its number; the valid lines are stored', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import',
    payload: [
      '{"metric":{"__name__":"ok1"},"values":[1],"timestamps":[1000]}',
      '{"metric":{"__name__":"bad"},"values":[1,2],"timestamps":[1000]}',
      'not json',
      '{"metric":{"__name__":"ok2"},"values":[2],"timestamps":[1000]}',
    ].join('\n'),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /line 2: 2 values but 1 timestamps/);
  assert.equal((await exported('ok1')).length, 1);
  assert.equal((await exported('ok2')).length, 1);
});

test('Prometheus text: own timestamps kept, the rest at now; histograms flattened; bad text is 400', async () => {
  const text = [
    '# TYPE http_requests_total counter',
    'http_requests_total{code="200"} 5 1600000000000',
    'http_requests_total{code="500"} 1',
    '# TYPE lat histogram',
    'lat_bucket{le="1"} 2',
    'lat_bucket{le="+Inf"} 3',
    'lat_sum 4.5',
    'lat_count 3',
    '',
  ].join('\n');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import/prometheus?extra_label=job=import',
    payload: text,
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual((await exported('http_requests_total{code="200"}'))[0].timestamps, [1600000000000]);
  assert.deepEqual((await exported('http_requests_total{code="500"}'))[0].timestamps, [1_700_000_000_000]);
  assert.equal((await exported('lat_bucket')).length, 2);
  assert.equal((await exported('{job="import"}')).length, 6);
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/import/prometheus',
    payload: 'x{a="unterminated} 1\n',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /line 1/);
  const binary = await app.inject({
    method: 'POST',
    url: '/api/v1/import/prometheus',
    payload: Buffer.from([0, 255, 1, 2]),
  });
  assert.equal(binary.statusCode, 400);
  assert.equal((await exported('http_requests_total')).length, 2, 'earlier data still there');
});

test('parseImportLine never throws anything but ImportLineError', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.jsonValue().map((v) => JSON.stringify({ metric: v, values: v, timestamps: v })),
      ),
      (line) => {
        try {
          parseImportLine(line);
        } catch (err) {
          assert.ok(err instanceof ImportLineError, String(err));
        }
      },
    ),
    { numRuns: 1000 },
  );
});
