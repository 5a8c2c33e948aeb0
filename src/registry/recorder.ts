// Records the live registry into the store the way Prometheus scrapes a target: every
// `record_interval` one sample per exposed series at the same timestamp, and a staleness marker for
// every series that was recorded last time and is gone now, so queries stop showing it at once.

import type { Collector } from '../format/exposition/family.ts';
import { flattenFamily } from '../format/exposition/flatten.ts';
import { STALE_NAN } from '../model/staleness.ts';
import { isRejected } from '../tsdb/head/append-status.ts';
import type { Appendable, SeriesHandle } from '../tsdb/storage.ts';

export const DEFAULT_RECORD_INTERVAL_MS = 15_000;

export interface RecorderOptions {
  readonly collectors: readonly Collector[];
  readonly storage: Appendable;
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** Told about a snapshot that could not be stored (the next one tries again). */
  readonly onError?: (err: unknown) => void;
}

export interface RecordResult {
  readonly samples: number;
  readonly stale: number;
  readonly rejected: number;
}

export class Recorder {
  readonly intervalMs: number;
  readonly #options: RecorderOptions;
  readonly #now: () => number;
  /** Series written by the last snapshot, by label-set key. */
  #previous = new Map<string, SeriesHandle>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.intervalMs = options.intervalMs ?? DEFAULT_RECORD_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new RangeError(`record interval must be > 0, got ${this.intervalMs}`);
    this.#now = options.now ?? Date.now;
  }

  /** Appends one snapshot at time `t` (ms) and commits it. */
  async record(t: number = this.#now()): Promise<RecordResult> {
    const app = this.#options.storage.appender();
    const current = new Map<string, SeriesHandle>();
    let samples = 0;
    let rejected = 0;
    for (const collector of this.#options.collectors) {
      for (const family of collector.collect()) {
        app.setMetadata(family.name, { type: family.type, help: family.help, unit: family.unit });
        flattenFamily(family, (labels, value) => {
          const key = labels.key;
          if (current.has(key)) return; // the same series exposed twice: keep the first, as a scrape would
          const handle = this.#previous.get(key) ?? app.series(labels);
          if (handle === undefined) {
            rejected++;
            return;
          }
          current.set(key, handle);
          // The registry's own timestamps are ignored: a snapshot is taken now, like a scrape.
          if (isRejected(app.append(handle, t, value))) rejected++;
          else samples++;
        });
      }
    }
    let stale = 0;
    for (const [key, handle] of this.#previous) {
      if (current.has(key)) continue;
      app.append(handle, t, STALE_NAN);
      stale++;
    }
    this.#previous = current;
    await app.commit();
    return { samples, stale, rejected };
  }

  /** Records every interval until {@link stop}. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      // A slow snapshot is not overlapped by the next one.
      if (this.#running !== undefined) return;
      this.#running = this.record()
        .catch((err) => this.#options.onError?.(err))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
