// Module-level functions in the style of python-hermes (`set_hermes_config`, `increment_counter`,
// …), all going through one shared client. Unlike python-hermes, a forgotten configure() is not an
// error: the shared client starts with the defaults (127.0.0.1:7789).

import { HermesClient } from './hermes-client.ts';
import type { HermesLabels } from './packets.ts';
import type { CounterWrapperOptions, TimerKind } from './wrappers.ts';

let shared: HermesClient | undefined;

/** The shared client used by the module-level functions. */
export function defaultClient(): HermesClient {
  shared ??= new HermesClient();
  return shared;
}

/** Point the module-level functions at `host:port` (python-hermes' set_hermes_config). */
export function configure(host = '127.0.0.1', port = 7789): HermesClient {
  const next = new HermesClient({ host, port });
  shared?.close();
  shared = next;
  return next;
}

export function incrementCounter(name: string, labels?: HermesLabels): void {
  defaultClient().incrementCounter(name, labels);
}

export function setGauge(name: string, value: number, labels?: HermesLabels): void {
  defaultClient().setGauge(name, value, labels);
}

export function incrementGauge(name: string, labels?: HermesLabels): void {
  defaultClient().incrementGauge(name, labels);
}

export function decrementGauge(name: string, labels?: HermesLabels): void {
  defaultClient().decrementGauge(name, labels);
}

export function observeHistogram(name: string, observation: number, labels?: HermesLabels): void {
  defaultClient().observeHistogram(name, observation, labels);
}

export function observeSummary(name: string, observation: number, labels?: HermesLabels): void {
  defaultClient().observeSummary(name, observation, labels);
}

/** The shared client is looked up at call time, so a later configure() applies to wrapped functions. */
export function counterWrapper<A extends unknown[], R>(
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
  opts?: CounterWrapperOptions,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return defaultClient().counterWrapper(fn, name, labels, opts).apply(this, args);
  };
}

export function gaugeWrapper<A extends unknown[], R>(
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return defaultClient().gaugeWrapper(fn, name, labels).apply(this, args);
  };
}

export function withGauge<R>(name: string, labels: HermesLabels | undefined, fn: () => R): R {
  return defaultClient().withGauge(name, labels, fn);
}

export function startTimer(name: string, labels?: HermesLabels, kind: TimerKind = 'histogram'): () => number {
  return defaultClient().startTimer(name, labels, kind);
}

export function timeHistogram<A extends unknown[], R>(
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return defaultClient().timeHistogram(fn, name, labels).apply(this, args);
  };
}

export function timeSummary<A extends unknown[], R>(
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return defaultClient().timeSummary(fn, name, labels).apply(this, args);
  };
}

/** Close the shared client's socket (it reopens on the next send). */
export function close(): void {
  shared?.close();
}
