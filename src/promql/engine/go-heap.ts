// A binary heap that moves elements exactly as Go's container/heap does (Push = append + up,
// Fix = down-or-up). topk/bottomk/limitk keep their candidates in such a heap, and which of several
// equal values survives — and the order an instant query returns them in — follows from these moves.

/** `less(a, b)`: a sorts before b (Go's Less(i, j) on the elements). */
export type HeapLess = (a: number, b: number) => boolean;

export class GoHeap {
  /** Heap order: items[i] is an opaque element id; values[i] the value it is ordered by. */
  readonly ids: number[] = [];
  readonly values: number[] = [];
  readonly #less: HeapLess;

  constructor(less: HeapLess) {
    this.#less = less;
  }

  get length(): number {
    return this.ids.length;
  }

  clear(): void {
    this.ids.length = 0;
    this.values.length = 0;
  }

  push(id: number, value: number): void {
    this.ids.push(id);
    this.values.push(value);
    this.#up(this.ids.length - 1);
  }

  /** Replaces the root (heap[0]) and restores the heap, as `h[0] = x; heap.Fix(h, 0)`. */
  replaceRoot(id: number, value: number): void {
    this.ids[0] = id;
    this.values[0] = value;
    if (!this.#down(0, this.ids.length)) this.#up(0);
  }

  #lessAt(i: number, j: number): boolean {
    return this.#less(this.values[i], this.values[j]);
  }

  #swap(i: number, j: number): void {
    const id = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = id;
    const v = this.values[i];
    this.values[i] = this.values[j];
    this.values[j] = v;
  }

  #up(j: number): void {
    for (;;) {
      const i = Math.trunc((j - 1) / 2); // Go's integer division: (0-1)/2 == 0
      if (i === j || !this.#lessAt(j, i)) break;
      this.#swap(i, j);
      j = i;
    }
  }

  #down(i0: number, n: number): boolean {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.#lessAt(j2, j1)) j = j2;
      if (!this.#lessAt(j, i)) break;
      this.#swap(i, j);
      i = j;
    }
    return i > i0;
  }
}

/** Prometheus' vectorByValueHeap.Less: NaN first, then ascending. */
export const byValue: HeapLess = (a, b) => Number.isNaN(a) || a < b;

/** Prometheus' vectorByReverseValueHeap.Less: NaN first, then descending. */
export const byReverseValue: HeapLess = (a, b) => Number.isNaN(a) || a > b;
