// MemPostings: for every label pair, the ascending list of series refs carrying it, plus the list of
// all refs. Refs are handed out monotonically, so adding is an append in the common case.

import type { Labels } from '../../model/labels.ts';
import { insertSorted, type Postings, removeSorted } from './sorted.ts';

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

  /** Removes ref; empty lists and names are dropped so label names/values stay exact. */
  delete(ref: number, labels: Labels): void {
    removeSorted(this.#all, ref);
    for (const { name, value } of labels.pairs) {
      if (value === '') continue;
      const values = this.#byName.get(name);
      const list = values?.get(value);
      if (values === undefined || list === undefined) continue;
      removeSorted(list, ref);
      if (list.length === 0) {
        values.delete(value);
        if (values.size === 0) this.#byName.delete(name);
      }
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
