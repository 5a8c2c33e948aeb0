// Counters: a value that only goes up (until the process restarts).

import type { Metric } from '../format/exposition/family.ts';
import { Child, type ChildInit, Family } from './family.ts';

export class Counter extends Child {
  #value = 0;

  /** Add `amount` (default 1); throws a RangeError when it is negative or NaN. */
  inc(amount = 1): void {
    if (!(amount >= 0)) throw new RangeError(`counter increment must be >= 0, got ${amount}`);
    this.#value += amount;
  }

  get value(): number {
    return this.#value;
  }
}

export class CounterFamily extends Family<Counter> {
  readonly type = 'counter' as const;

  protected newChild(init: ChildInit): Counter {
    return new Counter(init);
  }

  protected toMetric(c: Counter): Metric {
    return { labels: c.labels, value: c.value, createdMs: this.createdOf(c) };
  }
}
