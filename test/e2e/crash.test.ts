// Crash safety, end to end: a real `telemux serve` ingests over remote_write and is killed with
// SIGKILL at random moments, 20 times. After every kill the store on disk is opened and must hold
// every sample whose write was acknowledged (204), bit for bit, NaN payloads included — and nothing
// that was never sent. Small blocks and a fast maintenance loop make cuts, checkpoints and
// compactions happen during the run, so crashes land in the middle of them too.

import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeWriteRequest } from '../../src/format/remote-write/index.ts';
import { Labels } from '../../src/model/labels.ts';
import { float64Bits, STALE_NAN } from '../../src/model/staleness.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';
import { startTelemux } from '../helpers/telemux-process.ts';

const CYCLES = 20;
const SERIES = 20;
const PER_REQUEST = 10;
const STEP_MS = 1000;
const BLOCK_RANGE = '1m';

/** key → t → bits of every sample sent; `acked` marks those whose request got a 204. */
type Sent = Map<string, Map<number, { bits: bigint; acked: boolean }>>;

function request(t0: number, sent: Sent): { body: Uint8Array; keys: [string, number][] } {
  const keys: [string, number][] = [];
  const series = [];
  for (let s = 0; s < SERIES; s++) {
    const labels = Labels.from({ __name__: 'crash_test', series: String(s), job: 'crash' });
    const timestamps = new Float64Array(PER_REQUEST);
    const values = new Float64Array(PER_REQUEST);
    randomFillSync(new Uint8Array(values.buffer));
    for (let i = 0; i < PER_REQUEST; i++) {
      timestamps[i] = t0 + i * STEP_MS;
      if (i % 7 === 3) values[i] = STALE_NAN;
      if (!sent.has(labels.key)) sent.set(labels.key, new Map());
      sent.get(labels.key)!.set(timestamps[i], { bits: float64Bits(values[i]), acked: false });
      keys.push([labels.key, timestamps[i]]);
    }
    series.push({ labels, timestamps, values });
  }
  return { body: encodeWriteRequest({ series }), keys };
}

function verify(dir: string, sent: Sent): { stored: number; acked: number; blocks: number } {
  const db = TimeSeriesDb.open({
    path: dir,
    blockRangeMs: 60_000,
    walFsync: 'never',
    retentionMs: 100 * 365 * 24 * 3600_000,
  });
  let stored = 0;
  let acked = 0;
  const blocks = db.blocks.length;
  try {
    const found = new Map<string, Map<number, bigint>>();
    for (const s of db.querier(0, Number.MAX_SAFE_INTEGER).select([])) {
      const rows = new Map<number, bigint>();
      const it = s.iterator();
      while (it.next()) rows.set(it.t, float64Bits(it.v));
      found.set(s.labels.key, rows);
    }
    for (const [key, rows] of found) {
      for (const [t, bits] of rows) {
        const sample = sent.get(key)?.get(t);
        assert.ok(sample !== undefined, `stored sample was never sent: ${key} @ ${t}`);
        assert.equal(bits, sample.bits, `value bits differ: ${key} @ ${t}`);
        stored++;
      }
    }
    for (const [key, samples] of sent) {
      for (const [t, s] of samples) {
        if (!s.acked) continue;
        acked++;
        assert.equal(found.get(key)?.get(t), s.bits, `acknowledged sample lost: ${key} @ ${t}`);
      }
    }
  } finally {
    void db.close();
  }
  return { stored, acked, blocks };
}

test('SIGKILL at random moments loses no acknowledged remote_write sample (20 kills)', {
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-crash-'));
  const sent: Sent = new Map();
  let t = 1_700_000_000_000;
  let totalAcked = 0;
  let lastBlocks = 0;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const tm = await startTelemux([
        `--storage.path=${dir}`,
        `--storage.block_range=${BLOCK_RANGE}`,
        '--storage.maintenance_interval=100ms',
        '--storage.wal_fsync=never',
        '--storage.rollups=[]',
        '--storage.retention_time=100y',
      ]);
      const url = `http://${tm.addresses.http}/api/v1/write`;
      const killAt = Date.now() + 100 + Math.random() * 500;
      let acks = 0;
      while (Date.now() < killAt || acks === 0) {
        const { body, keys } = request(t, sent);
        t += PER_REQUEST * STEP_MS;
        if (Date.now() >= killAt) tm.child.kill('SIGKILL');
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST',
            body,
            headers: {
              'Content-Type': 'application/x-protobuf',
              'Content-Encoding': 'snappy',
              'X-Prometheus-Remote-Write-Version': '0.1.0',
            },
          });
        } catch {
          break; // killed mid-request: not acknowledged
        }
        if (res.status !== 204) assert.fail(`unexpected ${res.status}: ${await res.text()}`);
        for (const [key, ts] of keys) sent.get(key)!.get(ts)!.acked = true;
        acks++;
      }
      tm.child.kill('SIGKILL');
      await tm.stop();
      const { acked, blocks } = verify(dir, sent);
      totalAcked = acked;
      lastBlocks = blocks;
    }
    assert.ok(totalAcked > CYCLES * SERIES * PER_REQUEST, `only ${totalAcked} samples acknowledged`);
    assert.ok(lastBlocks > 0, 'blocks were cut during the run, so crashes hit cuts and checkpoints too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
