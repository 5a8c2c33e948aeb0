// At most `max` queries evaluate at once (Prometheus' --query.max-concurrency); the others wait in
// arrival order. Waiting counts against the query's deadline and ends when its caller cancels.

import { PromqlCanceledError, PromqlTimeoutError } from '../errors.ts';

interface Waiter {
  grant: () => void;
}

export class ConcurrencyGate {
  readonly max: number;
  #running = 0;
  readonly #queue: Waiter[] = [];

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max));
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves with a release function once the query may run. */
  async acquire(deadline: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new PromqlCanceledError();
    if (this.#running < this.max) {
      this.#running++;
      return this.#releaser();
    }
    return new Promise<() => void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          this.#running++;
          resolve(this.#releaser());
        },
      };
      const leave = (err: Error) => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        cleanup();
        reject(err);
      };
      const onAbort = () => leave(new PromqlCanceledError());
      const cleanup = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      timer = setTimeout(() => leave(new PromqlTimeoutError()), Math.max(0, deadline - Date.now()));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const next = this.#queue.shift();
      if (next !== undefined) next.grant();
    };
  }
}
