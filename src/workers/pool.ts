// A pool of worker threads running tasks for the main thread, which owns the store: the receivers'
// body decoding (inputs/decoding/), the store's chunk recoding and maintenance (tsdb/db/offload.ts).
// Workers start on demand (a server that never receives a remote_write or Influx body starts none),
// up to `size`; a task goes to the worker with the fewest tasks in flight. A worker that dies (an
// uncaught error, a crash, `terminate()`) fails its tasks in flight with WorkerCrashedError — the
// receivers answer those 503 and nothing was appended — and the next task starts a replacement. Idle
// workers are unref'd: they never keep the process alive.

import type { Worker } from 'node:worker_threads';
import type { LoadMessage, TaskMessage, TaskReply, Transferable, WorkerSetup } from './task.ts';
import { siblingModule, startWorker } from './thread.ts';

export interface WorkerPoolOptions {
  /** Most workers running at once (≥ 1). */
  readonly size: number;
  /** Where worker deaths and start failures are reported. */
  readonly logger?: { warn(obj: object, msg: string): void };
  /**
   * Each worker's old-generation limit (MB); default V8's. A body whose decoding needs more stops
   * that worker (its requests get 503) — but a single allocation beyond the limit can make V8 abort
   * the whole process instead, so keep it well above the largest body.
   */
  readonly maxHeapMb?: number;
  /**
   * Each worker thread's nice value (Linux: 0 to 19; default 0, the process's). Background work
   * runs niced, so that the threads answering requests get a busy machine's CPUs first. Where a
   * thread's priority cannot be set (not Linux), it keeps the process's.
   */
  readonly nice?: number;
}

/** The worker running a task died before answering; the task did nothing the caller can see. */
export class WorkerCrashedError extends Error {}

/** The pool was closed before the task was answered. */
export class PoolClosedError extends Error {}

/** The task's handler threw (a bug, not bad input: handlers report bad input in their value). */
export class TaskFailedError extends Error {}

/** A task's answer and the worker that gave it (each started worker has its own number). */
export interface TaskResult<T> {
  readonly worker: number;
  readonly value: T;
}

interface Pending {
  resolve(result: TaskResult<unknown>): void;
  reject(err: Error): void;
}

interface PoolWorker {
  readonly thread: Worker;
  readonly number: number;
  readonly pending: Map<number, Pending>;
}

export class WorkerPool {
  readonly size: number;
  readonly #modules: { kind: string; url: string }[] = [];
  readonly #workers: PoolWorker[] = [];
  readonly #goneListeners: ((worker: number) => void)[] = [];
  readonly #logger: WorkerPoolOptions['logger'];
  readonly #maxHeapMb: number | undefined;
  readonly #nice: number;
  #nextTask = 1;
  #nextWorker = 1;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new RangeError(`worker pool size must be an integer ≥ 1, got ${options.size}`);
    this.size = options.size;
    this.#logger = options.logger;
    this.#maxHeapMb = options.maxHeapMb;
    this.#nice = options.nice ?? 0;
  }

  /** Workers running now. */
  get running(): number {
    return this.#workers.length;
  }

  /**
   * Makes `kind` tasks go to the module at `url` (see task.ts). Workers started later load it at
   * start; running ones are told to load it before the tasks sent after this call.
   */
  register(kind: string, url: string): void {
    if (this.#modules.some((m) => m.kind === kind))
      throw new Error(`worker pool: "${kind}" is registered already`);
    this.#modules.push({ kind, url });
    const message: LoadMessage = { load: { kind, url } };
    for (const w of this.#workers) w.thread.postMessage(message);
  }

  /** Calls `listener` with the number of each worker that stops (crashed, or closed with the pool). */
  onWorkerGone(listener: (worker: number) => void): void {
    this.#goneListeners.push(listener);
  }

  /**
   * Runs a task in a worker. `transfer` lists buffers of `input` to move rather than copy (they are
   * unusable here afterwards). Rejects with WorkerCrashedError, PoolClosedError or TaskFailedError.
   */
  run<T>(kind: string, input: unknown, transfer: readonly Transferable[] = []): Promise<TaskResult<T>> {
    if (this.#closed) return Promise.reject(new PoolClosedError('worker pool is closed'));
    const w = this.#pick();
    const id = this.#nextTask++;
    return new Promise<TaskResult<T>>((resolve, reject) => {
      w.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      if (w.pending.size === 1) w.thread.ref();
      const message: TaskMessage = { id, kind, input };
      try {
        w.thread.postMessage(message, transfer as Transferable[]);
      } catch (err) {
        // Input that cannot be cloned: nothing reached the worker.
        w.pending.delete(id);
        if (w.pending.size === 0) w.thread.unref();
        reject(err);
      }
    });
  }

  /** Stops every worker; tasks in flight fail with PoolClosedError. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    for (const w of workers) this.#fail(w, new PoolClosedError('worker pool closed'));
    await Promise.all(workers.map((w) => w.thread.terminate()));
    for (const w of workers) this.#gone(w.number);
  }

  /** The least busy worker, starting one when every running worker is busy and there is room. */
  #pick(): PoolWorker {
    let best: PoolWorker | undefined;
    for (const w of this.#workers) if (best === undefined || w.pending.size < best.pending.size) best = w;
    if (best !== undefined && (best.pending.size === 0 || this.#workers.length >= this.size)) return best;
    return this.#start();
  }

  #start(): PoolWorker {
    const setup: WorkerSetup = { modules: this.#modules, nice: this.#nice };
    const w: PoolWorker = {
      thread: spawn(setup, this.#maxHeapMb),
      number: this.#nextWorker++,
      pending: new Map(),
    };
    w.thread.unref();
    this.#workers.push(w);
    w.thread.on('message', (reply: TaskReply) => this.#answer(w, reply));
    w.thread.on('error', (err) => {
      this.#logger?.warn({ err, worker: w.number }, 'worker thread failed; its tasks in flight fail');
    });
    w.thread.on('exit', (code) => {
      const i = this.#workers.indexOf(w);
      if (i < 0) return; // closed with the pool
      this.#workers.splice(i, 1);
      if (w.pending.size > 0)
        this.#logger?.warn({ worker: w.number, code, tasks: w.pending.size }, 'worker thread exited');
      this.#fail(w, new WorkerCrashedError(`worker ${w.number} exited (code ${code})`));
      this.#gone(w.number);
    });
    return w;
  }

  #answer(w: PoolWorker, reply: TaskReply): void {
    const p = w.pending.get(reply.id);
    if (p === undefined) return;
    w.pending.delete(reply.id);
    if (w.pending.size === 0) w.thread.unref();
    if (reply.error !== undefined) p.reject(new TaskFailedError(reply.error));
    else p.resolve({ worker: w.number, value: reply.value });
  }

  #fail(w: PoolWorker, err: Error): void {
    const pending = [...w.pending.values()];
    w.pending.clear();
    for (const p of pending) p.reject(err);
  }

  #gone(worker: number): void {
    for (const listener of this.#goneListeners) listener(worker);
  }
}

/** Starts a worker on worker.ts (or the compiled worker.js). */
function spawn(setup: WorkerSetup, maxHeapMb: number | undefined): Worker {
  return startWorker(siblingModule(import.meta.url, './worker'), {
    workerData: setup,
    resourceLimits: maxHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: maxHeapMb },
  });
}
