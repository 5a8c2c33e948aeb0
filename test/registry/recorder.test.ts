import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../src/model/labels.ts';
import { float64Bits, STALE_NAN_BITS } from '../../src/model/staleness.ts';
import { Recorder } from '../../src/registry/recorder.ts';
import { Registry } from '../../src/registry/registry.ts';
import { Head } from '../../src/tsdb/head/head.ts';
import { Matcher } from '../../src/tsdb/index/matcher.ts';
import { Querier } from '../../src/tsdb/querier/querier.ts';

function samples(head: Head, name: string): Map<string, [number, bigint][]> {
  const out = new Map<string, [number, bigint][]>();
  for (const s of new Querier([head], 0, Number.MAX_SAFE_INTEGER).select([Matcher.equal('__name__', name)])) {
    const rows: [number, bigint][] = [];
    const it = s.iterator();
    while (it.next()) rows.push([it.t, float64Bits(it.v)]);
    out.set(s.labels.toString(), rows);
  }
  return out;
}

test('the recorder writes one sample per exposed series per snapshot, named as a scrape would', async () => {
  const registry = new Registry();
  const head = new Head();
  const rec = new Recorder({ collectors: [registry], storage: head });
  const c = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
  const h = registry.histogram({ name: 'latency_seconds', help: 'L.', buckets: [0.1, 1] });
  c.labels('a').inc(3);
  h.labels().observe(0.5);
  const r = await rec.record(15_000);
  assert.deepEqual(r, { samples: 6, stale: 0, rejected: 0 });
  c.labels('a').inc();
  await rec.record(30_000);
  assert.deepEqual(samples(head, 'jobs_total').get('jobs_total{kind="a"}'), [
    [15_000, float64Bits(3)],
    [30_000, float64Bits(4)],
  ]);
  const buckets = samples(head, 'latency_seconds_bucket');
  assert.deepEqual([...buckets.keys()].sort(), [
    'latency_seconds_bucket{le="+Inf"}',
    'latency_seconds_bucket{le="0.1"}',
    'latency_seconds_bucket{le="1"}',
  ]);
  assert.equal(samples(head, 'latency_seconds_count').size, 1);
  assert.equal(samples(head, 'latency_seconds_sum').size, 1);
  assert.deepEqual(head.metadata.get('jobs_total'), { type: 'counter', help: 'Jobs.', unit: '' });
});

test('a series that disappears gets exactly one staleness marker, and comes back cleanly', async () => {
  const registry = new Registry();
  const head = new Head();
  const rec = new Recorder({ collectors: [registry], storage: head });
  const g = registry.gauge({ name: 'temp', help: '', labelNames: ['room'] });
  g.labels('a').set(20);
  g.labels('b').set(21);
  await rec.record(1000);
  g.remove(['b']);
  const r = await rec.record(2000);
  assert.equal(r.stale, 1);
  await rec.record(3000);
  g.labels('b').set(22);
  await rec.record(4000);
  const b = samples(head, 'temp').get('temp{room="b"}')!;
  assert.deepEqual(b, [
    [1000, float64Bits(21)],
    [2000, STALE_NAN_BITS],
    [4000, float64Bits(22)],
  ]);
  assert.equal(samples(head, 'temp').get('temp{room="a"}')!.length, 4);
  assert.ok(Labels.from({ __name__: 'temp', room: 'a' }));
});

test('start/stop records on the interval and never overlaps snapshots', async () => {
  const registry = new Registry();
  registry.gauge({ name: 'g', help: '' }).labels().set(1);
  const head = new Head();
  let t = 0;
  const rec = new Recorder({ collectors: [registry], storage: head, intervalMs: 5, now: () => (t += 1000) });
  rec.start();
  await new Promise((r) => setTimeout(r, 60));
  await rec.stop();
  const n = [...samples(head, 'g').values()][0].length;
  assert.ok(n >= 2, `recorded ${n} snapshots`);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal([...samples(head, 'g').values()][0].length, n, 'no snapshot after stop');
});
