// The contract between a WorkerPool and the modules that run in its workers. A task module is
// registered under a kind (`pool.register(kind, url)`) and exports `createTaskHandler`; every worker
// imports it at start, makes one handler (which keeps its own caches across tasks) and hands it each
// task of that kind. Handlers are synchronous: a worker runs one task at a time. Without a pool, a
// caller makes a handler of its own and runs it in its thread (see inputs/decoding/runner.ts).

import type { Transferable } from 'node:worker_threads';

export type { Transferable };

/** What a handler returns: a value to post back, and the buffers to move (not copy) with it. */
export interface TaskOutput {
  readonly value: unknown;
  readonly transfer?: readonly Transferable[];
}

/** Handles one task. A throw becomes a failed task (500). */
export type TaskHandler = (input: unknown) => TaskOutput;

/** What a task module exports as `createTaskHandler`. */
export type TaskHandlerFactory = () => TaskHandler;

/** Main thread → worker: a task. */
export interface TaskMessage {
  readonly id: number;
  readonly kind: string;
  readonly input: unknown;
}

/** Main thread → worker: a task module registered after the worker started; load it first. */
export interface LoadMessage {
  readonly load: { readonly kind: string; readonly url: string };
}

export type WorkerMessage = TaskMessage | LoadMessage;

/** Worker → main thread: the value, or the error a handler threw. */
export type TaskReply =
  | { readonly id: number; readonly value: unknown; readonly error?: undefined }
  | { readonly id: number; readonly error: string };

/** What the pool gives a worker to start with: the task modules to load, by kind. */
export interface WorkerSetup {
  readonly modules: readonly { readonly kind: string; readonly url: string }[];
  /** The thread's nice value (see WorkerPoolOptions.nice); 0 leaves it as the process's. */
  readonly nice: number;
}
