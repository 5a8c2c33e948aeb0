// One target's scrapes: fetch, parse, append every sample at the scrape time (or the exposed
// timestamp, honor_timestamps), the report series (`up`, `scrape_*`), and staleness markers — for
// series that vanished since the last scrape, and for all of them when the scrape fails. Like
// Prometheus' scrapeLoop, a failed scrape is written as an empty one, so queries stop showing the
// target's series at once rather than after the lookback.

import type { MetricFamily } from '../../format/exposition/family.ts';
import { flattenFamily, sampleLabels } from '../../format/exposition/flatten.ts';
import { isOpenMetricsContentType } from '../../format/exposition/negotiate.ts';
import { parseExposition } from '../../format/exposition/parser.ts';
import type { Labels } from '../../model/labels.ts';
import { STALE_NAN } from '../../model/staleness.ts';
import { AppendStatus, isRejected, rejectionReason } from '../../tsdb/head/append-status.ts';
import type { Appendable, Appender, SeriesHandle } from '../../tsdb/storage.ts';
import { type FetchOptions, fetchMetrics, SCRAPE_ACCEPT_HEADER } from './fetch.ts';
import { attachTargetLabels, reportLabels, type TargetSpec } from './target.ts';

export type TargetHealth = 'up' | 'down' | 'unknown';

/** What one scrape did (also returned by {@link ScrapeLoop.scrape}). */
export interface ScrapeResult {
  /** Scrape start, ms since the epoch: the timestamp of its samples. */
  readonly timestampMs: number;
  readonly up: boolean;
  readonly error: string;
  readonly durationSeconds: number;
  /** Samples in the exposition (`scrape_samples_scraped`). */
  readonly samplesScraped: number;
  /** Samples stored (accepted by the store). */
  readonly samplesStored: number;
  /** Series not exposed by this target's last successful scrape (`scrape_series_added`). */
  readonly seriesAdded: number;
  /** Staleness markers written. */
  readonly staleMarkers: number;
  /** Samples refused: by the store (out of order, limits…) or as duplicates within the scrape. */
  readonly rejected: Readonly<Record<string, number>>;
}

export interface ScrapeLoopLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface ScrapeLoopOptions {
  readonly spec: TargetSpec;
  readonly storage: Appendable;
  readonly now: () => number;
  readonly userAgent: string;
  readonly agents?: FetchOptions['agents'];
  readonly logger?: ScrapeLoopLogger;
}

interface CacheEntry {
  readonly handle: SeriesHandle;
  /** The stored series' label key (identity across scrapes and raw spellings). */
  readonly key: string;
}

const REPORT_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

export class ScrapeLoop {
  readonly spec: TargetSpec;
  readonly #opts: ScrapeLoopOptions;
  readonly #headers: Record<string, string>;
  readonly #reportLabels: readonly Labels[];
  /** Sample identity as exposed (name, labels, le/quantile) → stored series, from the last good scrape. */
  #cache = new Map<string, CacheEntry>();
  /** Series the last scrape wrote at its own timestamp: candidates for staleness markers. */
  #previous = new Map<string, SeriesHandle>();
  #running: Promise<ScrapeResult> | undefined;

  health: TargetHealth = 'unknown';
  lastError = '';
  lastScrapeMs: number | undefined;
  lastDurationSeconds = 0;
  lastResult: ScrapeResult | undefined;

  constructor(opts: ScrapeLoopOptions) {
    this.spec = opts.spec;
    this.#opts = opts;
    const c = opts.spec.config;
    const headers: Record<string, string> = {
      accept: SCRAPE_ACCEPT_HEADER,
      'accept-encoding': 'gzip',
      'user-agent': opts.userAgent,
      'x-prometheus-scrape-timeout-seconds': String(c.scrape_timeout / 1000),
    };
    if (c.basic_auth !== undefined) {
      const token = Buffer.from(`${c.basic_auth.username}:${c.basic_auth.password}`).toString('base64');
      headers.authorization = `Basic ${token}`;
    } else if (c.bearer_token !== undefined) {
      headers.authorization = `Bearer ${c.bearer_token}`;
    }
    this.#headers = headers;
    this.#reportLabels = REPORT_SERIES.map((n) => reportLabels(n, opts.spec.labels));
  }

  /** Scrapes once and stores the result; a call during a running scrape waits for it and scrapes after. */
  async scrape(): Promise<ScrapeResult> {
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
    const run = this.#scrape();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  /** Resolves when no scrape is in progress. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
  }

  async #scrape(): Promise<ScrapeResult> {
    const c = this.spec.config;
    const t = Math.round(this.#opts.now());
    const started = performance.now();
    let families: MetricFamily[] | undefined;
    let error = '';
    try {
      const res = await fetchMetrics(this.spec.url, {
        headers: this.#headers,
        timeoutMs: c.scrape_timeout,
        maxBodyBytes: c.body_size_limit,
        agents: this.#opts.agents,
      });
      families = parseExposition(res.body, { openMetrics: isOpenMetricsContentType(res.contentType) });
    } catch (e) {
      error = (e as Error)?.message ?? String(e);
    }
    const durationSeconds = (performance.now() - started) / 1000;

    const app = this.#opts.storage.appender();
    const rejected: Record<string, number> = {};
    const reject = (reason: string) => {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
    };
    let samplesScraped = 0;
    let samplesStored = 0;
    let seriesAdded = 0;
    const seen = new Set<string>();
    const current = new Map<string, SeriesHandle>();
    const nextCache = new Map<string, CacheEntry>();
    if (families !== undefined) {
      const target = this.spec.labels;
      for (const family of families) {
        app.setMetadata(family.name, { type: family.type, help: family.help, unit: family.unit });
        flattenFamily(family, (name, metric, extraName, extraValue, value, timestampMs) => {
          samplesScraped++;
          const raw =
            extraName === undefined
              ? `${name}\u0000${metric.labels.key}`
              : `${name}\u0000${metric.labels.key}\u0000${extraName}\u0000${extraValue}`;
          let entry = nextCache.get(raw) ?? this.#cache.get(raw);
          if (entry === undefined) {
            const labels = attachTargetLabels(
              sampleLabels(name, metric, extraName, extraValue),
              target,
              c.honor_labels,
            );
            const handle = app.series(labels);
            if (handle === undefined) {
              reject(rejectionReason(AppendStatus.SeriesLimit)!);
              return;
            }
            entry = { handle, key: labels.key };
          }
          if (!this.#cache.has(raw) && !nextCache.has(raw)) seriesAdded++;
          nextCache.set(raw, entry);
          if (seen.has(entry.key)) {
            // Two exposed samples ended up as one series (e.g. honor_labels): keep the first.
            reject('duplicate_sample');
            return;
          }
          seen.add(entry.key);
          const explicit = c.honor_timestamps && timestampMs !== undefined;
          const status = app.append(entry.handle, explicit ? timestampMs : t, value);
          if (isRejected(status)) reject(rejectionReason(status)!);
          else samplesStored++;
          // As in Prometheus, series with their own timestamps are not marked stale.
          if (!explicit) current.set(entry.key, entry.handle);
        });
      }
    }
    let staleMarkers = 0;
    for (const [key, handle] of this.#previous) {
      if (seen.has(key)) continue;
      if (!isRejected(app.append(handle, t, STALE_NAN))) staleMarkers++;
    }
    this.#previous = current;
    // A failed scrape keeps the cache: series that come back afterwards are not "added".
    if (families !== undefined) this.#cache = nextCache;

    const up = families !== undefined;
    this.#appendReport(app, t, [up ? 1 : 0, durationSeconds, samplesScraped, samplesScraped, seriesAdded]);
    try {
      await app.commit();
    } catch (e) {
      this.#opts.logger?.warn({ err: e, target: this.spec.url }, 'scrape: storing the samples failed');
      if (error === '') error = `storing samples: ${(e as Error)?.message ?? String(e)}`;
    }
    const result: ScrapeResult = {
      timestampMs: t,
      up,
      error,
      durationSeconds,
      samplesScraped,
      samplesStored,
      seriesAdded,
      staleMarkers,
      rejected,
    };
    if (Object.keys(rejected).length > 0)
      this.#opts.logger?.warn({ target: this.spec.url, rejected }, 'scrape: some samples were not stored');
    if (!up) this.#opts.logger?.debug({ target: this.spec.url, err: error }, 'scrape failed');
    this.health = up ? 'up' : 'down';
    this.lastError = error;
    this.lastScrapeMs = t;
    this.lastDurationSeconds = durationSeconds;
    this.lastResult = result;
    return result;
  }

  #appendReport(app: Appender, t: number, values: readonly number[]): void {
    for (let i = 0; i < this.#reportLabels.length; i++) {
      const handle = app.series(this.#reportLabels[i]);
      if (handle !== undefined) app.append(handle, t, values[i]);
    }
  }
}
