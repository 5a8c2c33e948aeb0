// Lends the decode pool's workers to the store: the head seals chunks as XOR and has the workers
// choose the smaller encoding (tsdb/head/chunk-recoder.ts), which takes that cost off the thread
// that appends.

import type { Head } from '../../tsdb/head/head.ts';
import { RECODE_TASK } from '../../tsdb/head/recode-task.ts';
import { siblingModule } from '../worker-thread.ts';
import type { DecodePool } from './pool.ts';
import type { Transferable } from './task.ts';

/** Registers the recode task with `pool` (before its first task) and attaches it to `head`. */
export function offloadChunkRecoding(pool: DecodePool, head: Head): void {
  pool.register(RECODE_TASK, siblingModule(import.meta.url, '../../tsdb/head/recode-task'));
  head.offloadRecoding(async (batch) => {
    const transfer: Transferable[] = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    return (await pool.run<typeof batch>(RECODE_TASK, batch, transfer)).value;
  });
}
