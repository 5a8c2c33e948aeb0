// Untyped metrics: a value whose meaning the producer did not say (rendered as `untyped`/`unknown`).
// The series behaves exactly like a gauge (set, inc, dec); only the declared type differs.

import type { Metric } from '../format/exposition/family.ts';
import type { ChildInit } from './family.ts';
import { Family } from './family.ts';
import { Gauge } from './gauge.ts';

export type Untyped = Gauge;

export class UntypedFamily extends Family<Gauge> {
  readonly type = 'untyped' as const;

  protected newChild(init: ChildInit): Gauge {
    return new Gauge(init);
  }

  protected toMetric(u: Gauge): Metric {
    return { labels: u.labels, value: u.value };
  }
}
