// The PromQL engine against a real Prometheus 2.42 (Debian's package, installed by
// scripts/install-peers.sh): one generated dataset — counters with resets, gauges with NaN, classic
// histograms, summaries, gaps, staleness markers, ~2,200 series over 2 h — is remote-written into
// Prometheus and into a real `telemux serve`; then every query of queries.ts runs on both at four
// instant times and two ranges, and the answers must be equal (compare.ts). Where 3.x changed what
// 2.42 answers, telemux follows 3.x: differences.ts checks those cases against hand-computed answers.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTelemux, type TelemuxProcess } from '../helpers/telemux-process.ts';
import { type Answer, describeEvaluation, query, seconds } from './promql-differential/api.ts';
import { compareAnswers } from './promql-differential/compare.ts';
import { type Dataset, generateDataset } from './promql-differential/dataset.ts';
import { differenceCases } from './promql-differential/differences.ts';
import { evaluations } from './promql-differential/evaluations.ts';
import { type PrometheusPeer, startReceivingPrometheus } from './promql-differential/prometheus-peer.ts';
import { queryCases } from './promql-differential/queries.ts';
import { encodeDataset, remoteWrite } from './promql-differential/remote-write.ts';
import { runDifferential } from './promql-differential/runner.ts';

// A whole minute 3 minutes ago: the data must be recent for a fresh Prometheus head to take it.
const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 60_000;
const data: Dataset = generateDataset(endMs);
let prometheus: PrometheusPeer;
let telemux: TelemuxProcess;
let telemuxUrl: string;

before(async () => {
  // telemux records its own metrics (process_cpu_seconds_total, process_resident_memory_bytes, …)
  // into its store every record_interval; the dataset uses those names too, and Prometheus holds the
  // dataset only, so recording waits a day.
  [prometheus, telemux] = await Promise.all([
    startReceivingPrometheus(),
    startTelemux(['--storage.record_interval=24h']),
  ]);
  telemuxUrl = `http://${telemux.addresses.http}`;
  const bodies = encodeDataset(data);
  await Promise.all([
    remoteWrite(`${prometheus.url}/api/v1/write`, bodies),
    remoteWrite(`${telemuxUrl}/api/v1/write`, bodies),
  ]);
});

after(async () => {
  await Promise.all([prometheus?.stop(), telemux?.stop()]);
});

/**
 * Series and (non-stale) samples a store holds, counted by PromQL itself: last_over_time keeps the
 * metric name, count_over_time drops it, so samples are counted one metric name at a time.
 */
async function holdings(url: string): Promise<{ series: number; samples: number }> {
  const e = { kind: 'instant', timeMs: endMs + 60_000 + 250 } as const;
  const total = async (expr: string): Promise<number> => {
    const a = await query(url, expr, e);
    if (!a.ok) throw new Error(`${expr}: ${a.errorType} ${a.error}`);
    assert.equal(a.resultType, 'vector');
    return a.resultType === 'vector' && a.series.length === 1 ? a.series[0].vs[0] : 0;
  };
  const names = [...new Set(data.series.map((s) => s.labels.metricName))];
  let samples = 0;
  for (const name of names) samples += await total(`sum(count_over_time({__name__="${name}"}[3h]))`);
  return { series: await total('count(last_over_time({__name__=~".+"}[3h]))'), samples };
}

test('Prometheus 2.42 accepted every sample of the dataset', async () => {
  assert.match(prometheus.version, /^2\.42\./);
  assert.deepEqual(await holdings(prometheus.url), { series: data.series.length, samples: data.realSamples });
});

test('telemux holds every sample of the dataset', async () => {
  assert.deepEqual(await holdings(telemuxUrl), { series: data.series.length, samples: data.realSamples });
});

test('telemux answers every query as Prometheus 2.42 does', async () => {
  const cases = queryCases(data.startMs, data.endMs);
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  const summary = await runDifferential(
    prometheus.url,
    telemuxUrl,
    cases,
    evaluations(data.startMs, data.endMs),
  );
  const families = [...summary.families].map(([f, n]) => `${f} ${n}`).join(', ');
  console.log(
    `promql differential: ${summary.cases} queries (${families}), ${summary.comparisons} comparisons, ` +
      `${summary.mismatches.length} mismatches; dataset ${data.series.length} series, ${data.realSamples} samples, ` +
      `${data.staleMarkers} staleness markers, ${seconds(data.startMs)}..${seconds(data.endMs)}`,
  );
  for (const m of summary.mismatches.slice(0, 40))
    console.log(`  MISMATCH ${m.expr} [${m.evaluation}]: ${m.detail}`);
  if (summary.mismatches.length > 40) console.log(`  … and ${summary.mismatches.length - 40} more`);
  assert.deepEqual(summary.broken, [], 'cases the reference contradicts');
  assert.equal(summary.mismatches.length, 0, 'mismatches');
});

test('where 2.42 and 3.x differ, telemux gives the 3.x answer', async () => {
  const failures: string[] = [];
  for (const d of differenceCases(data.startMs, data.endMs)) {
    const [old, got]: Answer[] = await Promise.all([
      query(prometheus.url, d.prometheusExpr ?? d.expr, d.evaluation),
      query(telemuxUrl, d.expr, d.evaluation),
    ]);
    const where = `${d.id} (${d.expr}, ${describeEvaluation(d.evaluation)})`;
    // The documented 2.42 answer is still what 2.42 says: the case documents a real difference.
    const oldDiff = compareAnswers(d.expected242, old, false);
    if (oldDiff !== undefined)
      failures.push(`${where}: Prometheus 2.42 no longer answers as documented: ${oldDiff}`);
    const diffs = d.expected.map((want) => compareAnswers(want, got, false));
    if (!diffs.includes(undefined)) failures.push(`${where}: telemux: ${diffs.join(' / ')}`);
  }
  for (const f of failures) console.log(`  DIFFERENCE ${f}`);
  assert.deepEqual(failures, []);
});
