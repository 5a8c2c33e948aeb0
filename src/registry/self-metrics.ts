// telemux's own health metrics (`telemux_*`), kept in a registry of their own: what each input
// accepted and dropped (by reason), and how many series each registry holds or refused.

import type { Collector, MetricFamily } from '../format/exposition/family.ts';
import { Labels } from '../model/labels.ts';
import type { Counter, CounterFamily } from './counter.ts';
import { Registry } from './registry.ts';

/** The per-input counters every input shares. */
export interface InputMetrics {
  /** `telemux_input_received_total{input}`: packets, lines or samples accepted. */
  readonly received: CounterFamily;
  /** `telemux_input_dropped_total{input,reason}`: rejected ones, by reason. */
  readonly dropped: CounterFamily;
}

/** Declare the input counters on `registry` (idempotent: every input may call it). */
export function createInputMetrics(registry: Registry): InputMetrics {
  return {
    received: registry.counter({
      name: 'telemux_input_received_total',
      help: 'Packets, lines or samples an input accepted.',
      labelNames: ['input'],
    }),
    dropped: registry.counter({
      name: 'telemux_input_dropped_total',
      help: 'Packets, lines or samples an input rejected, by reason.',
      labelNames: ['input', 'reason'],
    }),
  };
}

/** One input's counters, resolved once so the hot path does no label lookups. */
export interface InputCounters<R extends string> {
  readonly received: Counter;
  readonly dropped: Readonly<Record<R, Counter>>;
}

/**
 * Resolve `input`'s received counter and one dropped counter per reason. Every reason's series
 * exists from the start (at 0), so dashboards and rate() see it before the first drop.
 */
export function inputCounters<R extends string>(
  metrics: InputMetrics,
  input: string,
  reasons: readonly R[],
): InputCounters<R> {
  const dropped = {} as Record<R, Counter>;
  for (const reason of reasons) dropped[reason] = metrics.dropped.labels(input, reason);
  return { received: metrics.received.labels(input), dropped };
}

/**
 * `telemux_registry_series` (gauge) and `telemux_registry_series_dropped_total` (counter), read from
 * registries at collect time. Given one registry, the series carry no labels; given a record
 * (`{ main, hermes }`), each registry's series carry `registry="<key>"`. Add it to an exposition
 * directly, or to the self-metrics registry with `registerCollector`.
 */
export class RegistryCollector implements Collector {
  readonly #entries: readonly { registry: Registry; labels: Labels }[];

  constructor(registries: Registry | Readonly<Record<string, Registry>>) {
    // One Labels instance per registry for the collector's lifetime (the writer caches by instance).
    this.#entries =
      registries instanceof Registry
        ? [{ registry: registries, labels: Labels.EMPTY }]
        : Object.keys(registries)
            .sort()
            .map((name) => ({ registry: registries[name], labels: Labels.from({ registry: name }) }));
  }

  collect(): MetricFamily[] {
    return [
      {
        name: 'telemux_registry_series',
        type: 'gauge',
        help: 'Live series held by a registry.',
        unit: '',
        metrics: this.#entries.map((e) => ({ labels: e.labels, value: e.registry.seriesCount })),
      },
      {
        name: 'telemux_registry_series_dropped_total',
        type: 'counter',
        help: 'New series a registry refused because a cardinality limit was reached.',
        unit: '',
        metrics: this.#entries.map((e) => ({ labels: e.labels, value: e.registry.droppedSeries })),
      },
    ];
  }
}
