// A label set: immutable, sorted by name, unique names. The metric name is carried as `__name__`
// like Prometheus does, so a label set alone identifies a series.

import { hashStrings } from './hash.ts';
import { isValidLabelName, isValidMetricName, type NameValidation } from './names.ts';

export const METRIC_NAME_LABEL = '__name__';

export interface Label {
  readonly name: string;
  readonly value: string;
}

export class LabelError extends Error {}

export class Labels {
  static readonly EMPTY = new Labels([]);

  readonly #pairs: readonly Label[];
  #key: string | undefined;
  #hash: number | undefined;

  /** Use {@link Labels.from} or {@link Labels.fromSorted}; the constructor trusts its input. */
  private constructor(sortedPairs: readonly Label[]) {
    this.#pairs = sortedPairs;
  }

  /**
   * Build from a record or pairs: sorts, rejects duplicate names, drops empty values (in Prometheus
   * a label with an empty value is the same as no label).
   */
  static from(input: Readonly<Record<string, string>> | Iterable<Label>): Labels {
    const pairs: Label[] = [];
    if (Symbol.iterator in input) {
      for (const l of input as Iterable<Label>)
        if (l.value !== '') pairs.push({ name: l.name, value: l.value });
    } else {
      for (const name of Object.keys(input)) {
        const value = (input as Record<string, string>)[name];
        if (value !== '') pairs.push({ name, value });
      }
    }
    pairs.sort(compareByName);
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i].name === pairs[i - 1].name)
        throw new LabelError(`duplicate label name "${pairs[i].name}"`);
    }
    return pairs.length === 0 ? Labels.EMPTY : new Labels(pairs);
  }

  /** Build from pairs already sorted by name with unique names (checked cheaply in order). */
  static fromSorted(pairs: readonly Label[]): Labels {
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i - 1].name >= pairs[i].name) throw new LabelError('labels are not sorted and unique');
    }
    return new Labels(pairs);
  }

  /**
   * From the compact form `[name0, value0, name1, value1, …]` (sorted, unique names — trusted): the
   * store keeps label sets this way, a third of the memory of pair objects.
   */
  static fromFlat(flat: readonly string[]): Labels {
    const pairs: Label[] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push({ name: flat[i], value: flat[i + 1] });
    return new Labels(pairs);
  }

  /** The compact form (see {@link fromFlat}). */
  toFlat(): string[] {
    const out: string[] = [];
    for (const p of this.#pairs) out.push(p.name, p.value);
    return out;
  }

  /** Whether this label set equals the compact form `flat`. */
  equalsFlat(flat: readonly string[]): boolean {
    const a = this.#pairs;
    if (flat.length !== a.length * 2) return false;
    for (let i = 0; i < a.length; i++)
      if (a[i].name !== flat[2 * i] || a[i].value !== flat[2 * i + 1]) return false;
    return true;
  }

  get size(): number {
    return this.#pairs.length;
  }

  get pairs(): readonly Label[] {
    return this.#pairs;
  }

  get(name: string): string {
    for (const p of this.#pairs) if (p.name === name) return p.value;
    return '';
  }

  has(name: string): boolean {
    for (const p of this.#pairs) if (p.name === name) return true;
    return false;
  }

  /** The metric name (`__name__`), or '' when there is none. */
  get metricName(): string {
    return this.get(METRIC_NAME_LABEL);
  }

  /** A new set with `name` set to `value` (removed when `value` is empty). */
  with(name: string, value: string): Labels {
    const rest = this.#pairs.filter((p) => p.name !== name);
    if (value !== '') rest.push({ name, value });
    rest.sort(compareByName);
    return new Labels(rest);
  }

  without(...names: string[]): Labels {
    return new Labels(this.#pairs.filter((p) => !names.includes(p.name)));
  }

  /**
   * Exact identity: equal keys ⇔ equal label sets. Suitable as a Map key. Every part is length-
   * prefixed: JS strings can hold any code unit, so no separator character alone is unambiguous.
   */
  get key(): string {
    if (this.#key === undefined) {
      // join() yields one flat string; `+=` would leave a rope of many nodes, ~3× the memory.
      const parts: string[] = [];
      for (const p of this.#pairs) parts.push(`${p.name.length}:${p.name}${p.value.length}:${p.value}`);
      this.#key = parts.join('');
    }
    return this.#key;
  }

  /** A fast 53-bit hash of the label set (for sharding and hash maps; equal sets, equal hashes). */
  get hash(): number {
    // From the pairs, not the key: the series index hashes label sets it never builds a key for.
    if (this.#hash === undefined) this.#hash = hashStrings(this.#pairs);
    return this.#hash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.#pairs;
    const b = other.#pairs;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i].name !== b[i].name || a[i].value !== b[i].value) return false;
    return true;
  }

  /**
   * Orders label sets as Prometheus does: pair by pair, name then value, a prefix first. Strings are
   * compared by UTF-16 code units, so the order is total and the same in every part of the store.
   */
  static compare(a: Labels, b: Labels): number {
    const x = a.#pairs;
    const y = b.#pairs;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (x[i].name !== y[i].name) return x[i].name < y[i].name ? -1 : 1;
      if (x[i].value !== y[i].value) return x[i].value < y[i].value ? -1 : 1;
    }
    return x.length - y.length;
  }

  /** {@link compare} on compact forms (see {@link fromFlat}), without building the label sets. */
  static compareFlat(x: readonly string[], y: readonly string[]): number {
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.#pairs) out[p.name] = p.value;
    return out;
  }

  /** Check every name against Prometheus' rules; throws {@link LabelError} naming the culprit. */
  validate(mode: NameValidation = 'utf8'): this {
    for (const p of this.#pairs) {
      if (p.name === METRIC_NAME_LABEL) {
        if (!isValidMetricName(p.value, mode)) throw new LabelError(`invalid metric name "${p.value}"`);
      } else if (!isValidLabelName(p.name, mode)) {
        throw new LabelError(`invalid label name "${p.name}"`);
      }
      if (!p.value.isWellFormed())
        throw new LabelError(`label "${p.name}" has a value that is not valid UTF-8`);
    }
    return this;
  }

  toString(): string {
    const name = this.metricName;
    const rest = this.#pairs
      .filter((p) => p.name !== METRIC_NAME_LABEL)
      .map((p) => `${p.name}=${JSON.stringify(p.value)}`);
    return `${name}{${rest.join(', ')}}`;
  }
}

function compareByName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
