// Prometheus-style scraping: the `scrape_configs` fragment, the manager that runs one loop per
// target, and the /api/v1/targets plugin.

export {
  compileRelabelRegex,
  DEFAULT_SCRAPE_INTERVAL_MS,
  DEFAULT_SCRAPE_TIMEOUT_MS,
  parseScrapeConfig,
  type RelabelConfig,
  type ScrapeConfig,
  type ScrapeConfigInput,
  scrapeConfigSchema,
  scrapeConfigsSchema,
} from './config.ts';
export { SCRAPE_ACCEPT_HEADER, ScrapeError } from './fetch.ts';
export type { ScrapeLoopLogger, ScrapeResult, TargetHealth } from './loop.ts';
export { ScrapeManager, type ScrapeManagerOptions, type TargetStatus } from './manager.ts';
export { activeTarget, type TargetsRoutesOptions, targetsRoutes } from './routes.ts';
export { attachTargetLabels, type TargetSpec, targetsOf } from './target.ts';
