// Collects the samples of one series while the dataset is generated, then packs them into the
// columnar arrays the remote_write encoder takes. Staleness markers are written as their exact bit
// pattern into the Float64Array (never through a JS number, which could quiet the NaN).

import { Labels } from '../../../src/model/labels.ts';

/** The staleness marker's two 32-bit words, little-endian (low word first) as in a Float64Array. */
const STALE_LOW = 0x00000002;
const STALE_HIGH = 0x7ff00000;

export interface GeneratedSeries {
  readonly labels: Labels;
  /** Milliseconds since the epoch, strictly increasing. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Samples that are not staleness markers (what count_over_time sees). */
  readonly realSamples: number;
}

export class SeriesBuilder {
  readonly labels: Labels;
  readonly #ts: number[] = [];
  readonly #vs: number[] = [];
  readonly #stale: number[] = [];

  constructor(labels: Readonly<Record<string, string>>) {
    this.labels = Labels.from(labels);
  }

  get lastTimestamp(): number {
    return this.#ts.length === 0 ? Number.NEGATIVE_INFINITY : this.#ts[this.#ts.length - 1];
  }

  /** Whether the last thing written is a sample (not a staleness marker and not nothing). */
  get live(): boolean {
    return this.#ts.length > 0 && this.#stale[this.#stale.length - 1] !== this.#ts.length - 1;
  }

  add(t: number, v: number): void {
    if (t <= this.lastTimestamp) throw new Error(`${this.labels}: timestamps must increase (${t})`);
    this.#ts.push(t);
    this.#vs.push(v);
  }

  /** Ends the series at `t` with a staleness marker, as Prometheus does when a series disappears. */
  stale(t: number): void {
    this.add(t, 0);
    this.#stale.push(this.#ts.length - 1);
  }

  build(): GeneratedSeries {
    const timestamps = Float64Array.from(this.#ts);
    const values = Float64Array.from(this.#vs);
    const words = new Uint32Array(values.buffer);
    for (const i of this.#stale) {
      words[2 * i] = STALE_LOW;
      words[2 * i + 1] = STALE_HIGH;
    }
    return { labels: this.labels, timestamps, values, realSamples: this.#ts.length - this.#stale.length };
  }
}
