// Sealed chunks' encodings are chosen in a background thread of `telemux serve` at the lowest
// priority (nice 19), while the threads answering requests keep the process's: remote-written
// samples that seal chunks start that thread, and every sample reads back. The store's maintenance
// jobs run in another background thread, niced less (10): a snapshot starts it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { encodeWriteRequest, type SeriesInput } from '../../src/format/remote-write/index.ts';
import { Labels } from '../../src/model/labels.ts';
import { eventually } from '../helpers/prometheus.ts';
import { startTelemux } from '../helpers/telemux-process.ts';

/** Nice value of each thread of process `pid`, by thread id. */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // After "pid (comm) ": nice is field 19.
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

test('recoding and maintenance run in niced threads of their own; the main thread keeps its priority', {
  timeout: 60_000,
}, async (t) => {
  const tm = await startTelemux(['--ingest.decode_workers=2']);
  t.after(() => tm.stop());
  const pid = tm.child.pid!;
  const own = threadNices(pid).get(pid)!;
  assert.ok(![...threadNices(pid).values()].includes(19), 'no background thread before any chunk is sealed');

  // 20 series × 300 samples at 15 s: two sealed chunks each, and an open one.
  const start = Math.floor((Date.now() - 2 * 3600_000) / 3600_000) * 3600_000;
  const series: SeriesInput[] = Array.from({ length: 20 }, (_, k) => ({
    labels: Labels.from({ __name__: 'recode_probe', k: String(k) }),
    timestamps: Float64Array.from({ length: 300 }, (_, i) => start + i * 15_000),
    values: Float64Array.from({ length: 300 }, (_, i) => Math.round((k + i) * 2.5 * 10) / 10),
  }));
  const res = await fetch(`http://${tm.addresses.http}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: encodeWriteRequest({ series }),
  });
  assert.equal(res.status, 204);

  const niced = await eventually(async () => {
    const found = [...threadNices(pid)].filter(([, nice]) => nice === 19);
    return found.length > 0 ? found : undefined;
  }, 20_000);
  assert.equal(niced.length, 1, 'one recode thread');
  assert.equal(threadNices(pid).get(pid), own, 'the main thread is as it was');

  // Every sample reads back, whichever encoding its chunk ended in.
  const exported = await (
    await fetch(`http://${tm.addresses.http}/api/v1/export?match[]=recode_probe`)
  ).text();
  const lines = exported
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { metric: { k: string }; values: number[]; timestamps: number[] });
  assert.equal(lines.length, 20);
  for (const line of lines) {
    const s = series[Number(line.metric.k)];
    assert.deepEqual(line.timestamps, [...s.timestamps]);
    assert.deepEqual(line.values, [...s.values]);
  }

  // A snapshot writes the head as a block: a maintenance job, in a thread of its own.
  assert.ok(![...threadNices(pid).values()].includes(10), 'no maintenance thread before its first job');
  const snap = await fetch(`http://${tm.addresses.http}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
  assert.equal(snap.status, 200, await snap.text());
  const maintenance = [...threadNices(pid)].filter(([, nice]) => nice === 10);
  assert.equal(maintenance.length, 1, 'one maintenance thread');
  assert.equal(threadNices(pid).get(pid), own, 'the main thread is as it was');
});
