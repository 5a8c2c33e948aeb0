// Lends worker threads (a WorkerPool, src/workers/) to the store, for the work that would otherwise
// hold the thread that appends and answers requests: choosing sealed chunks' encodings
// (head/chunk-recoder.ts), and maintenance's file work — writing blocks cut from the head,
// compacting, WAL checkpoints (maintenance-jobs.ts). The server gives maintenance a pool of its own:
// its jobs take seconds, and a decode task queued behind one would keep a request waiting that long.

import type { WorkerPool } from '../../workers/pool.ts';
import type { Transferable } from '../../workers/task.ts';
import { siblingModule } from '../../workers/thread.ts';
import type { Head } from '../head/head.ts';
import { RECODE_TASK } from '../head/recode-task.ts';
import type { TimeSeriesDb } from './db.ts';
import { type MaintenanceResult, packedBuffers } from './maintenance-jobs.ts';
import { MAINTENANCE_TASK } from './maintenance-task.ts';

/** Registers the recode task with `pool` and attaches it to `head`. */
export function offloadChunkRecoding(pool: WorkerPool, head: Head): void {
  pool.register(RECODE_TASK, siblingModule(import.meta.url, '../head/recode-task'));
  head.offloadRecoding(async (batch) => {
    const transfer: Transferable[] = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    return (await pool.run<typeof batch>(RECODE_TASK, batch, transfer)).value;
  });
}

/** Registers the maintenance task with `pool` and has `db` run its jobs there. */
export function offloadMaintenance(pool: WorkerPool, db: TimeSeriesDb): void {
  pool.register(MAINTENANCE_TASK, siblingModule(import.meta.url, './maintenance-task'));
  db.offloadMaintenance(async (job) => {
    // A cut's chunk bytes were copied for the job: moved, not copied again.
    const transfer = job.kind === 'block' ? packedBuffers(job.series) : [];
    return (await pool.run<MaintenanceResult>(MAINTENANCE_TASK, job, transfer)).value;
  });
}
