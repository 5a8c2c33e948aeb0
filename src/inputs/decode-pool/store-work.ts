// Lends worker threads to the store, for the work that would otherwise hold the thread that appends
// and answers requests: choosing sealed chunks' encodings (tsdb/head/chunk-recoder.ts), and
// maintenance's file work — writing blocks cut from the head, compacting, WAL checkpoints
// (tsdb/db/maintenance-jobs.ts). The server gives maintenance a pool of its own: its jobs take
// seconds, and a decode task queued behind one would keep a request waiting that long.

import type { TimeSeriesDb } from '../../tsdb/db/db.ts';
import { type MaintenanceResult, packedBuffers } from '../../tsdb/db/maintenance-jobs.ts';
import { MAINTENANCE_TASK } from '../../tsdb/db/maintenance-task.ts';
import type { Head } from '../../tsdb/head/head.ts';
import { RECODE_TASK } from '../../tsdb/head/recode-task.ts';
import { siblingModule } from '../worker-thread.ts';
import type { DecodePool } from './pool.ts';
import type { Transferable } from './task.ts';

/** Registers the recode task with `pool` and attaches it to `head`. */
export function offloadChunkRecoding(pool: DecodePool, head: Head): void {
  pool.register(RECODE_TASK, siblingModule(import.meta.url, '../../tsdb/head/recode-task'));
  head.offloadRecoding(async (batch) => {
    const transfer: Transferable[] = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    return (await pool.run<typeof batch>(RECODE_TASK, batch, transfer)).value;
  });
}

/** Registers the maintenance task with `pool` and has `db` run its jobs there. */
export function offloadMaintenance(pool: DecodePool, db: TimeSeriesDb): void {
  pool.register(MAINTENANCE_TASK, siblingModule(import.meta.url, '../../tsdb/db/maintenance-task'));
  db.offloadMaintenance(async (job) => {
    // A cut's chunk bytes were copied for the job: moved, not copied again.
    const transfer = job.kind === 'block' ? packedBuffers(job.series) : [];
    return (await pool.run<MaintenanceResult>(MAINTENANCE_TASK, job, transfer)).value;
  });
}
