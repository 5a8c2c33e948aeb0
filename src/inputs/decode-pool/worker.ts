// The entry of a decode worker: imports the task modules named in workerData, then answers task
// messages one at a time. An error a handler throws is posted back as the task's failure; anything
// that kills the thread is the pool's to notice (it fails the tasks in flight and starts another).

import { parentPort, workerData } from 'node:worker_threads';
import type {
  TaskHandler,
  TaskHandlerFactory,
  TaskMessage,
  TaskReply,
  Transferable,
  WorkerSetup,
} from './task.ts';

const port = parentPort;
if (port === null) throw new Error('decode-pool/worker.ts runs only as a worker thread');

const setup = workerData as WorkerSetup;
const handlers = new Map<string, TaskHandler>();
for (const m of setup.modules) {
  const mod = (await import(m.url)) as { createTaskHandler?: TaskHandlerFactory };
  if (typeof mod.createTaskHandler !== 'function') throw new Error(`${m.url} exports no createTaskHandler`);
  handlers.set(m.kind, mod.createTaskHandler());
}

// Messages posted while the modules loaded were queued; they arrive once this listener is attached.
port.on('message', (msg: TaskMessage) => {
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
});
