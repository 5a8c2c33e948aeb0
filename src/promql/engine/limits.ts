// What bounds one query: the samples it may hold in memory at once (Prometheus'
// --query.max-samples), its deadline and its caller's AbortSignal. Evaluation is synchronous inside
// a node, so the evaluator checks in between nodes and series batches, and yields to the event loop
// now and then so a client that went away (an abort event) or a timer can be noticed at all.

import { PromqlCanceledError, PromqlEvalError, PromqlTimeoutError } from '../errors.ts';

export const TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';

/** Longest stretch of synchronous work between two yields to the event loop, ms. */
const YIELD_EVERY_MS = 25;

export class QueryLimits {
  readonly maxSamples: number;
  readonly #deadline: number;
  readonly #signal: AbortSignal | undefined;
  #current = 0;
  #peak = 0;
  #loaded = 0;
  #lastYield = Date.now();

  constructor(opts: { maxSamples: number; deadline: number; signal?: AbortSignal }) {
    this.maxSamples = opts.maxSamples;
    this.#deadline = opts.deadline;
    this.#signal = opts.signal;
  }

  /** Samples held now. */
  get current(): number {
    return this.#current;
  }

  get peak(): number {
    return this.#peak;
  }

  /** Samples read from storage over the whole query. */
  get loaded(): number {
    return this.#loaded;
  }

  /** Takes `n` more samples into memory; throws when that exceeds the limit. */
  hold(n: number): void {
    this.#current += n;
    if (this.#current > this.#peak) this.#peak = this.#current;
    if (this.#current > this.maxSamples) throw new PromqlEvalError(TOO_MANY_SAMPLES);
  }

  release(n: number): void {
    this.#current -= n;
  }

  countLoaded(n: number): void {
    this.#loaded += n;
  }

  /** Throws when the query was cancelled or ran out of time (cheap: call it per batch). */
  check(): void {
    if (this.#signal?.aborted) throw new PromqlCanceledError();
    if (Date.now() > this.#deadline) throw new PromqlTimeoutError();
  }

  /** check(), and give the event loop a turn when the query has been running long without one. */
  async checkpoint(): Promise<void> {
    this.check();
    const now = Date.now();
    if (now - this.#lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#lastYield = Date.now();
      this.check();
    }
  }
}
