// How a receiver has its bodies decoded: by a task kind in a DecodePool's workers, or, without a pool,
// by a handler of its own in this thread. Both answer the same way, so a receiver has one code path.

import type { DecodePool } from './pool.ts';
import { SlotPool } from './slots.ts';
import type { TaskHandlerFactory } from './task.ts';

/** A task's input: the request body, and the shared slot its answer may be written to (see slots.ts). */
export interface BodyTask {
  readonly body: Uint8Array;
  readonly slot?: SharedArrayBuffer;
}

/** An answer, the worker that gave it, and how to give its memory back once it has been used. */
export interface BodyTaskResult<O> {
  readonly worker: number;
  readonly value: O;
  /** Call once nothing reads the answer's arrays any more. */
  release(): void;
}

export type TaskRunner<I extends BodyTask, O> = (input: Omit<I, 'slot'>) => Promise<BodyTaskResult<O>>;

/** The worker number that results of in-thread handlers carry. */
export const IN_THREAD = 0;

const nothing = () => {};

/**
 * Registers `kind` (the module at `url`, exporting `createTaskHandler`) with `pool` and returns a
 * runner for it; without a pool, a runner calling `createTaskHandler()`'s handler in this thread.
 */
export function taskRunner<I extends BodyTask, O>(
  pool: DecodePool | undefined,
  kind: string,
  url: string,
  createTaskHandler: TaskHandlerFactory,
): TaskRunner<I, O> {
  if (pool === undefined) {
    const handle = createTaskHandler();
    return async (input) => ({ worker: IN_THREAD, value: handle(input).value as O, release: nothing });
  }
  pool.register(kind, url);
  const slots = new SlotPool();
  return async (input) => {
    // The body goes in a shared slot (a request's Buffer may share its memory with other Buffers).
    const n = input.body.length;
    const slot = slots.acquire(n);
    const body = new Uint8Array(slot, 0, n);
    body.set(input.body);
    try {
      const { worker, value } = await pool.run<O>(kind, { ...input, body, slot });
      return { worker, value, release: () => slots.release(slot) };
    } catch (err) {
      slots.release(slot);
      throw err;
    }
  };
}
