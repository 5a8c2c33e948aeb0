// The registry: live metric state the gateway computes (Hermes and StatsD values, self-metrics),
// declared as families and collected as exposition. One instance per thing rendered on its own
// (telemux's main registry, Hermes' drop-in registry, the self-metrics registry).

import type { Collector, MetricFamily } from '../format/exposition/family.ts';
import type { MetricType } from '../model/metadata.ts';
import type { NameValidation } from '../model/names.ts';
import { type Clock, systemClock } from './clock.ts';
import { CounterFamily } from './counter.ts';
import { type FamilyOptions, sampleNames, validateFamilyOptions } from './definition.ts';
import { RegistryError } from './errors.ts';
import type { Child, Family, FamilyContext } from './family.ts';
import { GaugeFamily } from './gauge.ts';
import { HistogramFamily, type HistogramOptions } from './histogram.ts';
import { SeriesBudget } from './series-budget.ts';
import { SummaryFamily, type SummaryOptions } from './summary.ts';
import { UntypedFamily } from './untyped.ts';

export type AnyFamily = CounterFamily | GaugeFamily | HistogramFamily | SummaryFamily | UntypedFamily;

export interface RegistryOptions {
  /** Most live series across all families (default 1,000,000). */
  readonly maxSeries?: number;
  /** Most live series in one family unless it sets its own (default 100,000). */
  readonly maxSeriesPerFamily?: number;
  /** Name rules: 'legacy' (default; what text 0.0.4 carries bare) or Prometheus 3 'utf8'. */
  readonly nameValidation?: NameValidation;
  /** Time source in ms (tests inject one). */
  readonly now?: Clock;
  /** An overall budget shared with other registries; this registry's series count against it too. */
  readonly sharedBudget?: SeriesBudget;
  /**
   * Expose each series' created time (OpenMetrics `_created` lines). Off by default, as in
   * client_golang: Prometheus 2.x stores every `_created` as a series of its own.
   */
  readonly createdTimestamps?: boolean;
}

export const DEFAULT_MAX_SERIES = 1_000_000;
export const DEFAULT_MAX_SERIES_PER_FAMILY = 100_000;

export class Registry implements Collector {
  readonly nameValidation: NameValidation;
  readonly #budget: SeriesBudget;
  readonly #ctx: FamilyContext;
  readonly #families = new Map<string, AnyFamily>();
  /** Sample name → family name, to refuse families whose samples would collide. */
  readonly #sampleOwners = new Map<string, string>();
  readonly #collectors = new Set<Collector>();
  #sortedFamilies: AnyFamily[] | undefined;

  constructor(opts: RegistryOptions = {}) {
    const maxSeries = opts.maxSeries ?? DEFAULT_MAX_SERIES;
    const perFamily = opts.maxSeriesPerFamily ?? DEFAULT_MAX_SERIES_PER_FAMILY;
    for (const [key, v] of [
      ['maxSeries', maxSeries],
      ['maxSeriesPerFamily', perFamily],
    ] as const) {
      if (!(Number.isInteger(v) && v > 0))
        throw new RegistryError(`${key} must be a positive integer, got ${v}`);
    }
    this.nameValidation = opts.nameValidation ?? 'legacy';
    this.#budget = new SeriesBudget(maxSeries, opts.sharedBudget);
    this.#ctx = {
      budget: this.#budget,
      now: opts.now ?? systemClock,
      defaultMaxSeries: perFamily,
      createdTimestamps: opts.createdTimestamps ?? false,
    };
  }

  counter(opts: FamilyOptions): CounterFamily {
    return this.#register('counter', opts, CounterFamily, (o, c) => new CounterFamily(o, c));
  }

  gauge(opts: FamilyOptions): GaugeFamily {
    return this.#register('gauge', opts, GaugeFamily, (o, c) => new GaugeFamily(o, c));
  }

  histogram(opts: HistogramOptions): HistogramFamily {
    return this.#register('histogram', opts, HistogramFamily, (o, c) => new HistogramFamily(o, c));
  }

  summary(opts: SummaryOptions): SummaryFamily {
    return this.#register('summary', opts, SummaryFamily, (o, c) => new SummaryFamily(o, c));
  }

  untyped(opts: FamilyOptions): UntypedFamily {
    return this.#register('untyped', opts, UntypedFamily, (o, c) => new UntypedFamily(o, c));
  }

  /** The family registered under `name`. */
  get(name: string): AnyFamily | undefined {
    return this.#families.get(name);
  }

  /** Registered families, sorted by name. */
  families(): readonly AnyFamily[] {
    this.#sortedFamilies ??= [...this.#families.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.#sortedFamilies;
  }

  /** Remove a family and its series; true when it existed. Its handle stops accepting new children. */
  unregister(name: string): boolean {
    const family = this.#families.get(name);
    if (family === undefined) return false;
    family.detach();
    this.#families.delete(name);
    for (const s of sampleNames(family.type, name)) this.#sampleOwners.delete(s);
    this.#sortedFamilies = undefined;
    return true;
  }

  /**
   * Add another source of families to this registry's exposition (e.g. a self-metrics collector
   * that reads counters at collect time). Its family names must not clash with registered ones;
   * on a clash the registry's own family wins and the collector's is left out.
   */
  registerCollector(collector: Collector): void {
    this.#collectors.add(collector);
  }

  unregisterCollector(collector: Collector): boolean {
    return this.#collectors.delete(collector);
  }

  /** Live series across all families. */
  get seriesCount(): number {
    return this.#budget.series;
  }

  /** The registry-wide series limit. */
  get maxSeries(): number {
    return this.#budget.max;
  }

  /** New series refused by a cardinality limit (per family or registry-wide), since start. */
  get droppedSeries(): number {
    return this.#budget.dropped;
  }

  /** Every family with at least one series, sorted by name; each family's metrics in stable order. */
  collect(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const family of this.families()) {
      const mf = family.collect();
      if (mf !== undefined) out.push(mf);
    }
    if (this.#collectors.size === 0) return out;
    const own = new Set(out.map((f) => f.name));
    for (const c of this.#collectors) {
      for (const mf of c.collect()) {
        if (!own.has(mf.name)) {
          own.add(mf.name);
          out.push(mf);
        }
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #register<F extends Family<Child> & AnyFamily, O extends FamilyOptions>(
    type: MetricType,
    opts: O,
    cls: abstract new (...args: never[]) => F,
    create: (opts: O, ctx: FamilyContext) => F,
  ): F {
    validateFamilyOptions(type, opts, this.nameValidation);
    // Building the candidate validates type-specific options and gives the comparable signature.
    const candidate = create(opts, this.#ctx);
    const existing = this.#families.get(opts.name);
    if (existing !== undefined) {
      if (existing instanceof cls && existing.signature === candidate.signature) return existing;
      throw new RegistryError(
        `metric "${opts.name}" is already registered with a different definition ` +
          `(${describe(existing)}; now ${describe(candidate)})`,
      );
    }
    const samples = sampleNames(type, opts.name);
    for (const s of samples) {
      const owner = this.#sampleOwners.get(s);
      if (owner !== undefined) {
        throw new RegistryError(
          `metric "${opts.name}" clashes with "${owner}": both would write samples named "${s}"`,
        );
      }
    }
    for (const s of samples) this.#sampleOwners.set(s, opts.name);
    this.#families.set(opts.name, candidate);
    this.#sortedFamilies = undefined;
    // A family without labels has exactly one series; like a plain client_golang metric it exists
    // (at zero) from the start.
    if (candidate.labelNames.length === 0) candidate.tryLabels([]);
    return candidate;
  }
}

function describe(f: AnyFamily): string {
  return `${f.type} with labels [${f.labelNames.join(', ')}], help ${JSON.stringify(f.help)}${
    f.unit ? `, unit ${f.unit}` : ''
  }`;
}
