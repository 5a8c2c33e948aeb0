// Worker threads on modules of this package. A module is loaded by URL, and a URL string is not
// rewritten by the compiler the way import specifiers are: a module beside another is `.ts` when
// running from source and `.js` once built. Built, Node runs the entry as is; from source, on Node
// 20 a worker does not inherit the parent's module hooks, so it registers tsx itself first.

import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The URL of module `name` (e.g. `./decode-task`) beside `base` (an import.meta.url), same extension. */
export function siblingModule(base: string, name: string): string {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}

/** A worker running the module at `entry` (a file: URL string, `.ts` or `.js`). */
export function startWorker(entry: string, options: WorkerOptions): Worker {
  if (!entry.endsWith('.ts')) return new Worker(new URL(entry), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { ...options, eval: true });
}
