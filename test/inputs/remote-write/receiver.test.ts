// The remote_write receiver, decoding in this thread and in the decode pool's worker threads: the
// same answers either way (stored samples bit for bit, staleness markers, metadata, the -Written
// headers, 400/415 with reasons, partial acceptance), and with workers, a worker that dies while
// decoding a request costs that request a 503 — nothing acknowledged is lost, the next one works.
// Each case runs through app.inject() (Fastify's route) and over a socket (the fast lane).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import {
  encodeWriteRequest,
  encodeWriteRequestV2,
  type RemoteWriteMetadata,
  type SeriesInput,
} from '../../../src/format/remote-write/index.ts';
import { remoteWriteRoutes } from '../../../src/inputs/remote-write/receiver.ts';
import { Labels } from '../../../src/model/labels.ts';
import { float64Bits, STALE_NAN, STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import { Registry } from '../../../src/registry/registry.ts';
import { createInputMetrics, type InputMetrics } from '../../../src/registry/self-metrics.ts';
import { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import { WorkerPool } from '../../../src/workers/pool.ts';

const HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };
const V2_HEADERS = {
  ...HEADERS,
  'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
};

interface Target {
  readonly app: FastifyInstance;
  readonly db: TimeSeriesDb;
  readonly metrics: InputMetrics;
  /** The server's URL when requests go over a socket (the fast lane), else they are injected. */
  readonly url?: string;
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function target(
  options: { pool?: WorkerPool; maxSeries?: number; socket?: boolean } = {},
): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-rw-'));
  const db = TimeSeriesDb.open({ path: dir, rollups: [], maxSeries: options.maxSeries });
  const metrics = createInputMetrics(new Registry());
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 1 << 24 });
  await app.register(remoteWriteRoutes, {
    storage: db,
    inputMetrics: metrics,
    maxDecompressedBytes: 1 << 26,
    decodePool: options.pool,
    // With a pool, every body goes to it: this file tests the workers' path, not the size bound.
    inlineMaxBytes: 0,
  });
  cleanups.push(async () => {
    await app.close();
    await options.pool?.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = options.socket ? await app.listen({ host: '127.0.0.1', port: 0 }) : undefined;
  return { app, db, metrics, url };
}

const series = (labels: Record<string, string>, ts: number[], vs: number[]): SeriesInput => ({
  labels: Labels.from(labels),
  timestamps: Float64Array.from(ts),
  values: Float64Array.from(vs),
});

/** Stored samples of the series named `name`: label set → [t, value bits]. */
function stored(db: TimeSeriesDb, name: string): Record<string, [number, bigint][]> {
  const out: Record<string, [number, bigint][]> = {};
  for (const s of db.querier(-1e15, 1e15).select([Matcher.equal('__name__', name)])) {
    const it = s.iterator();
    const rows: [number, bigint][] = [];
    while (it.next()) rows.push([it.t, float64Bits(it.v)]);
    out[s.labels.toString()] = rows;
  }
  return out;
}

const bits = (v: number) => float64Bits(v);
interface Answer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: string;
}

async function post(
  t: Target,
  payload: Uint8Array,
  headers: Record<string, string> = HEADERS,
): Promise<Answer> {
  if (t.url === undefined)
    return t.app.inject({ method: 'POST', url: '/api/v1/write', headers, payload: Buffer.from(payload) });
  const res = await fetch(`${t.url}/api/v1/write`, { method: 'POST', headers, body: payload });
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

const modes = [
  ['in this thread', () => undefined],
  ['in worker threads', () => new WorkerPool({ size: 2 })],
] as const;

for (const [decoding, pool] of modes)
  for (const socket of [false, true]) {
    const mode = `${decoding}, ${socket ? 'over a socket' : 'injected'}`;
    test(`${mode}: 1.0 samples bit for bit, staleness markers, metadata, -Written headers`, async () => {
      const t = await target({ pool: pool(), socket });
      const meta: RemoteWriteMetadata[] = [{ metricFamilyName: 'up', type: 'gauge', help: 'Up.', unit: '' }];
      // Stored element by element: an array literal may quiet the marker's NaN on the way.
      const stale = new Float64Array(2);
      stale[0] = 1;
      stale[1] = STALE_NAN;
      // The same series again in a second request: served from the label caches on both sides.
      for (const [from, vs] of [
        [1000, stale],
        [3000, new Float64Array([0.1, -0])],
      ] as const) {
        const res = await post(
          t,
          encodeWriteRequest({
            series: [
              {
                labels: Labels.from({ __name__: 'up', job: 'a' }),
                timestamps: Float64Array.from([from, from + 1000]),
                values: vs,
              },
              series({ __name__: 'up', job: 'b' }, [from], [from]),
            ],
            metadata: meta,
          }),
        );
        assert.equal(res.statusCode, 204, res.body);
        assert.equal(res.headers['x-prometheus-remote-write-samples-written'], '3');
        assert.equal(res.headers['x-prometheus-remote-write-histograms-written'], '0');
        assert.equal(res.headers['x-prometheus-remote-write-exemplars-written'], '0');
      }
      assert.deepEqual(stored(t.db, 'up'), {
        'up{job="a"}': [
          [1000, bits(1)],
          [2000, STALE_NAN_BITS],
          [3000, bits(0.1)],
          [4000, bits(-0)],
        ],
        'up{job="b"}': [
          [1000, bits(1000)],
          [3000, bits(3000)],
        ],
      });
      assert.deepEqual(t.db.head.metadata.get('up'), { type: 'gauge', help: 'Up.', unit: '' });
      assert.equal(t.metrics.received.labels('remote_write').value, 6);
    });

    test(`${mode}: 2.0 requests`, async () => {
      const t = await target({ pool: pool(), socket });
      const res = await post(
        t,
        encodeWriteRequestV2({ series: [series({ __name__: 'v2m', k: 'x' }, [5000, 6000], [1, 2])] }),
        V2_HEADERS,
      );
      assert.equal(res.statusCode, 204, res.body);
      assert.equal(res.headers['x-prometheus-remote-write-samples-written'], '2');
      assert.deepEqual(stored(t.db, 'v2m'), {
        'v2m{k="x"}': [
          [5000, bits(1)],
          [6000, bits(2)],
        ],
      });
    });

    test(`${mode}: 415 for other types and encodings, 400 for bad bytes (nothing stored)`, async () => {
      const t = await target({ pool: pool(), socket });
      const good = encodeWriteRequest({ series: [series({ __name__: 'bad' }, [1000], [1])] });
      const cases: [Record<string, string>, Uint8Array, number, RegExp][] = [
        [{ ...HEADERS, 'content-type': 'application/json' }, good, 415, /Content-Type/],
        [{ ...HEADERS, 'content-encoding': 'gzip' }, good, 415, /Content-Encoding/],
        [
          { ...HEADERS, 'content-type': 'application/x-protobuf;proto=x.Y' },
          good,
          415,
          /unknown protobuf message/,
        ],
        [HEADERS, Buffer.from('not snappy at all'), 400, /^snappy/],
        [HEADERS, good.subarray(0, good.length - 2), 400, /^snappy/],
        [
          HEADERS,
          encodeWriteRequest({
            series: [
              series({ __name__: 'bad', 'a-b': 'x' }, [1000], [1]),
              { labels: [], timestamps: new Float64Array([1]), values: new Float64Array([1]) },
            ],
          }),
          400,
          /^labels: series #1: .*no labels/,
        ],
      ];
      for (const [headers, payload, status, message] of cases) {
        const res = await post(t, payload, headers);
        assert.equal(res.statusCode, status, `${JSON.stringify(headers)}: ${res.body}`);
        assert.match(res.body, message);
      }
      assert.deepEqual(stored(t.db, 'bad'), {});
      assert.equal(t.metrics.dropped.labels('remote_write', 'bad_request').value, 3);
    });

    test(`${mode}: rejected samples and native histograms get 400; the valid samples are kept`, async () => {
      const t = await target({ pool: pool(), maxSeries: 2, socket });
      const res = await post(
        t,
        encodeWriteRequest({
          series: [
            series({ __name__: 'ooo' }, [5000, 4000, 6000], [1, 2, 3]),
            series({ __name__: 'hist' }, [1000], [1]),
            series({ __name__: 'over_limit' }, [1000], [1]),
          ],
        }),
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /out of order sample: ooo\{\} @ 4000 \(the other samples were stored\)/);
      assert.equal(res.headers['x-prometheus-remote-write-samples-written'], '3');
      assert.deepEqual(
        Object.values(stored(t.db, 'ooo'))[0].map(([ts]) => ts),
        [5000, 6000],
      );
      assert.equal(t.metrics.dropped.labels('remote_write', 'series_limit').value, 1);
      const h = await post(
        t,
        encodeWriteRequest({ series: [{ ...series({ __name__: 'hist' }, [2000], [2]), histogramCount: 2 }] }),
      );
      assert.equal(h.statusCode, 400);
      assert.match(h.body, /2 native histogram samples are not supported/);
      assert.equal(Object.values(stored(t.db, 'hist'))[0].length, 2);
    });
  }

test('in worker threads: a worker dying mid-request costs that request a 503; nothing acknowledged is lost', async () => {
  // A worker may use at most 32 MB: a request with enough distinct series exhausts it.
  const pool = new WorkerPool({ size: 1, maxHeapMb: 32 });
  const t = await target({ pool });
  const ok = await post(
    t,
    encodeWriteRequest({ series: [series({ __name__: 'kept', i: '1' }, [1000], [1])] }),
  );
  assert.equal(ok.statusCode, 204, ok.body);
  const pad = 'p'.repeat(400);
  const bomb: SeriesInput[] = [];
  for (let i = 0; i < 100_000; i++)
    bomb.push(series({ __name__: 'bomb', i: `${i}`, pad: `${pad}${i}` }, [1000], [1]));
  const res = await post(t, encodeWriteRequest({ series: bomb }));
  assert.equal(res.statusCode, 503, res.body);
  assert.match(res.body, /nothing was stored; retry/);
  assert.deepEqual(stored(t.db, 'bomb'), {});
  // A new worker takes the next request, for a known series and a new one alike.
  const after = await post(
    t,
    encodeWriteRequest({
      series: [
        series({ __name__: 'kept', i: '1' }, [2000], [2]),
        series({ __name__: 'kept', i: '2' }, [2000], [3]),
      ],
    }),
  );
  assert.equal(after.statusCode, 204, after.body);
  assert.deepEqual(stored(t.db, 'kept'), {
    'kept{i="1"}': [
      [1000, bits(1)],
      [2000, bits(2)],
    ],
    'kept{i="2"}': [[2000, bits(3)]],
  });
});
