// The store's HTTP surfaces in-process: remote_write status codes, export, status and admin.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../src/api/app.ts';
import { exportRoutes } from '../../src/api/export.ts';
import { tsdbAdminRoutes } from '../../src/api/prometheus/tsdb-admin.ts';
import {
  encodeWriteRequest,
  encodeWriteRequestV2,
  snappyCompress,
} from '../../src/format/remote-write/index.ts';
import { remoteWriteRoutes } from '../../src/inputs/remote-write/receiver.ts';
import { Labels } from '../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../src/model/staleness.ts';
import { Registry } from '../../src/registry/registry.ts';
import { createInputMetrics } from '../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';
import { Matcher } from '../../src/tsdb/index/matcher.ts';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-api-'));
const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 100 * 365 * 86_400_000 });
const self = new Registry();
const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 20 });
await app.register(remoteWriteRoutes, {
  storage: db,
  inputMetrics: createInputMetrics(self),
  maxDecompressedBytes: 1 << 22,
});
await app.register(exportRoutes, { db });
await app.register(tsdbAdminRoutes, { db });
after(async () => {
  await app.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

function body(series: { labels: Record<string, string>; ts: number[]; vs: number[] }[]): Buffer {
  return Buffer.from(
    encodeWriteRequest({
      series: series.map((s) => ({
        labels: Labels.from(s.labels),
        timestamps: Float64Array.from(s.ts),
        // A plain number[] canonicalises NaN payloads, so the staleness marker is put in here.
        values: toFloat64(s.vs),
      })),
    }),
  );
}

function toFloat64(vs: number[]): Float64Array {
  const out = new Float64Array(vs.length);
  vs.forEach((v, i) => {
    out[i] = v === -1 ? STALE_NAN : v;
  });
  return out;
}

test('remote_write: 204 once stored; export returns the samples as JSON lines', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: HEADERS,
    payload: body([
      { labels: { __name__: 'up', job: 'a' }, ts: [1000, 2000, 3000], vs: [1, 0, 1] },
      {
        labels: { __name__: 'up', job: 'b' },
        ts: [1000, 2000],
        vs: [Number.POSITIVE_INFINITY, -1],
      } /* -1 stands for the staleness marker */,
    ]),
  });
  assert.equal(res.statusCode, 204, res.body);
  const exp = await app.inject({ method: 'GET', url: '/api/v1/export?match[]=up&start=0&end=10' });
  assert.equal(exp.statusCode, 200);
  const lines = exp.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { metric: { __name__: 'up', job: 'a' }, values: [1, 0, 1], timestamps: [1000, 2000, 3000] },
    { metric: { __name__: 'up', job: 'b' }, values: ['+Inf'], timestamps: [1000] },
  ]);
  const form = await app.inject({
    method: 'POST',
    url: '/api/v1/export',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'match[]=up{job="a"}&start=1.5&end=2.5',
  });
  assert.deepEqual(JSON.parse(form.body), {
    metric: { __name__: 'up', job: 'a' },
    values: [0],
    timestamps: [2000],
  });
});

test('remote_write: rejected samples get 400 naming one, and the valid ones are kept', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: HEADERS,
    payload: body([{ labels: { __name__: 'ooo' }, ts: [5000, 4000, 6000], vs: [1, 2, 3] }]),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /out of order sample: ooo\{\} @ 4000/);
  const exp = await app.inject({ method: 'GET', url: '/api/v1/export?match[]=ooo' });
  assert.deepEqual(JSON.parse(exp.body).timestamps, [5000, 6000]);
});

test('remote_write: bad bytes are 400 with the reason; wrong type or encoding 415', async () => {
  const garbage = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: HEADERS,
    payload: Buffer.from('not snappy at all'),
  });
  assert.equal(garbage.statusCode, 400);
  assert.match(garbage.body, /snappy/);
  const badProto = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: HEADERS,
    payload: Buffer.from(snappyCompress(Uint8Array.from([0x0a, 0xff, 0x01]))),
  });
  assert.equal(badProto.statusCode, 400);
  assert.match(badProto.body, /protobuf/);
  const unknown = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: { ...HEADERS, 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v3.Request' },
    payload: body([]),
  });
  assert.equal(unknown.statusCode, 415);
  const json = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    payload: '{}',
  });
  assert.equal(json.statusCode, 415);
  const plain = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: { ...HEADERS, 'content-encoding': 'identity' },
    payload: body([]),
  });
  assert.equal(plain.statusCode, 415);
});

test('status/tsdb shows head statistics and top cardinality; delete_series and snapshot work', async () => {
  const st = await app.inject({ method: 'GET', url: '/api/v1/status/tsdb?limit=2' });
  assert.equal(st.statusCode, 200);
  const data = JSON.parse(st.body).data;
  assert.equal(data.headStats.numSeries, 3);
  assert.deepEqual(data.seriesCountByMetricName, [
    { name: 'up', value: 2 },
    { name: 'ooo', value: 1 },
  ]);
  assert.equal(data.labelValueCountByLabelName[0].name, '__name__');
  const bad = await app.inject({ method: 'GET', url: '/api/v1/status/tsdb?limit=x' });
  assert.equal(bad.statusCode, 400);
  assert.equal(JSON.parse(bad.body).errorType, 'bad_data');

  const del = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/tsdb/delete_series?match[]=up{job="a"}&start=1.5&end=2.5',
  });
  assert.equal(del.statusCode, 204);
  const exp = await app.inject({ method: 'GET', url: '/api/v1/export?match[]={job="a"}' });
  assert.deepEqual(JSON.parse(exp.body).timestamps, [1000, 3000]);
  const noMatch = await app.inject({ method: 'POST', url: '/api/v1/admin/tsdb/delete_series' });
  assert.equal(noMatch.statusCode, 400);
  const badSel = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/tsdb/delete_series?match[]={job=~""}',
  });
  assert.equal(badSel.statusCode, 400);

  const snap = await app.inject({ method: 'POST', url: '/api/v1/admin/tsdb/snapshot' });
  assert.equal(snap.statusCode, 200);
  const name = JSON.parse(snap.body).data.name;
  assert.ok(fs.existsSync(path.join(dir, 'snapshots', name)));
});

test('remote_write 2.0: samples, staleness markers and metadata stored; the -Written headers answered', async () => {
  const values = new Float64Array(3);
  values[0] = 5;
  values[1] = STALE_NAN;
  values[2] = 7;
  const payload = Buffer.from(
    encodeWriteRequestV2({
      series: [
        {
          labels: Labels.from({ __name__: 'v2_total', job: 'x' }),
          timestamps: Float64Array.of(10_000, 20_000, 30_000),
          values,
        },
      ],
      metadata: [{ metricFamilyName: 'v2_total', type: 'counter', help: 'Two point oh.', unit: '' }],
    }),
  );
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/write',
    headers: {
      ...HEADERS,
      'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
      'x-prometheus-remote-write-version': '2.0.0',
    },
    payload,
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.headers['x-prometheus-remote-write-samples-written'], '3');
  assert.equal(res.headers['x-prometheus-remote-write-histograms-written'], '0');
  const rows: [number, bigint][] = [];
  const s = db.querier(0, 100_000).select([Matcher.equal('__name__', 'v2_total')])[0];
  const it = s.iterator();
  while (it.next()) rows.push([it.t, float64Bits(it.v)]);
  assert.deepEqual(rows, [
    [10_000, float64Bits(5)],
    [20_000, 0x7ff0000000000002n],
    [30_000, float64Bits(7)],
  ]);
  assert.deepEqual(db.head.metadata.get('v2_total'), { type: 'counter', help: 'Two point oh.', unit: '' });
});
