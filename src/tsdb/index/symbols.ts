// String interning for label names and values: the same name/value shared by thousands of series is
// kept once. Reference-counted so that series churn does not grow the table forever.

interface Entry {
  readonly value: string;
  refs: number;
}

export class Symbols {
  readonly #table = new Map<string, Entry>();

  /** The canonical instance of `s`; each call takes one reference (pair it with {@link release}). */
  intern(s: string): string {
    const e = this.#table.get(s);
    if (e !== undefined) {
      e.refs++;
      return e.value;
    }
    this.#table.set(s, { value: s, refs: 1 });
    return s;
  }

  /** Drops one reference; the string is forgotten when none remain. */
  release(s: string): void {
    const e = this.#table.get(s);
    if (e === undefined) return;
    if (--e.refs <= 0) this.#table.delete(s);
  }

  has(s: string): boolean {
    return this.#table.has(s);
  }

  get size(): number {
    return this.#table.size;
  }
}
