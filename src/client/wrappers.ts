// Decorator-style helpers over a client, for synchronous and asynchronous functions alike (a
// function returning a promise is "done" when the promise settles):
// - counterWrapper: python-hermes' counter_wrapper (count before the call, or after it succeeds);
// - gaugeWrapper / withGauge: a gauge of calls in progress. Unlike python-hermes' gauge_wrapper,
//   the decrement is in a `finally`, so a throwing function does not leave the gauge up;
// - startTimer / timeObservation: durations in seconds into a histogram or summary.

import type { HermesLabels } from './packets.ts';

/** The client methods the helpers use. */
export interface HermesSender {
  incrementCounter(name: string, labels?: HermesLabels): void;
  incrementGauge(name: string, labels?: HermesLabels): void;
  decrementGauge(name: string, labels?: HermesLabels): void;
  observeHistogram(name: string, observation: number, labels?: HermesLabels): void;
  observeSummary(name: string, observation: number, labels?: HermesLabels): void;
}

export interface CounterWrapperOptions {
  /** Count before calling (default true), or only after the call returned or its promise fulfilled. */
  readonly preExecution?: boolean;
}

export type TimerKind = 'histogram' | 'summary';

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** Call `fn`, then `done(ok)` once it has returned or thrown, or its promise has settled. */
function callThen<R>(fn: () => R, done: (ok: boolean) => void): R {
  let result: R;
  try {
    result = fn();
  } catch (err) {
    done(false);
    throw err;
  }
  if (!isThenable(result)) {
    done(true);
    return result;
  }
  return result.then(
    (value) => {
      done(true);
      return value;
    },
    (err: unknown) => {
      done(false);
      throw err;
    },
  ) as R;
}

export function counterWrapper<A extends unknown[], R>(
  client: HermesSender,
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
  opts: CounterWrapperOptions = {},
): (...args: A) => R {
  if (opts.preExecution ?? true) {
    return function (this: unknown, ...args: A): R {
      client.incrementCounter(name, labels);
      return fn.apply(this, args);
    };
  }
  return function (this: unknown, ...args: A): R {
    return callThen(
      () => fn.apply(this, args),
      (ok) => {
        if (ok) client.incrementCounter(name, labels);
      },
    );
  };
}

export function gaugeWrapper<A extends unknown[], R>(
  client: HermesSender,
  fn: (...args: A) => R,
  name: string,
  labels?: HermesLabels,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return withGauge(client, name, labels, () => fn.apply(this, args));
  };
}

export function withGauge<R>(
  client: HermesSender,
  name: string,
  labels: HermesLabels | undefined,
  fn: () => R,
): R {
  client.incrementGauge(name, labels);
  return callThen(fn, () => client.decrementGauge(name, labels));
}

export function startTimer(
  client: HermesSender,
  name: string,
  labels: HermesLabels | undefined,
  kind: TimerKind,
): () => number {
  const start = performance.now();
  return () => {
    const seconds = (performance.now() - start) / 1000;
    if (kind === 'histogram') client.observeHistogram(name, seconds, labels);
    else client.observeSummary(name, seconds, labels);
    return seconds;
  };
}

/** Wrap `fn` so each call's duration is observed, whether it succeeds or fails. */
export function timeObservation<A extends unknown[], R>(
  client: HermesSender,
  fn: (...args: A) => R,
  name: string,
  labels: HermesLabels | undefined,
  kind: TimerKind,
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const stop = startTimer(client, name, labels, kind);
    return callThen(() => fn.apply(this, args), stop);
  };
}
