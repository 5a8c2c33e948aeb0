// Summaries: count and sum of observations, plus optional quantiles over a sliding time window.
// With no quantiles (the default, as client_golang ≥ 1.0 and Hermes) only `_sum` and `_count`.

import type { Metric, Quantile } from '../format/exposition/family.ts';
import type { Clock } from './clock.ts';
import type { FamilyOptions } from './definition.ts';
import { RegistryError } from './errors.ts';
import { Child, type ChildInit, Family, type FamilyContext } from './family.ts';
import type { QuantileTarget } from './quantile-stream.ts';
import { WindowedQuantiles } from './windowed-quantiles.ts';

/** A quantile to track: bare (default error, see {@link defaultQuantileError}) or with its error. */
export type QuantileSpec = number | QuantileTarget;

export interface SummaryOptions extends FamilyOptions {
  /** Quantiles to estimate (default none: only `_sum` and `_count`). */
  readonly quantiles?: readonly QuantileSpec[];
  /** How long an observation counts towards the quantiles (default 10 minutes). */
  readonly maxAgeMs?: number;
  /** Streams the window is split into (default 5): the window slides in maxAge/ageBuckets steps. */
  readonly ageBuckets?: number;
}

export const DEFAULT_SUMMARY_MAX_AGE_MS = 10 * 60 * 1000;
export const DEFAULT_SUMMARY_AGE_BUCKETS = 5;

/**
 * The error used for a quantile given without one: a tenth of its distance to the nearer end, so
 * 0.5 → 0.05, 0.9 → 0.01, 0.99 → 0.001 (client_golang's classic objectives), never below 1e-4.
 */
export function defaultQuantileError(q: number): number {
  // Rounded so that float noise (1 - 0.9 = 0.09999…) does not shift the estimator's rank steps.
  return Math.max(Number((Math.min(q, 1 - q) / 10).toPrecision(12)), 1e-4);
}

export function normaliseQuantiles(metric: string, specs: readonly QuantileSpec[]): QuantileTarget[] {
  const targets = specs.map((s): QuantileTarget => {
    const t = typeof s === 'number' ? { quantile: s, error: defaultQuantileError(s) } : s;
    if (typeof t.quantile !== 'number' || !(t.quantile >= 0 && t.quantile <= 1)) {
      throw new RegistryError(`summary "${metric}": quantile ${String(t.quantile)} is not within [0, 1]`);
    }
    if (typeof t.error !== 'number' || !(t.error > 0 && t.error < 1)) {
      throw new RegistryError(
        `summary "${metric}": error ${String(t.error)} of quantile ${t.quantile} is not within (0, 1)`,
      );
    }
    return { quantile: t.quantile, error: t.error };
  });
  targets.sort((a, b) => a.quantile - b.quantile);
  for (let i = 1; i < targets.length; i++) {
    if (targets[i].quantile === targets[i - 1].quantile) {
      throw new RegistryError(`summary "${metric}": quantile ${targets[i].quantile} is listed twice`);
    }
  }
  return targets;
}

export class Summary extends Child {
  readonly #quantiles: readonly QuantileTarget[];
  readonly #window: WindowedQuantiles | undefined;
  #sum = 0;
  #count = 0;

  constructor(
    init: ChildInit,
    quantiles: readonly QuantileTarget[],
    maxAgeMs: number,
    ageBuckets: number,
    now: Clock,
  ) {
    super(init);
    this.#quantiles = quantiles;
    this.#window =
      quantiles.length > 0 ? new WindowedQuantiles(quantiles, maxAgeMs, ageBuckets, now) : undefined;
  }

  observe(value: number): void {
    this.#sum += value;
    this.#count++;
    this.#window?.observe(value);
  }

  get sum(): number {
    return this.#sum;
  }

  get count(): number {
    return this.#count;
  }

  /** One estimate per configured quantile, ascending; NaN values when the window is empty. */
  quantiles(): Quantile[] {
    const w = this.#window;
    if (w === undefined) return [];
    return this.#quantiles.map((t) => ({ quantile: t.quantile, value: w.query(t.quantile) }));
  }
}

export class SummaryFamily extends Family<Summary> {
  readonly type = 'summary' as const;
  readonly quantileTargets: readonly QuantileTarget[];
  readonly maxAgeMs: number;
  readonly ageBuckets: number;

  constructor(opts: SummaryOptions, ctx: FamilyContext) {
    super(opts, ctx);
    this.quantileTargets = normaliseQuantiles(opts.name, opts.quantiles ?? []);
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_SUMMARY_MAX_AGE_MS;
    this.ageBuckets = opts.ageBuckets ?? DEFAULT_SUMMARY_AGE_BUCKETS;
    if (!(this.maxAgeMs > 0) || !Number.isFinite(this.maxAgeMs)) {
      throw new RegistryError(`summary "${opts.name}": maxAgeMs must be a positive number`);
    }
    if (!(Number.isInteger(this.ageBuckets) && this.ageBuckets >= 1)) {
      throw new RegistryError(`summary "${opts.name}": ageBuckets must be a positive integer`);
    }
  }

  protected override definitionExtras(): unknown {
    return [this.quantileTargets, this.maxAgeMs, this.ageBuckets];
  }

  protected newChild(init: ChildInit): Summary {
    return new Summary(init, this.quantileTargets, this.maxAgeMs, this.ageBuckets, this.now);
  }

  protected toMetric(s: Summary): Metric {
    return {
      labels: s.labels,
      quantiles: s.quantiles(),
      count: s.count,
      sum: s.sum,
      createdMs: this.createdOf(s),
    };
  }
}
