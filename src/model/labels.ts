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

  // The compact form `[name0, value0, name1, value1, …]`, sorted by name: what the store keeps, and
  // what every method reads. Pair objects are built only when asked for ({@link pairs}).
  readonly #flat: readonly string[];
  #pairs: readonly Label[] | undefined;
  #key: string | undefined;
  #hash: number | undefined;

  /** Use {@link Labels.from}, {@link Labels.fromSorted} or {@link Labels.fromFlat}; this trusts its input. */
  private constructor(flat: readonly string[], pairs?: readonly Label[]) {
    this.#flat = flat;
    this.#pairs = pairs;
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
    return pairs.length === 0 ? Labels.EMPTY : new Labels(flatOf(pairs), pairs);
  }

  /** Build from pairs already sorted by name with unique names (checked cheaply in order). */
  static fromSorted(pairs: readonly Label[]): Labels {
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i - 1].name >= pairs[i].name) throw new LabelError('labels are not sorted and unique');
    }
    return new Labels(flatOf(pairs), pairs);
  }

  /**
   * From the compact form `[name0, value0, name1, value1, …]` (sorted, unique names — trusted, and
   * kept, not copied: it must not change afterwards). The store keeps label sets this way, a third
   * of the memory of pair objects.
   */
  static fromFlat(flat: readonly string[]): Labels {
    return new Labels(flat);
  }

  /** A copy of the compact form (see {@link fromFlat}). */
  toFlat(): string[] {
    return [...this.#flat];
  }

  /** The compact form itself, read-only (see {@link fromFlat}). */
  get flat(): readonly string[] {
    return this.#flat;
  }

  /** Whether this label set equals the compact form `flat`. */
  equalsFlat(flat: readonly string[]): boolean {
    const a = this.#flat;
    if (flat.length !== a.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== flat[i]) return false;
    return true;
  }

  get size(): number {
    return this.#flat.length >> 1;
  }

  get pairs(): readonly Label[] {
    if (this.#pairs === undefined) {
      const f = this.#flat;
      const pairs: Label[] = [];
      for (let i = 0; i < f.length; i += 2) pairs.push({ name: f[i], value: f[i + 1] });
      this.#pairs = pairs;
    }
    return this.#pairs;
  }

  get(name: string): string {
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return f[i + 1];
    return '';
  }

  has(name: string): boolean {
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return true;
    return false;
  }

  /** The metric name (`__name__`), or '' when there is none. */
  get metricName(): string {
    return this.get(METRIC_NAME_LABEL);
  }

  /** A new set with `name` set to `value` (removed when `value` is empty). */
  with(name: string, value: string): Labels {
    const f = this.#flat;
    const out: string[] = [];
    let placed = value === '';
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === name) continue;
      if (!placed && name < f[i]) {
        out.push(name, value);
        placed = true;
      }
      out.push(f[i], f[i + 1]);
    }
    if (!placed) out.push(name, value);
    return new Labels(out);
  }

  without(...names: string[]): Labels {
    return this.keeping((name) => !names.includes(name));
  }

  /** The labels whose names pass `keep` (this very set when all do). */
  keeping(keep: (name: string) => boolean): Labels {
    const f = this.#flat;
    let out: string[] | undefined;
    for (let i = 0; i < f.length; i += 2) {
      if (keep(f[i])) {
        out?.push(f[i], f[i + 1]);
      } else if (out === undefined) {
        out = f.slice(0, i);
      }
    }
    return out === undefined ? this : new Labels(out);
  }

  /**
   * Exact identity: equal keys ⇔ equal label sets. Suitable as a Map key. Every part is length-
   * prefixed: JS strings can hold any code unit, so no separator character alone is unambiguous.
   */
  get key(): string {
    if (this.#key === undefined) this.#key = keyOf(this.#flat);
    return this.#key;
  }

  /** A fast 53-bit hash of the label set (for sharding and hash maps; equal sets, equal hashes). */
  get hash(): number {
    // From the compact form, not the key: the series index hashes label sets it never builds a key for.
    if (this.#hash === undefined) this.#hash = hashStrings(this.#flat);
    return this.#hash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    return this.equalsFlat(other.#flat);
  }

  /**
   * Orders label sets as Prometheus does: pair by pair, name then value, a prefix first. Strings are
   * compared by UTF-16 code units, so the order is total and the same in every part of the store.
   */
  static compare(a: Labels, b: Labels): number {
    return Labels.compareFlat(a.#flat, b.#flat);
  }

  /** {@link compare} on compact forms (see {@link fromFlat}), without building the label sets. */
  static compareFlat(x: readonly string[], y: readonly string[]): number {
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) out[f[i]] = f[i + 1];
    return out;
  }

  /** Check every name against Prometheus' rules; throws {@link LabelError} naming the culprit. */
  validate(mode: NameValidation = 'utf8'): this {
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) {
      const name = f[i];
      const value = f[i + 1];
      if (name === METRIC_NAME_LABEL) {
        if (!isValidMetricName(value, mode)) throw new LabelError(`invalid metric name "${value}"`);
      } else if (!isValidLabelName(name, mode)) {
        throw new LabelError(`invalid label name "${name}"`);
      }
      if (!value.isWellFormed()) throw new LabelError(`label "${name}" has a value that is not valid UTF-8`);
    }
    return this;
  }

  toString(): string {
    const name = this.metricName;
    const rest = this.pairs
      .filter((p) => p.name !== METRIC_NAME_LABEL)
      .map((p) => `${p.name}=${JSON.stringify(p.value)}`);
    return `${name}{${rest.join(', ')}}`;
  }
}

/** The identity key of a compact label set (see {@link Labels.key}). */
function keyOf(flat: readonly string[]): string {
  // join() yields one flat string; `+=` would leave a rope of many nodes, ~3× the memory.
  const parts: string[] = [];
  for (let i = 0; i < flat.length; i += 2) parts.push(keyPart(flat[i], flat[i + 1]));
  return parts.join('');
}

/** One label's part of a {@link Labels.key}. */
export function keyPart(name: string, value: string): string {
  return `${name.length}:${name}${value.length}:${value}`;
}

function flatOf(pairs: readonly Label[]): string[] {
  const out: string[] = [];
  for (const p of pairs) out.push(p.name, p.value);
  return out;
}

function compareByName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
