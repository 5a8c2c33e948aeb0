// The head's in-memory series index: label set ↔ series ref, postings per label pair, and selection
// by label matchers (Prometheus' PostingsForMatchers), label names and label values.

import { Labels } from '../../model/labels.ts';
import type { Matcher } from './matcher.ts';
import { MemPostings } from './postings.ts';
import { difference, intersect, type Postings, unionAll } from './sorted.ts';
import { Symbols } from './symbols.ts';

export type GetOrCreateResult =
  | { readonly ref: number; readonly created: boolean; readonly labels: Labels; readonly refused?: undefined }
  | {
      readonly ref: undefined;
      readonly created: false;
      readonly refused: 'max-series';
      readonly limit: number;
    };

export interface SeriesIndexOptions {
  /** New label sets are refused once this many series exist (default: unlimited). */
  readonly maxSeries?: number;
}

export class SeriesIndex {
  readonly maxSeries: number;
  readonly #symbols = new Symbols();
  readonly #postings = new MemPostings();
  // Label sets in their compact form (a flat string array): a third of the memory of a Labels object.
  readonly #byRef = new Map<number, readonly string[]>();
  // Label-set hash (cut to a small integer, so keys stay unboxed) → ref, or refs on a collision.
  // Cheaper than a map keyed by each set's key string, which would cost ~100 bytes per series.
  readonly #byHash = new Map<number, number | number[]>();
  // Refs start at 1 so that 0 can never be mistaken for a real series by callers using falsy checks.
  #nextRef = 1;

  constructor(options: SeriesIndexOptions = {}) {
    const max = options.maxSeries ?? Number.POSITIVE_INFINITY;
    if (!(max >= 0)) throw new RangeError(`maxSeries must be >= 0, got ${max}`);
    this.maxSeries = max;
  }

  get numSeries(): number {
    return this.#byRef.size;
  }

  /** Number of distinct interned strings (label names and values). */
  get numSymbols(): number {
    return this.#symbols.size;
  }

  getOrCreate(labels: Labels): GetOrCreateResult {
    const existing = this.refOf(labels);
    if (existing !== undefined) return { ref: existing, created: false, labels: this.get(existing)! };
    if (this.#byRef.size >= this.maxSeries)
      return { ref: undefined, created: false, refused: 'max-series', limit: this.maxSeries };
    const ref = this.#insert(this.#nextRef++, labels);
    return { ref, created: true, labels: this.get(ref)! };
  }

  /**
   * Re-creates a series under the ref it had before a restart (WAL replay). Ignores the series limit:
   * the data was accepted once. Returns false when the ref or the label set already exists.
   */
  restore(ref: number, labels: Labels): boolean {
    if (this.#byRef.has(ref) || this.refOf(labels) !== undefined) return false;
    this.#insert(ref, labels);
    if (ref >= this.#nextRef) this.#nextRef = ref + 1;
    return true;
  }

  #insert(ref: number, labels: Labels): number {
    const flat: string[] = [];
    for (const p of labels.pairs) flat.push(this.#symbols.intern(p.name), this.#symbols.intern(p.value));
    this.#byRef.set(ref, flat);
    this.#hashAdd(labels, ref);
    // The interned strings, so postings keys do not keep a second copy of each value alive.
    this.#postings.add(ref, Labels.fromFlat(flat));
    return ref;
  }

  #hashAdd(labels: Labels, ref: number): void {
    const h = smallHash(labels);
    const hit = this.#byHash.get(h);
    if (hit === undefined) this.#byHash.set(h, ref);
    else if (typeof hit === 'number') this.#byHash.set(h, [hit, ref]);
    else hit.push(ref);
  }

  #hashDelete(labels: Labels, ref: number): void {
    const h = smallHash(labels);
    const hit = this.#byHash.get(h);
    if (hit === ref) this.#byHash.delete(h);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((r) => r !== ref);
      this.#byHash.set(h, rest.length === 1 ? rest[0] : rest);
    }
  }

  /** The label set of `ref` (a new object each call; the index keeps only the compact form). */
  get(ref: number): Labels | undefined {
    const flat = this.#byRef.get(ref);
    return flat === undefined ? undefined : Labels.fromFlat(flat);
  }

  /** The compact form of `ref`'s label set (`[name0, value0, …]`, interned strings). */
  flat(ref: number): readonly string[] | undefined {
    return this.#byRef.get(ref);
  }

  refOf(labels: Labels): number | undefined {
    const hit = this.#byHash.get(smallHash(labels));
    if (hit === undefined) return undefined;
    if (typeof hit === 'number') return labels.equalsFlat(this.#byRef.get(hit)!) ? hit : undefined;
    return hit.find((ref) => labels.equalsFlat(this.#byRef.get(ref)!));
  }

  /** Forgets a series; false when the ref is unknown. Refs are never reused. */
  delete(ref: number): boolean {
    return this.deleteMany([ref]) === 1;
  }

  /** {@link delete} of many series; the postings are rewritten once for all. Returns how many were there. */
  deleteMany(refs: Iterable<number>): number {
    const found: { ref: number; labels: Labels }[] = [];
    for (const ref of new Set(refs)) {
      const labels = this.get(ref);
      if (labels !== undefined) found.push({ ref, labels });
    }
    this.#postings.deleteMany(found);
    for (const { ref, labels } of found) {
      this.#byRef.delete(ref);
      this.#hashDelete(labels, ref);
      for (const p of labels.pairs) {
        this.#symbols.release(p.name);
        this.#symbols.release(p.value);
      }
    }
    return found.length;
  }

  /**
   * Sorted refs of the series matching every matcher (no matchers: every series). Matchers that do
   * not match '' narrow by the union of postings of their matching values; those that match '' also
   * select series lacking the label, so they are applied by subtracting the postings of the values
   * they reject, starting from all postings when nothing narrows first.
   */
  select(matchers: readonly Matcher[]): number[] {
    const narrowing: Postings[] = [];
    const subtracting: Matcher[] = [];
    for (const m of matchers) {
      if (m.matchesEmpty) subtracting.push(m);
      else narrowing.push(this.#matchingPostings(m));
    }
    narrowing.sort((a, b) => a.length - b.length);
    let result: Postings = narrowing.length === 0 ? this.#postings.all() : narrowing[0];
    for (let i = 1; i < narrowing.length && result.length > 0; i++) result = intersect(result, narrowing[i]);
    for (const m of subtracting) {
      if (result.length === 0) break;
      result = difference(result, this.#rejectedPostings(m));
    }
    return result.slice();
  }

  /** Sorted label names of the series matching `matchers` (of all series when none are given). */
  labelNames(matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return [...this.#postings.names()].sort();
    const names = new Set<string>();
    for (const ref of this.select(matchers)) {
      const flat = this.#byRef.get(ref)!;
      for (let i = 0; i < flat.length; i += 2) if (flat[i + 1] !== '') names.add(flat[i]);
    }
    return [...names].sort();
  }

  /** Sorted non-empty values of `name` among the series matching `matchers` (all when none). */
  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = this.#postings.values(name);
    if (matchers.length === 0) return [...values.keys()].sort();
    const selected = this.select(matchers);
    const out: string[] = [];
    // Test each value's postings against the selection, rather than visiting every selected series.
    for (const [value, list] of values) if (intersectsAny(list, selected)) out.push(value);
    return out.sort();
  }

  /** Series carrying `m.name` with a value `m` accepts (only valid when `m` rejects ''). */
  #matchingPostings(m: Matcher): Postings {
    if (m.isEqualityLookup) return this.#postings.get(m.name, m.value);
    const lists: Postings[] = [];
    for (const [value, list] of this.#postings.values(m.name)) if (m.matches(value)) lists.push(list);
    return unionAll(lists);
  }

  /** Series carrying `m.name` with a value `m` rejects. */
  #rejectedPostings(m: Matcher): Postings {
    if (m.type === '!=') return this.#postings.get(m.name, m.value);
    const lists: Postings[] = [];
    for (const [value, list] of this.#postings.values(m.name)) if (!m.matches(value)) lists.push(list);
    return unionAll(lists);
  }
}

function intersectsAny(a: Postings, b: Postings): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return false;
}

/** 30 bits of the label-set hash: small integers are stored unboxed as map keys. */
function smallHash(labels: Labels): number {
  return labels.hash % 0x40000000;
}
