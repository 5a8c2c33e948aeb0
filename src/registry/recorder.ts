// Records the live registry into the store the way Prometheus scrapes a target: every
// `record_interval` one sample per exposed series at the same timestamp, and a staleness marker for
// every series that was recorded last time and is gone now, so queries stop showing it at once.

import type { Collector } from '../format/exposition/family.ts';
import { flattenFamily, sampleLabels } from '../format/exposition/flatten.ts';
import type { Labels } from '../model/labels.ts';
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
  /** Series written by the last snapshot. */
  #previous = new Set<SeriesHandle>();
  /**
   * Handles by the metric's Labels object (stable per registry child) and sample name: a snapshot
   * of a known series builds no label set. Weak, so removed children take their entries with them.
   */
  #handles = new WeakMap<Labels, Map<string, SeriesHandle>>();
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
    const current = new Set<SeriesHandle>();
    let samples = 0;
    let rejected = 0;
    for (const collector of this.#options.collectors) {
      for (const family of collector.collect()) {
        app.setMetadata(family.name, { type: family.type, help: family.help, unit: family.unit });
        flattenFamily(family, (name, metric, extraName, extraValue, value) => {
          let byName = this.#handles.get(metric.labels);
          if (byName === undefined) {
            byName = new Map();
            this.#handles.set(metric.labels, byName);
          }
          const key = extraName === undefined ? name : `${name}\u0000${extraValue}`;
          let handle = byName.get(key);
          if (handle === undefined) {
            handle = app.series(sampleLabels(name, metric, extraName, extraValue));
            if (handle === undefined) {
              rejected++;
              return;
            }
            byName.set(key, handle);
          }
          if (current.has(handle)) return; // the same series exposed twice: keep the first, as a scrape would
          current.add(handle);
          // The registry's own timestamps are ignored: a snapshot is taken now, like a scrape.
          if (isRejected(app.append(handle, t, value))) rejected++;
          else samples++;
        });
      }
    }
    let stale = 0;
    for (const handle of this.#previous) {
      if (current.has(handle)) continue;
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
