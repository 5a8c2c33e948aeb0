// The store inside a running `telemux serve`: a real Prometheus 2.42 remote-writes into it, the live
// registry is recorded into it, and both survive a restart on the same data directory.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, startSelfScrapingPrometheus } from '../helpers/prometheus.ts';
import { startTelemux } from '../helpers/telemux-process.ts';

interface ExportLine {
  metric: Record<string, string>;
  values: (number | string)[];
  timestamps: number[];
}

async function exportSeries(address: string, selector: string): Promise<ExportLine[]> {
  const res = await fetch(`http://${address}/api/v1/export?match[]=${encodeURIComponent(selector)}`);
  assert.equal(res.status, 200);
  const text = await res.text();
  return text === ''
    ? []
    : text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ExportLine);
}

test('Prometheus remote-writes into telemux; the registry is recorded; both survive a restart', {
  timeout: 120_000,
}, async (t) => {
  const store = mkdtempSync(join(tmpdir(), 'telemux-e2e-store-'));
  t.after(() => rmSync(store, { recursive: true, force: true }));
  const args = [`--storage.path=${store}`, '--storage.record_interval=200ms'];
  let tm = await startTelemux(args);
  t.after(() => tm.stop());

  const prom = await startSelfScrapingPrometheus(`http://${tm.addresses.http}/api/v1/write`);
  t.after(() => prom.stop());

  const up = await eventually(async () => {
    const s = await exportSeries(tm.addresses.http, 'up{job="self"}');
    return s.length === 1 && s[0].values.length >= 2 ? s[0] : undefined;
  }, 60_000);
  assert.equal(up.metric.instance, new URL(prom.url).host);
  assert.ok(up.values.every((v) => v === 1));
  // Prometheus' own counters arrive too, with their metadata-bearing names intact.
  const series = await exportSeries(tm.addresses.http, '{__name__=~"prometheus_.*"}');
  assert.ok(series.length > 50, `${series.length} prometheus_* series`);
  // The live registry is recorded: telemux's own metrics are in the store as well.
  const self = await eventually(async () => {
    const s = await exportSeries(tm.addresses.http, 'telemux_storage_head_series');
    return s.length === 1 && s[0].values.length >= 2 ? s[0] : undefined;
  });
  assert.ok(typeof self.values[0] === 'number');
  const status = (await (await fetch(`http://${tm.addresses.http}/api/v1/status/tsdb`)).json()) as {
    data: { headStats: { numSeries: number } };
  };
  assert.ok(status.data.headStats.numSeries > 50);

  await prom.stop();
  const before = await exportSeries(tm.addresses.http, 'up{job="self"}');
  assert.equal(await tm.stop(), 0);
  tm = await startTelemux(args);
  const after = await exportSeries(tm.addresses.http, 'up{job="self"}');
  assert.deepEqual(after[0].timestamps.slice(0, before[0].timestamps.length), before[0].timestamps);
});
