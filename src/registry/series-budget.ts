// The registry-wide series limit: every family draws its children from one budget, so a flood of
// new label values in one family cannot grow memory without bound, and the drops are counted.
// A budget may draw from a parent too, so several registries (one per surface) share one overall
// limit while each still counts its own series and drops.

export class SeriesBudget {
  readonly max: number;
  readonly #parent: SeriesBudget | undefined;
  #series = 0;
  #dropped = 0;

  constructor(max: number, parent?: SeriesBudget) {
    this.max = max;
    this.#parent = parent;
  }

  /** Live series across all families. */
  get series(): number {
    return this.#series;
  }

  /** New series refused so far (by this budget or by a family's own limit). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Take one series from the budget; false (and nothing taken) when it is exhausted. */
  tryAcquire(): boolean {
    if (this.#series >= this.max) return false;
    if (this.#parent && !this.#parent.tryAcquire()) return false;
    this.#series++;
    return true;
  }

  release(count = 1): void {
    this.#series -= count;
    this.#parent?.release(count);
  }

  noteDropped(): void {
    this.#dropped++;
  }
}
