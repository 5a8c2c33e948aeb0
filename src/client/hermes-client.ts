// A Hermes client: sends counter, gauge, histogram and summary packets over UDP, byte-identical to
// python-hermes'. Fire and forget, like UDP itself: a send never blocks, never throws into the
// caller and never keeps the process alive; failures (unresolvable host, no socket, oversized
// packet) are only counted in `errors`.
//
// Argument order, everywhere: the metric name, then the number (value or observation), then the
// labels, which are optional and last.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { cachingLookup } from './lookup-cache.ts';
import { counterPacket, gaugePacket, type HermesLabels, observationPacket } from './packets.ts';
import {
  type CounterWrapperOptions,
  counterWrapper,
  gaugeWrapper,
  startTimer,
  type TimerKind,
  timeObservation,
  withGauge,
} from './wrappers.ts';

export interface HermesClientOptions {
  /** Hermes (or telemux) host (default 127.0.0.1). */
  readonly host?: string;
  /** UDP port (default 7789). */
  readonly port?: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7789;

export class HermesClient {
  readonly host: string;
  readonly port: number;
  #socket: Socket | undefined;
  #errors = 0;
  #sent = 0;
  #inFlight = 0;
  #idle: (() => void)[] = [];
  /** Bumped by close(): callbacks of an old socket's sends no longer count as in flight. */
  #generation = 0;

  /** Throws a TypeError for a host that is not a string or a port outside 1–65535 (configuration errors). */
  constructor(opts: HermesClientOptions = {}) {
    const host = opts.host ?? DEFAULT_HOST;
    const port = opts.port ?? DEFAULT_PORT;
    if (typeof host !== 'string' || host === '')
      throw new TypeError(`hermes client: invalid host ${String(host)}`);
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new TypeError(`hermes client: invalid port ${String(port)}`);
    }
    this.host = host;
    this.port = port;
  }

  /** Packets that could not be sent (never thrown). */
  get errors(): number {
    return this.#errors;
  }

  /** Packets handed to the network. */
  get sent(): number {
    return this.#sent;
  }

  incrementCounter(name: string, labels?: HermesLabels): void {
    this.#send(() => counterPacket(name, labels));
  }

  setGauge(name: string, value: number, labels?: HermesLabels): void {
    if (this.#refuseNonFinite(value)) return;
    this.#send(() => gaugePacket(name, 'set', labels, value));
  }

  incrementGauge(name: string, labels?: HermesLabels): void {
    this.#send(() => gaugePacket(name, 'increment', labels));
  }

  decrementGauge(name: string, labels?: HermesLabels): void {
    this.#send(() => gaugePacket(name, 'decrement', labels));
  }

  observeHistogram(name: string, observation: number, labels?: HermesLabels): void {
    if (this.#refuseNonFinite(observation)) return;
    this.#send(() => observationPacket(name, observation, labels));
  }

  observeSummary(name: string, observation: number, labels?: HermesLabels): void {
    if (this.#refuseNonFinite(observation)) return;
    this.#send(() => observationPacket(name, observation, labels));
  }

  /** Wrap `fn` so each call increments a counter: before the call, or after it succeeds. */
  counterWrapper<A extends unknown[], R>(
    fn: (...args: A) => R,
    name: string,
    labels?: HermesLabels,
    opts?: CounterWrapperOptions,
  ): (...args: A) => R {
    return counterWrapper(this, fn, name, labels, opts);
  }

  /** Wrap `fn` so a gauge counts calls in progress (decremented even when `fn` throws or rejects). */
  gaugeWrapper<A extends unknown[], R>(
    fn: (...args: A) => R,
    name: string,
    labels?: HermesLabels,
  ): (...args: A) => R {
    return gaugeWrapper(this, fn, name, labels);
  }

  /** Run `fn` with a gauge incremented for its duration (until its promise settles, if it returns one). */
  withGauge<R>(name: string, labels: HermesLabels | undefined, fn: () => R): R {
    return withGauge(this, name, labels, fn);
  }

  /** Start timing; the returned function observes the elapsed seconds (and returns them). */
  startTimer(name: string, labels?: HermesLabels, kind: TimerKind = 'histogram'): () => number {
    return startTimer(this, name, labels, kind);
  }

  /** Wrap `fn` so each call's duration (until it returns or settles) is observed into a histogram. */
  timeHistogram<A extends unknown[], R>(
    fn: (...args: A) => R,
    name: string,
    labels?: HermesLabels,
  ): (...args: A) => R {
    return timeObservation(this, fn, name, labels, 'histogram');
  }

  /** Like {@link timeHistogram}, into a summary. */
  timeSummary<A extends unknown[], R>(
    fn: (...args: A) => R,
    name: string,
    labels?: HermesLabels,
  ): (...args: A) => R {
    return timeObservation(this, fn, name, labels, 'summary');
  }

  /** Resolves once every packet sent so far has left (or failed). Handy before exiting a script. */
  flush(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Close the socket. The client stays usable: the next send opens a new one. */
  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined) return;
    // Sends still waiting on the closed socket may never call back: stop waiting for them.
    this.#generation++;
    this.#inFlight = 0;
    for (const resolve of this.#idle.splice(0)) resolve();
    try {
      socket.close();
    } catch {
      // already closed
    }
  }

  #refuseNonFinite(n: number): boolean {
    // Python would send NaN/Infinity tokens, which are not JSON and which Hermes drops anyway.
    if (typeof n === 'number' && Number.isFinite(n)) return false;
    this.#errors++;
    return true;
  }

  #send(build: () => string): void {
    let pending = false;
    try {
      const socket = this.#open();
      const packet = build();
      const generation = this.#generation;
      this.#inFlight++;
      pending = true;
      socket.send(packet, this.port, this.host, (err) => {
        if (err) this.#errors++;
        else this.#sent++;
        if (generation === this.#generation) this.#settle();
      });
    } catch {
      // A synchronous failure (a label object that cannot be read, a torn-down socket): counted,
      // never thrown.
      this.#errors++;
      if (pending) this.#settle();
    }
  }

  #settle(): void {
    if (--this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #open(): Socket {
    if (this.#socket !== undefined) return this.#socket;
    const socket = createSocket({ type: isIPv6(this.host) ? 'udp6' : 'udp4', lookup: cachingLookup() });
    // Errors not tied to one send (e.g. the implicit bind failing) are counted too, never thrown.
    socket.on('error', () => {
      this.#errors++;
    });
    socket.unref();
    this.#socket = socket;
    return socket;
  }
}
