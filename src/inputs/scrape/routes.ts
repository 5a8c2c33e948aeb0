// `GET /api/v1/targets`, in Prometheus' shape: `activeTargets` with discovered and final labels,
// pool, URLs, health and the last scrape; `droppedTargets` (always empty: the supported relabelling
// cannot drop targets). `state=active|dropped|any` (default any; anything else lists neither, as
// Prometheus does) and `scrapePool=<job>` filter.

import type { FastifyInstance } from 'fastify';
import { success } from '../../api/prometheus/envelope.ts';
import { param } from '../../api/prometheus/params.ts';
import { formatDuration } from '../../model/duration.ts';
import type { ScrapeManager, TargetStatus } from './manager.ts';

export interface TargetsRoutesOptions {
  readonly manager: ScrapeManager;
}

/** Go's zero time, which Prometheus reports for a target never scraped. */
const NEVER = '0001-01-01T00:00:00Z';

export function activeTarget(t: TargetStatus) {
  return {
    discoveredLabels: t.discoveredLabels,
    labels: t.labels,
    scrapePool: t.scrapePool,
    scrapeUrl: t.scrapeUrl,
    globalUrl: t.globalUrl,
    lastError: t.lastError,
    lastScrape: t.lastScrapeMs === undefined ? NEVER : new Date(t.lastScrapeMs).toISOString(),
    lastScrapeDuration: t.lastScrapeDurationSeconds,
    health: t.health,
    scrapeInterval: formatDuration(t.scrapeIntervalMs),
    scrapeTimeout: formatDuration(t.scrapeTimeoutMs),
  };
}

export async function targetsRoutes(app: FastifyInstance, opts: TargetsRoutesOptions): Promise<void> {
  app.get('/api/v1/targets', (req, reply) => {
    const state = (param(req, 'state') ?? '').toLowerCase();
    const pool = param(req, 'scrapePool') ?? '';
    const showActive = state === '' || state === 'any' || state === 'active';
    const showDropped = state === '' || state === 'any' || state === 'dropped';
    const pools = opts.manager.pools().filter((p) => pool === '' || p === pool);
    const data: Record<string, unknown> = {
      activeTargets: showActive
        ? opts.manager
            .targets()
            .filter((t) => pool === '' || t.scrapePool === pool)
            .map(activeTarget)
        : [],
      droppedTargets: [],
    };
    if (showDropped) data.droppedTargetCounts = Object.fromEntries(pools.map((p) => [p, 0]));
    return success(reply, data);
  });
}
