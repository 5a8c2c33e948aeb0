// The entry of a pool worker: imports the task modules named in workerData, then answers task
// messages one at a time, in order, loading a module registered since it started when asked to
// before the tasks that follow. An error a handler throws is posted back as the task's failure;
// anything that kills the thread (a module that cannot load, too) is the pool's to notice: it fails
// the tasks in flight and starts another.

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type {
  TaskHandler,
  TaskHandlerFactory,
  TaskMessage,
  TaskReply,
  Transferable,
  WorkerMessage,
  WorkerSetup,
} from './task.ts';

const port = parentPort;
if (port === null) throw new Error('workers/worker.ts runs only as a worker thread');

const setup = workerData as WorkerSetup;
if (setup.nice !== 0) lowerPriority(setup.nice);
const handlers = new Map<string, TaskHandler>();

async function load(m: { readonly kind: string; readonly url: string }): Promise<void> {
  const mod = (await import(m.url)) as { createTaskHandler?: TaskHandlerFactory };
  if (typeof mod.createTaskHandler !== 'function') throw new Error(`${m.url} exports no createTaskHandler`);
  handlers.set(m.kind, mod.createTaskHandler());
}

for (const m of setup.modules) await load(m);

const answer = (msg: TaskMessage): void => {
  let reply: TaskReply;
  let transfer: Transferable[] | undefined;
  try {
    const handler = handlers.get(msg.kind);
    if (handler === undefined) throw new Error(`no task module for kind "${msg.kind}"`);
    const out = handler(msg.input);
    reply = { id: msg.id, value: out.value };
    transfer = out.transfer as Transferable[] | undefined;
  } catch (err) {
    reply = { id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port.postMessage(reply, transfer);
};

// Messages posted while the modules loaded were queued; they arrive once this listener is attached.
// Each waits for the one before (a load is asynchronous); a load that fails is thrown out of the
// chain and kills the thread.
let previous: Promise<void> = Promise.resolve();
port.on('message', (msg: WorkerMessage) => {
  previous = previous.then(() => ('load' in msg ? load(msg.load) : answer(msg)));
  previous.catch((err: unknown) => {
    throw err;
  });
});

/**
 * Gives this thread (not the process: on Linux a thread's id names it alone) a higher nice value.
 * Where that is not possible (no /proc, another OS) the thread keeps the process's priority.
 */
function lowerPriority(nice: number): void {
  try {
    // "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/')[2]);
    setPriority(tid, nice);
  } catch {
    // Not Linux: same priority as the rest of the process.
  }
}
