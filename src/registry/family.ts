// The part every family type shares: its definition, its children keyed by label values, the
// cardinality limits, removal, and turning children into an exposition `MetricFamily`.
//
// A child keeps one `Labels` instance for its whole life (the exposition writer caches escaped
// label text per instance), so collect() never rebuilds label sets.

import type { Metric, MetricFamily } from '../format/exposition/family.ts';
import { type Label, Labels } from '../model/labels.ts';
import type { MetricType } from '../model/metadata.ts';
import type { Clock } from './clock.ts';
import { RegistryError } from './errors.ts';
import { appendLabelValue, labelValuesKey } from './label-key.ts';
import type { SeriesBudget } from './series-budget.ts';

/** Label values: by name (must name exactly the declared labels) or positional (declared order). */
export type LabelValues = Readonly<Record<string, string>> | readonly string[];

/** State shared by the children of one family. */
export interface ChildInit {
  readonly labels: Labels;
  readonly values: readonly string[];
  readonly createdMs: number;
}

/** One series (or one histogram/summary) of a family. */
export abstract class Child {
  /** The child's label set; the same instance for the child's whole life. */
  readonly labels: Labels;
  /** Label values in the family's declared order. */
  readonly values: readonly string[];
  /** When the child was created (OpenMetrics `_created`), ms since the epoch. */
  readonly createdMs: number;

  constructor(init: ChildInit) {
    this.labels = init.labels;
    this.values = init.values;
    this.createdMs = init.createdMs;
  }
}

/** What a family gets from the registry that owns it. */
export interface FamilyContext {
  readonly budget: SeriesBudget;
  readonly now: Clock;
  /** Per-family limit unless the definition sets its own. */
  readonly defaultMaxSeries: number;
  /** Whether collected metrics carry their created time (OpenMetrics `_created`). */
  readonly createdTimestamps: boolean;
}

export abstract class Family<C extends Child> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  protected readonly now: Clock;
  readonly #createdTimestamps: boolean;

  readonly #budget: SeriesBudget;
  readonly #children = new Map<string, C>();
  /** Indices into labelNames, in label-name order (how Labels and the sort order see them). */
  readonly #sortedIndex: readonly number[];
  #sorted: C[] | undefined;
  #dropped = 0;
  #noop: C | undefined;
  #detached = false;

  constructor(
    opts: { name: string; help: string; labelNames?: readonly string[]; unit?: string; maxSeries?: number },
    ctx: FamilyContext,
  ) {
    this.name = opts.name;
    this.help = opts.help;
    this.unit = opts.unit ?? '';
    this.labelNames = Object.freeze([...(opts.labelNames ?? [])]);
    this.maxSeries = opts.maxSeries ?? ctx.defaultMaxSeries;
    this.now = ctx.now;
    this.#createdTimestamps = ctx.createdTimestamps;
    this.#budget = ctx.budget;
    this.#sortedIndex = this.labelNames
      .map((name, i) => ({ name, i }))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e) => e.i);
  }

  /** Build a child of this family's type. */
  protected abstract newChild(init: ChildInit): C;

  /** The exposition form of one child. */
  protected abstract toMetric(child: C): Metric;

  /** The child's created time for collect(), or undefined when the registry does not expose it. */
  protected createdOf(child: C): number | undefined {
    return this.#createdTimestamps ? child.createdMs : undefined;
  }

  /** Type-specific parts of the definition (buckets, quantiles, …) for the idempotency check. */
  protected definitionExtras(): unknown {
    return null;
  }

  /** The full definition; two registrations are the same family iff their signatures are equal. */
  get signature(): string {
    return JSON.stringify([
      this.type,
      this.help,
      this.unit,
      this.labelNames,
      this.maxSeries,
      this.definitionExtras(),
    ]);
  }

  /** Live children. */
  get size(): number {
    return this.#children.size;
  }

  /** New children refused because a cardinality limit was reached. */
  get droppedSeries(): number {
    return this.#dropped;
  }

  /**
   * The child for these label values, created on first use. When a cardinality limit refuses a new
   * child, the drop is counted and a detached no-op child is returned (its updates go nowhere), so
   * callers never crash. Throws a RegistryError when the values do not match the label names.
   */
  labels(values: Readonly<Record<string, string>>): C;
  labels(...values: string[]): C;
  labels(...args: [Readonly<Record<string, string>>] | string[]): C {
    const first = args[0];
    const values = typeof first === 'object' && first !== null ? first : (args as string[]);
    return this.tryLabels(values) ?? this.#noopChild();
  }

  /** Like {@link labels} but returns undefined when a cardinality limit refuses a new child. */
  tryLabels(values: LabelValues): C | undefined {
    const key = this.#keyOf(values);
    const child = this.#children.get(key);
    if (child !== undefined) return child;
    return this.#create(key, this.#valuesOf(values));
  }

  /** The child for these label values if it exists; never creates one. */
  getChild(values: LabelValues): C | undefined {
    return this.#children.get(this.#keyOf(values));
  }

  /** Remove the child with these label values; true when there was one. */
  remove(values: LabelValues): boolean {
    const key = this.#keyOf(values);
    if (!this.#children.delete(key)) return false;
    this.#budget.release();
    this.#sorted = undefined;
    return true;
  }

  /** Remove every child. */
  clear(): void {
    this.#budget.release(this.#children.size);
    this.#children.clear();
    this.#sorted = undefined;
  }

  /** Children in a stable order: by label values, in label-name order. */
  children(): readonly C[] {
    if (this.#sorted === undefined) {
      const idx = this.#sortedIndex;
      this.#sorted = [...this.#children.values()].sort((a, b) => {
        for (const i of idx) {
          const x = a.values[i];
          const y = b.values[i];
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
    }
    return this.#sorted;
  }

  /** The family as exposition; undefined when it has no children (as client_golang omits them). */
  collect(): MetricFamily | undefined {
    const children = this.children();
    if (children.length === 0) return undefined;
    const metrics: Metric[] = new Array(children.length);
    for (let i = 0; i < children.length; i++) metrics[i] = this.toMetric(children[i]);
    return { name: this.name, type: this.type, help: this.help, unit: this.unit, metrics };
  }

  /** Called by the registry on unregister: frees the budget, and later children are refused. */
  detach(): void {
    this.clear();
    this.#detached = true;
  }

  #keyOf(values: LabelValues): string {
    const names = this.labelNames;
    if (Array.isArray(values)) {
      const list = values as readonly string[];
      if (list.length !== names.length) {
        throw new RegistryError(
          `metric "${this.name}": expected ${names.length} label values (${names.join(', ')}), got ${list.length}`,
        );
      }
      for (let i = 0; i < list.length; i++) {
        if (typeof list[i] !== 'string') {
          throw new RegistryError(`metric "${this.name}": label "${names[i]}" value must be a string`);
        }
      }
      return labelValuesKey(list);
    }
    const record = values as Readonly<Record<string, string>>;
    let count = 0;
    for (const _ in record) count++;
    let key = '';
    for (let i = 0; i < names.length; i++) {
      const v = record[names[i]];
      if (typeof v !== 'string') {
        throw new RegistryError(
          v === undefined
            ? `metric "${this.name}": missing label "${names[i]}"`
            : `metric "${this.name}": label "${names[i]}" value must be a string`,
        );
      }
      key = appendLabelValue(key, v, i === 0);
    }
    if (count !== names.length) {
      const extra = Object.keys(record).filter((k) => !names.includes(k));
      throw new RegistryError(
        `metric "${this.name}": unknown label(s) ${extra.map((k) => `"${k}"`).join(', ')}`,
      );
    }
    return key;
  }

  #valuesOf(values: LabelValues): string[] {
    if (Array.isArray(values)) return [...(values as readonly string[])];
    const record = values as Readonly<Record<string, string>>;
    return this.labelNames.map((n) => record[n]);
  }

  #create(key: string, values: string[]): C | undefined {
    if (this.#detached) return undefined;
    for (let i = 0; i < values.length; i++) {
      if (!values[i].isWellFormed()) {
        throw new RegistryError(
          `metric "${this.name}": label "${this.labelNames[i]}" value is not valid Unicode`,
        );
      }
    }
    if (this.#children.size >= this.maxSeries || !this.#budget.tryAcquire()) {
      this.#dropped++;
      this.#budget.noteDropped();
      return undefined;
    }
    const child = this.newChild({ labels: this.#labelsOf(values), values, createdMs: this.now() });
    this.#children.set(key, child);
    this.#sorted = undefined;
    return child;
  }

  #labelsOf(values: readonly string[]): Labels {
    const pairs: Label[] = [];
    for (const i of this.#sortedIndex) {
      // An empty value is the same as no label in Prometheus; Labels leaves it out too.
      if (values[i] !== '') pairs.push({ name: this.labelNames[i], value: values[i] });
    }
    return pairs.length === 0 ? Labels.EMPTY : Labels.fromSorted(pairs);
  }

  #noopChild(): C {
    this.#noop ??= this.newChild({ labels: Labels.EMPTY, values: [], createdMs: this.now() });
    return this.#noop;
  }
}
