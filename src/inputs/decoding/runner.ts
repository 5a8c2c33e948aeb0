// How a receiver has its bodies decoded: by a task kind in a WorkerPool's workers, or by a handler of
// its own in this thread. Both answer the same way, so a receiver has one code path.
//
// Small bodies are decoded here even when there is a pool: handing a body to a worker and its answer
// back costs the main thread about what decoding a thousand samples does, and adds a round trip to
// every request's latency. Bodies above `inlineMaxBytes` go to the workers, where their decoding
// runs beside the appends and never holds up the event loop for long.

import type { WorkerPool } from '../../workers/pool.ts';
import type { TaskHandlerFactory } from '../../workers/task.ts';
import { SlotPool } from './slots.ts';

/** A task's input: the request body, and the memory its answer may be written to (see slots.ts). */
export interface BodyTask {
  readonly body: Uint8Array;
  readonly slot?: ArrayBufferLike;
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

/**
 * Registers `kind` (the module at `url`, exporting `createTaskHandler`) with `pool` and returns a
 * runner for it: bodies up to `inlineMaxBytes` (all of them without a pool) go to a handler of this
 * thread's own, the others to the pool. Receivers pick the bound for a few thousand samples.
 */
export function taskRunner<I extends BodyTask, O>(
  pool: WorkerPool | undefined,
  kind: string,
  url: string,
  createTaskHandler: TaskHandlerFactory,
  inlineMaxBytes: number,
): TaskRunner<I, O> {
  const handle = createTaskHandler();
  // Answers here are written to reused memory too: a fresh buffer per request is garbage to collect.
  const answers = new SlotPool((bytes) => new ArrayBuffer(bytes));
  const inline: TaskRunner<I, O> = async (input) => {
    const slot = answers.acquire(0);
    try {
      const value = handle({ ...input, slot }).value as O;
      // An answer larger than the slot got memory of its own; the slot is free again at once.
      return { worker: IN_THREAD, value, release: () => answers.release(slot) };
    } catch (err) {
      answers.release(slot);
      throw err;
    }
  };
  if (pool === undefined) return inline;
  pool.register(kind, url);
  const slots = new SlotPool((bytes) => new SharedArrayBuffer(bytes));
  return async (input) => {
    const n = input.body.length;
    if (n <= inlineMaxBytes) return inline(input);
    // The body goes in a shared slot (a request's Buffer may share its memory with other Buffers).
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
