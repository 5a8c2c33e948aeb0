// Set operations on ascending, duplicate-free arrays of series refs (postings lists). Linear merges:
// postings are already sorted, so this beats hashing and keeps results sorted for the next step.

export type Postings = readonly number[];

/** Index of the first element >= x (list.length when none). */
export function lowerBound(list: Postings, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts x keeping the list sorted; false when already present. Appending is the O(1) common case. */
export function insertSorted(list: number[], x: number): boolean {
  const n = list.length;
  if (n === 0 || list[n - 1] < x) {
    list.push(x);
    return true;
  }
  const i = lowerBound(list, x);
  if (list[i] === x) return false;
  list.splice(i, 0, x);
  return true;
}

export function intersect(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** Elements of a not in b. */
export function difference(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

export function union(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Union of many lists, merged pairwise as a balanced tree: O(n log k) rather than O(n k). */
export function unionAll(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  let level: Postings[] = lists.slice();
  while (level.length > 1) {
    const next: Postings[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? union(level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0].slice();
}
