// Untyped metrics: a value whose meaning the producer did not say (rendered as `untyped`/`unknown`).

import type { Metric } from '../format/exposition/family.ts';
import { Child, type ChildInit, Family } from './family.ts';

export class Untyped extends Child {
  #value = 0;

  set(value: number): void {
    this.#value = value;
  }

  inc(amount = 1): void {
    this.#value += amount;
  }

  dec(amount = 1): void {
    this.#value -= amount;
  }

  get value(): number {
    return this.#value;
  }
}

export class UntypedFamily extends Family<Untyped> {
  readonly type = 'untyped' as const;

  protected newChild(init: ChildInit): Untyped {
    return new Untyped(init);
  }

  protected toMetric(u: Untyped): Metric {
    return { labels: u.labels, value: u.value };
  }
}
