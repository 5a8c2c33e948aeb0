// How far V8 lets the old generation grow before its next full collection, for a long-running
// server. V8 picks a factor of the live heap between 1.1 and 4 from how fast its collections are;
// with telemux's heap (many small long-lived objects: series, postings, chunks) it settled near
// the bottom, and under ingest load a full mark-compact started every few hundred milliseconds.
// Twice the live heap (Go's default, which VictoriaMetrics runs with) halved the main thread's GC
// time and took 10-15 % off the CPU per ingested sample (docs/benchmarks.md).

import { setFlagsFromString } from 'node:v8';

const FLAG = 'heap-growing-percent';
/** Old generation grows to twice the live heap before the next full collection. */
export const HEAP_GROWING_PERCENT = 100;

/** Whether V8 flag `--name` (either spelling, `-` or `_`) is among the options node was given. */
export function nodeFlagGiven(name: string, execArgv: readonly string[], nodeOptions = ''): boolean {
  const wanted = `--${name.replaceAll('_', '-')}`;
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return given.some((arg) => {
    const flag = arg.split('=')[0].replaceAll('_', '-');
    return flag === wanted;
  });
}

/**
 * Sets V8's old-generation growth to HEAP_GROWING_PERCENT unless the operator set it (on node's
 * command line or in NODE_OPTIONS). Returns whether it set it. V8 reads the flag whenever it sizes
 * the heap, so setting it at start-up, before the store is opened, applies to the whole run (and
 * to the worker threads: V8's flags are the process's).
 */
export function tuneHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  if (nodeFlagGiven(FLAG, execArgv, nodeOptions)) return false;
  setFlagsFromString(`--${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
