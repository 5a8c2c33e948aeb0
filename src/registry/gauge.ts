// Gauges: a value that goes up and down, or is set.

import type { Metric } from '../format/exposition/family.ts';
import { Child, type ChildInit, Family } from './family.ts';

export class Gauge extends Child {
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

  /** Set to the current time in seconds since the epoch (like client_golang's SetToCurrentTime). */
  setToCurrentTime(nowMs: number = Date.now()): void {
    this.#value = nowMs / 1000;
  }

  get value(): number {
    return this.#value;
  }
}

export class GaugeFamily extends Family<Gauge> {
  readonly type = 'gauge' as const;

  protected newChild(init: ChildInit): Gauge {
    return new Gauge(init);
  }

  protected toMetric(g: Gauge): Metric {
    return { labels: g.labels, value: g.value };
  }
}
