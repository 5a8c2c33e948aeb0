// The npm client `prometheus-query` (samber/prometheus-query-js, on axios) against a real
// `telemux serve`: instant and range queries, series, label names and values, metadata, status,
// rules and alerts — by GET and, with `preferPost`, by form POST.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PrometheusDriver } from 'prometheus-query';
import { startTelemux } from '../helpers/telemux-process.ts';

const telemux = await startTelemux([]);
after(() => telemux.stop());
const endpoint = `http://${telemux.addresses.http}`;

const T = Math.floor((Date.now() - 600_000) / 60_000) * 60_000;
const rows = [
  {
    metric: { __name__: 'pq_jobs_total', queue: 'fast' },
    values: [10, 40, 70],
    timestamps: [T, T + 15_000, T + 30_000],
  },
  {
    metric: { __name__: 'pq_jobs_total', queue: 'slow' },
    values: [1, 2, 3],
    timestamps: [T, T + 15_000, T + 30_000],
  },
];
const imported = await fetch(`${endpoint}/api/v1/import`, {
  method: 'POST',
  body: rows.map((r) => JSON.stringify(r)).join('\n'),
});
assert.equal(imported.status, 204, await imported.text());
// Metadata comes with an exposition import.
const withMeta = await fetch(`${endpoint}/api/v1/import/prometheus?timestamp=${T}`, {
  method: 'POST',
  body: '# HELP pq_workers Workers running.\n# TYPE pq_workers gauge\npq_workers 4\n',
});
assert.equal(withMeta.status, 204, await withMeta.text());

for (const preferPost of [false, true]) {
  const prom = new PrometheusDriver({ endpoint, baseURL: '/api/v1/', preferPost });
  const how = preferPost ? 'POST' : 'GET';

  test(`${how}: instantQuery`, async () => {
    const r = await prom.instantQuery('pq_jobs_total', new Date(T + 30_000));
    assert.equal(r.resultType, 'vector');
    const got = r.result
      .map(
        (s: {
          metric: { name: string; labels: Record<string, string> };
          value: { time: Date; value: number };
        }) => [s.metric.name, s.metric.labels, s.value.time.getTime(), s.value.value],
      )
      .sort((a: unknown[], b: unknown[]) => String(a[3]).localeCompare(String(b[3])));
    assert.deepEqual(got, [
      ['pq_jobs_total', { queue: 'slow' }, T + 30_000, 3],
      ['pq_jobs_total', { queue: 'fast' }, T + 30_000, 70],
    ]);
  });

  test(`${how}: rangeQuery`, async () => {
    const r = await prom.rangeQuery('sum(pq_jobs_total)', new Date(T), new Date(T + 30_000), 15);
    assert.equal(r.resultType, 'matrix');
    assert.equal(r.result.length, 1);
    assert.deepEqual(
      r.result[0].values.map((v: { time: Date; value: number }) => [v.time.getTime(), v.value]),
      [
        [T, 11],
        [T + 15_000, 42],
        [T + 30_000, 73],
      ],
    );
  });

  test(`${how}: series, labelNames, labelValues`, async () => {
    const series = await prom.series('pq_jobs_total', new Date(T - 60_000), new Date(T + 60_000));
    assert.deepEqual(
      series.map((m) => [m.name, m.labels]),
      [
        ['pq_jobs_total', { queue: 'fast' }],
        ['pq_jobs_total', { queue: 'slow' }],
      ],
    );
    assert.deepEqual(await prom.labelNames('pq_jobs_total'), ['__name__', 'queue']);
    assert.deepEqual(await prom.labelValues('queue'), ['fast', 'slow']);
    assert.deepEqual(await prom.labelValues('queue', ['pq_jobs_total{queue="slow"}']), ['slow']);
  });

  test(`${how}: metadata, status, rules and alerts`, async () => {
    assert.deepEqual(await prom.metadata('pq_workers'), {
      pq_workers: [{ type: 'gauge', help: 'Workers running.', unit: '' }],
    });
    assert.equal((await prom.statusBuildinfo()).version, '3.0.0');
    assert.equal(typeof (await prom.statusRuntimeInfo()).startTime, 'string');
    assert.equal(typeof (await prom.statusFlags())['storage.tsdb.path'], 'string');
    assert.deepEqual(await prom.rules(), []);
    assert.deepEqual(await prom.alerts(), []);
  });

  test(`${how}: a bad query is an error with Prometheus' type`, async () => {
    await assert.rejects(
      prom.instantQuery('pq_jobs_total{'),
      (err: { httpStatus: number; prometheus: unknown }) => {
        assert.equal(err.httpStatus, 400);
        assert.equal((err.prometheus as { errorType: string }).errorType, 'bad_data');
        return true;
      },
    );
  });
}
