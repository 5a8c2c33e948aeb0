// Lines a StatsD client sends over and over differ only in their value: `http.duration:12.5|ms|#route:/a`
// then `http.duration:80|ms|#route:/a`. A line's *shape* is the line without its value — the name
// before the first `:` and everything from the first `|` after it — and it decides everything but the
// value: type, sample rate, tags, mapping, and so the series. Remembering what a shape resolved to
// lets a repeated line skip tag parsing, the mapping and the series lookup; only the value is parsed.
//
// Shapes are looked up by the line's bytes as they arrived, so a repeated line is never made into a
// string, checked as UTF-8 or hashed as one (a shape is only remembered from a line that was valid
// UTF-8, and its value, ASCII digits, cannot make it invalid).
//
// Only single-sample lines are remembered, so the value is exactly the text between that `:` and
// that `|` (the grammar in format/statsd/line.ts puts it there, and a number holds neither character).
// Whoever fills the cache clears it when what a shape resolved to may no longer hold.

import { ByteKeyTable } from '../decoding/byte-key-table.ts';

/** Shapes kept at most, and their bytes; past either the cache starts over (the hot shapes come back at once). */
const MAX_SHAPES = 65_536;
const MAX_SHAPE_BYTES = 8 << 20;
/** Longer shapes are not remembered (their lines take the full parse). */
const MAX_KEY_LENGTH = 4096;

const COLON = 0x3a;
const BAR = 0x7c;

export class LineShapes<T> {
  /** Shape → index in #targets. A key is the name, its `:`, then the rest from the `|` on. */
  readonly #keys = new ByteKeyTable(2 * MAX_SHAPE_BYTES);
  #targets: T[] = [];
  #bytes = 0;
  /** Where a looked-up line's key is put together. */
  readonly #key = new Uint8Array(MAX_KEY_LENGTH);
  /** After a get() that found a shape: where the value is in the buffer. */
  valueStart = 0;
  valueEnd = 0;

  /** What the line `buf[start, end)`'s shape resolved to (and its value's place); undefined if unknown. */
  get(buf: Uint8Array, start: number, end: number): T | undefined {
    const n = this.#keyOf(buf, start, end);
    if (n < 0) return undefined;
    const at = this.#keys.find(this.#key, 0, n);
    if (at < 0) return undefined;
    return this.#targets[at];
  }

  /** Remember `line`'s shape; only for a line that parsed into exactly one sample. */
  set(line: string, target: T): void {
    const bytes = Buffer.from(line, 'utf8');
    const n = this.#keyOf(bytes, 0, bytes.length);
    if (n < 0) return;
    const known = this.#keys.find(this.#key, 0, n);
    if (known >= 0) {
      this.#targets[known] = target;
      return;
    }
    if (this.#targets.length >= MAX_SHAPES || this.#bytes + n > MAX_SHAPE_BYTES) this.clear();
    this.#keys.set(this.#key, 0, n, this.#targets.length);
    this.#targets.push(target);
    this.#bytes += n;
  }

  clear(): void {
    this.#keys.clear();
    this.#targets = [];
    this.#bytes = 0;
  }

  get size(): number {
    return this.#targets.length;
  }

  /**
   * Puts the key of the line `buf[start, end)` in #key and its value's place in valueStart/valueEnd;
   * returns the key's length, or -1 for a line with no shape (or one too long to remember).
   */
  #keyOf(buf: Uint8Array, start: number, end: number): number {
    let colon = start;
    while (colon < end && buf[colon] !== COLON) colon++;
    if (colon === start || colon === end) return -1;
    let bar = colon + 1;
    while (bar < end && buf[bar] !== BAR) bar++;
    if (bar === end) return -1;
    const head = colon + 1 - start;
    const n = head + end - bar;
    if (n > MAX_KEY_LENGTH) return -1;
    const key = this.#key;
    for (let i = 0; i < head; i++) key[i] = buf[start + i];
    for (let i = head, j = bar; j < end; i++, j++) key[i] = buf[j];
    this.valueStart = colon + 1;
    this.valueEnd = bar;
    return n;
  }
}
