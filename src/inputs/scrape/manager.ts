// Runs the scrape_configs: one loop per target, each at a stable offset within its interval so a
// pool's targets spread out (as Prometheus does), never overlapping its own previous scrape. Holds
// the targets' state for /api/v1/targets.

import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { version } from '../../cli/help.ts';
import type { Appendable } from '../../tsdb/storage.ts';
import type { ScrapeConfig } from './config.ts';
import { ScrapeLoop, type ScrapeLoopLogger, type ScrapeResult, type TargetHealth } from './loop.ts';
import { scrapeOffsetMs, targetsOf } from './target.ts';

export interface ScrapeManagerOptions {
  /** The parsed `scrape_configs` (see {@link scrapeConfigsSchema}). */
  readonly configs: readonly ScrapeConfig[];
  readonly storage: Appendable;
  readonly logger?: ScrapeLoopLogger;
  /** Clock for sample timestamps (ms). Default Date.now. */
  readonly now?: () => number;
  /** Default `telemux/<version>`. */
  readonly userAgent?: string;
  /** Shifts every target's offset within its interval (Prometheus' per-server jitter seed). Default 0. */
  readonly offsetSeed?: number;
  /** Host name put in place of a loopback host in `globalUrl`. Default os.hostname(). */
  readonly externalHostname?: string;
}

/** A target as /api/v1/targets reports it, plus a few numbers of our own. */
export interface TargetStatus {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly globalUrl: string;
  readonly discoveredLabels: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly health: TargetHealth;
  readonly lastError: string;
  /** ms since the epoch; undefined before the first scrape. */
  readonly lastScrapeMs: number | undefined;
  readonly lastScrapeDurationSeconds: number;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly lastResult: ScrapeResult | undefined;
}

interface Scheduled {
  readonly loop: ScrapeLoop;
  readonly offsetMs: number;
  timer: NodeJS.Timeout | undefined;
}

export class ScrapeManager {
  readonly #opts: ScrapeManagerOptions;
  readonly #loops: Scheduled[];
  readonly #agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };
  readonly #externalHost: string;
  #started = false;
  #stopped = false;

  constructor(opts: ScrapeManagerOptions) {
    this.#opts = opts;
    this.#externalHost = opts.externalHostname ?? os.hostname();
    const now = opts.now ?? Date.now;
    const userAgent = opts.userAgent ?? `telemux/${version()}`;
    const pools = new Set<string>();
    this.#loops = [];
    for (const config of opts.configs) {
      if (pools.has(config.job_name)) throw new Error(`duplicate scrape job_name "${config.job_name}"`);
      pools.add(config.job_name);
      for (const spec of targetsOf(config)) {
        const loop = new ScrapeLoop({
          spec,
          storage: opts.storage,
          now,
          userAgent,
          agents: this.#agents,
          logger: opts.logger,
        });
        const offsetMs = scrapeOffsetMs(spec, config.scrape_interval, opts.offsetSeed ?? 0);
        this.#loops.push({ loop, offsetMs, timer: undefined });
      }
    }
  }

  /** Number of targets across all pools. */
  get size(): number {
    return this.#loops.length;
  }

  /** Starts every target's loop: first scrape at the target's next slot in its interval. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    for (const s of this.#loops) this.#schedule(s);
  }

  #schedule(s: Scheduled): void {
    if (this.#stopped) return;
    const interval = s.loop.spec.config.scrape_interval;
    const now = Date.now();
    // The next instant ≡ offset (mod interval) strictly after now: a scrape that overran its slot
    // skips to the following one instead of firing twice.
    let next = now - (now % interval) + s.offsetMs;
    while (next <= now) next += interval;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.loop
        .scrape()
        .catch((err) => this.#opts.logger?.warn({ err, target: s.loop.spec.url }, 'scrape loop error'))
        .finally(() => this.#schedule(s));
    }, next - now);
  }

  /**
   * Scrapes every target (of `pool`, when given) once now, in parallel, outside the schedule, and
   * resolves with the results in target order. A target's scrapes never overlap.
   */
  scrapeAll(pool?: string): Promise<ScrapeResult[]> {
    const loops = this.#loops.filter((s) => pool === undefined || s.loop.spec.pool === pool);
    return Promise.all(loops.map((s) => s.loop.scrape()));
  }

  /**
   * Stops the loops and waits for scrapes in flight. Like Prometheus at shutdown, writes no
   * staleness markers: a restart continues the series without a gap.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const s of this.#loops) {
      if (s.timer !== undefined) clearTimeout(s.timer);
      s.timer = undefined;
    }
    await Promise.all(this.#loops.map((s) => s.loop.idle()));
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** The targets' state, by pool name then config order. */
  targets(): TargetStatus[] {
    const out = this.#loops.map(({ loop }) => {
      const spec = loop.spec;
      return {
        scrapePool: spec.pool,
        scrapeUrl: spec.url,
        globalUrl: this.#globalUrl(spec.url),
        discoveredLabels: spec.discoveredLabels.toRecord(),
        labels: spec.labels.toRecord(),
        health: loop.health,
        lastError: loop.lastError,
        lastScrapeMs: loop.lastScrapeMs,
        lastScrapeDurationSeconds: loop.lastDurationSeconds,
        scrapeIntervalMs: spec.config.scrape_interval,
        scrapeTimeoutMs: spec.config.scrape_timeout,
        lastResult: loop.lastResult,
      };
    });
    return out.sort((a, b) => (a.scrapePool < b.scrapePool ? -1 : a.scrapePool > b.scrapePool ? 1 : 0));
  }

  /** Every configured pool name (job_name), sorted. */
  pools(): string[] {
    return this.#opts.configs.map((c) => c.job_name).sort();
  }

  /** The scrape URL with a loopback host replaced by this machine's name, as Prometheus shows it. */
  #globalUrl(url: string): string {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host === '::1' || /^127\./.test(host)) {
      u.hostname = this.#externalHost;
    }
    return u.toString();
  }
}
