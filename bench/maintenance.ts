// How long maintenance holds the event loop: a head of 20,000 series × 3 h at 15 s (decimal gauges,
// 14.4 M samples) is cut into a 2 h block, once with the maintenance jobs in this thread
// (`ingest.decode_workers: 0`) and once in a maintenance worker, as the server runs them. Printed: the
// longest pause of the event loop (a 5 ms timer's largest gap) while maintain() runs, the run's
// total time, and the ratio of the pauses. The store comes from the build, as `npm start` runs it.

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fromBuild } from './from-build.ts';

const SERIES = Number(process.env.MAINT_SERIES ?? 20_000);
const STEPS = 4 * 60 * 3 + 10; // just over 3 h at 15 s: the head spans more than 1.5 ranges

const { TimeSeriesDb } = await fromBuild<typeof import('../src/tsdb/db/db.ts')>('tsdb/db/db');
const { Labels } = await fromBuild<typeof import('../src/model/labels.ts')>('model/labels');
const { WorkerPool } = await fromBuild<typeof import('../src/workers/pool.ts')>('workers/pool');
const { offloadChunkRecoding, offloadMaintenance } =
  await fromBuild<typeof import('../src/tsdb/db/offload.ts')>('tsdb/db/offload');

interface Figures {
  readonly pauseMs: number;
  readonly totalMs: number;
  readonly blocks: number;
}

async function measure(inWorker: boolean): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-bench-maint-'));
  const db = TimeSeriesDb.open({ path: dir, rollups: [], retentionMs: 1e15, walFsync: 'never' });
  // As the server: recoding in the decode pool, maintenance in a pool of its own.
  const pool = new WorkerPool({ size: 2 });
  const maintenancePool = new WorkerPool({ size: 1 });
  offloadChunkRecoding(pool, db.head);
  if (inWorker) offloadMaintenance(maintenancePool, db);
  try {
    const series = Array.from(
      { length: SERIES },
      (_, i) =>
        db.head.getOrCreate(Labels.from({ __name__: `m${i % 100}`, instance: `host${i}`, job: 'node' }))!,
    );
    const t0 = Date.UTC(2026, 0, 1);
    for (let k = 0; k < STEPS; k++) {
      const app = db.appender();
      for (let s = 0; s < SERIES; s++)
        app.append(series[s], t0 + k * 15_000, Math.round((Math.sin(k + s) * 100 + s) * 100) / 100);
      await app.commit();
    }
    // Let the sealed chunks' recoding (in the workers) settle first.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let pause = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      pause = Math.max(pause, now - last);
      last = now;
    }, 5);
    const start = performance.now();
    await db.maintain();
    const end = performance.now();
    clearInterval(tick);
    pause = Math.max(pause, end - last);
    return { pauseMs: pause, totalMs: end - start, blocks: db.blocks.length };
  } finally {
    await db.close();
    await pool.close();
    await maintenancePool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const here = await measure(false);
  const worker = await measure(true);
  const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
  console.log(
    `maintenance, cutting a 2 h block of ${SERIES.toLocaleString('en')} series: longest event-loop pause ` +
      `${ms(worker.pauseMs)} with the jobs in a worker vs ${ms(here.pauseMs)} in this thread ` +
      `(ratio ${(worker.pauseMs / here.pauseMs).toFixed(2)}); whole run ${ms(worker.totalMs)} vs ${ms(here.totalMs)}; ` +
      `blocks written ${worker.blocks} / ${here.blocks}`,
  );
}
