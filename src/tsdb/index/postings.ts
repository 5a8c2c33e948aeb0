// MemPostings: for every label pair, the ascending list of series refs carrying it, plus the list of
// all refs. Refs are handed out monotonically, so adding is an append in the common case.

import type { Labels } from '../../model/labels.ts';
import { insertSorted, type Postings } from './sorted.ts';

const EMPTY: Postings = [];

export class MemPostings {
  readonly #byName = new Map<string, Map<string, number[]>>();
  readonly #all: number[] = [];

  add(ref: number, labels: Labels): void {
    insertSorted(this.#all, ref);
    for (const { name, value } of labels.pairs) {
      // An empty value is no label (Labels.fromSorted does not strip them); keep it out of postings.
      if (value === '') continue;
      let values = this.#byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.#byName.set(name, values);
      }
      const list = values.get(value);
      if (list === undefined) values.set(value, [ref]);
      else insertSorted(list, ref);
    }
  }

  /**
   * Removes series; lists and names left empty are dropped so label names/values stay exact. Every
   * list they are in is rewritten once, not once per series: removing 80,000 churned series one by
   * one took 2.9 s, quadratic in the list lengths.
   */
  deleteMany(series: readonly { readonly ref: number; readonly labels: Labels }[]): void {
    if (series.length === 0) return;
    const gone = new Set<number>();
    const lists = new Map<number[], { name: string; value: string }>();
    for (const { ref, labels } of series) {
      gone.add(ref);
      for (const { name, value } of labels.pairs) {
        if (value === '') continue;
        const list = this.#byName.get(name)?.get(value);
        if (list !== undefined && !lists.has(list)) lists.set(list, { name, value });
      }
    }
    removeAll(this.#all, gone);
    for (const [list, { name, value }] of lists) {
      removeAll(list, gone);
      if (list.length > 0) continue;
      const values = this.#byName.get(name)!;
      values.delete(value);
      if (values.size === 0) this.#byName.delete(name);
    }
  }

  /** Live view; callers must not mutate it or hold it across writes. */
  get(name: string, value: string): Postings {
    return this.#byName.get(name)?.get(value) ?? EMPTY;
  }

  /** Live view of all refs; same caveat as {@link get}. */
  all(): Postings {
    return this.#all;
  }

  /** The values present for `name`, with their postings (unordered). */
  values(name: string): ReadonlyMap<string, Postings> {
    return this.#byName.get(name) ?? new Map();
  }

  names(): IterableIterator<string> {
    return this.#byName.keys();
  }
}

/** Removes the members of `gone` from `list`, in place, keeping the order. */
function removeAll(list: number[], gone: ReadonlySet<number>): void {
  let kept = 0;
  for (let i = 0; i < list.length; i++) if (!gone.has(list[i])) list[kept++] = list[i];
  list.length = kept;
}
