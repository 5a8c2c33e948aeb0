// How a receiver has its bodies decoded: by a task kind in a DecodePool's workers, or, without a pool,
// by a handler of its own in this thread. Both answer the same way, so a receiver has one code path.

import type { DecodePool, TaskResult } from './pool.ts';
import type { TaskHandlerFactory } from './task.ts';

/** A task's input: the request body and whatever parameters the task needs. */
export interface BodyTask {
  readonly body: Uint8Array;
}

export type TaskRunner<I extends BodyTask, O> = (input: I) => Promise<TaskResult<O>>;

/** The worker number that results of in-thread handlers carry. */
export const IN_THREAD = 0;

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
    return async (input) => ({ worker: IN_THREAD, value: handle(input).value as O });
  }
  pool.register(kind, url);
  return (input) => {
    // A copy the worker can own: a request's Buffer may share its memory with other Buffers.
    const body = new Uint8Array(input.body.length);
    body.set(input.body);
    return pool.run<O>(kind, { ...input, body }, [body.buffer]);
  };
}
