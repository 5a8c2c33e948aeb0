// Starting a worker thread on a module of this package. Built, the entry is a `.js` file Node runs
// as is; from source it is `.ts`, and on Node 20 a worker does not inherit the parent's module
// hooks, so it registers tsx itself before importing the entry.

import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker running the module at `entry` (a file: URL string, `.ts` or `.js`). */
export function startWorker(entry: string, options: WorkerOptions): Worker {
  if (!entry.endsWith('.ts')) return new Worker(new URL(entry), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { ...options, eval: true });
}
