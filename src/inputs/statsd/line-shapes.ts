// Lines a StatsD client sends over and over differ only in their value: `http.duration:12.5|ms|#route:/a`
// then `http.duration:80|ms|#route:/a`. A line's *shape* is the line without its value — the name
// before the first `:` and everything from the first `|` after it — and it decides everything but the
// value: type, sample rate, tags, mapping, and so the series. Remembering what a shape resolved to
// lets a repeated line skip tag parsing, the mapping and the series lookup; only the value is parsed.
//
// Only single-sample lines are remembered, so the value is exactly the text between that `:` and
// that `|` (the grammar in format/statsd/line.ts puts it there, and a number holds neither character).
// Whoever fills the cache clears it when what a shape resolved to may no longer hold.

/** Shapes kept at most; past that the cache starts over (the hot shapes come back at once). */
const MAX_SHAPES = 65_536;

export class LineShapes<T> {
  readonly #byName = new Map<string, Map<string, T>>();
  #size = 0;
  /** After a get() that found a shape: where the value is in the line. */
  valueStart = 0;
  valueEnd = 0;

  /** What `line`'s shape resolved to, and (valueStart, valueEnd) its value; undefined if unknown. */
  get(line: string): T | undefined {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const bar = line.indexOf('|', colon + 1);
    if (bar < 0) return undefined;
    const target = this.#byName.get(line.slice(0, colon))?.get(line.slice(bar));
    if (target !== undefined) {
      this.valueStart = colon + 1;
      this.valueEnd = bar;
    }
    return target;
  }

  /** Remember `line`'s shape; only for a line that parsed into exactly one sample. */
  set(line: string, target: T): void {
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const bar = line.indexOf('|', colon + 1);
    if (bar < 0) return;
    if (this.#size >= MAX_SHAPES) this.clear();
    const name = line.slice(0, colon);
    let byRest = this.#byName.get(name);
    if (byRest === undefined) {
      byRest = new Map();
      this.#byName.set(name, byRest);
    }
    const rest = line.slice(bar);
    if (!byRest.has(rest)) this.#size++;
    byRest.set(rest, target);
  }

  clear(): void {
    this.#byName.clear();
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}
