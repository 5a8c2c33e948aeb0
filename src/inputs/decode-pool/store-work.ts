// Lends the decode pool's workers to the store, for the work that would otherwise hold the thread
// that appends and answers requests: choosing sealed chunks' encodings (tsdb/head/chunk-recoder.ts)
// and maintenance's file work — writing blocks cut from the head, compacting, WAL checkpoints
// (tsdb/db/maintenance-jobs.ts).

import type { TimeSeriesDb } from '../../tsdb/db/db.ts';
import { type MaintenanceResult, packedBuffers } from '../../tsdb/db/maintenance-jobs.ts';
import { MAINTENANCE_TASK } from '../../tsdb/db/maintenance-task.ts';
import { RECODE_TASK } from '../../tsdb/head/recode-task.ts';
import { siblingModule } from '../worker-thread.ts';
import type { DecodePool } from './pool.ts';
import type { Transferable } from './task.ts';

/** Registers the store's tasks with `pool` (before its first task) and attaches them to `db`. */
export function lendWorkersToStore(pool: DecodePool, db: TimeSeriesDb): void {
  pool.register(RECODE_TASK, siblingModule(import.meta.url, '../../tsdb/head/recode-task'));
  db.head.offloadRecoding(async (batch) => {
    const transfer: Transferable[] = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    return (await pool.run<typeof batch>(RECODE_TASK, batch, transfer)).value;
  });
  pool.register(MAINTENANCE_TASK, siblingModule(import.meta.url, '../../tsdb/db/maintenance-task'));
  db.offloadMaintenance(async (job) => {
    // A cut's chunk bytes were copied for the job: moved, not copied again.
    const transfer = job.kind === 'cut' ? packedBuffers(job.series) : [];
    return (await pool.run<MaintenanceResult>(MAINTENANCE_TASK, job, transfer)).value;
  });
}
