// Quantiles over a sliding time window, the way client_golang's summaries age observations out:
// `ageBuckets` streams each cover the window shifted by maxAge/ageBuckets; every observation goes
// into all of them, queries read the oldest ("head") one, and each rotation resets the head and
// moves it on. So a quantile reflects observations from the last (maxAge − maxAge/ageBuckets,
// maxAge], and memory is ageBuckets × a small CKMS stream.
//
// Observations are buffered and merged into the streams in sorted batches, which keeps observe()
// allocation-free and cheap.

import type { Clock } from './clock.ts';
import { QuantileStream, type QuantileTarget } from './quantile-stream.ts';

const BUFFER_SIZE = 500;

export class WindowedQuantiles {
  readonly #streams: QuantileStream[];
  readonly #now: Clock;
  readonly #streamDurationMs: number;
  readonly #maxAgeMs: number;
  #head = 0;
  #headExpiresAt: number;
  readonly #buffer = new Float64Array(BUFFER_SIZE);
  #buffered = 0;

  constructor(targets: readonly QuantileTarget[], maxAgeMs: number, ageBuckets: number, now: Clock) {
    this.#streams = Array.from({ length: ageBuckets }, () => new QuantileStream(targets));
    this.#now = now;
    this.#maxAgeMs = maxAgeMs;
    this.#streamDurationMs = maxAgeMs / ageBuckets;
    this.#headExpiresAt = now() + this.#streamDurationMs;
  }

  observe(value: number): void {
    if (Number.isNaN(value)) return; // NaN has no rank; sum and count still see it
    if (this.#now() >= this.#headExpiresAt) this.#advance();
    this.#buffer[this.#buffered++] = value;
    if (this.#buffered === BUFFER_SIZE) this.#flush();
  }

  /** The `q` quantile of the window; NaN when it holds no observations. */
  query(q: number): number {
    if (this.#now() >= this.#headExpiresAt) this.#advance();
    this.#flush();
    return this.#streams[this.#head].query(q);
  }

  /** Buffered values belong to the window they were observed in: merge them, then rotate. */
  #advance(): void {
    this.#flush();
    const now = this.#now();
    if (now - this.#headExpiresAt >= this.#maxAgeMs) {
      // Idle for a whole window: everything has aged out.
      for (const s of this.#streams) s.reset();
      this.#headExpiresAt = now + this.#streamDurationMs;
      return;
    }
    while (now >= this.#headExpiresAt) {
      this.#streams[this.#head].reset();
      this.#head = (this.#head + 1) % this.#streams.length;
      this.#headExpiresAt += this.#streamDurationMs;
    }
  }

  #flush(): void {
    const n = this.#buffered;
    if (n === 0) return;
    const sorted = this.#buffer.subarray(0, n).sort();
    for (const s of this.#streams) s.insertSorted(sorted, n);
    this.#buffered = 0;
  }
}
