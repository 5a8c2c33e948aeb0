// The StatsD input: statsd_exporter's line protocol over UDP and TCP, and its mapping file.

export { type StatsdConfig, statsdConfigSchema, statsdConfigShape } from './config.ts';
export { STATSD_DROP_REASONS, type StatsdDropReason } from './drop-reasons.ts';
export {
  DEFAULT_STATSD_LISTEN,
  type StatsdAddresses,
  StatsdInput,
  type StatsdInputOptions,
  type StatsdLogger,
  statsdInputOptionsFromConfig,
} from './input.ts';
export {
  DEFAULT_HELP,
  DEFAULT_MAPPING_DEFAULTS,
  DEFAULT_QUANTILES,
  EMPTY_MAPPING,
  expandTemplate,
  loadMappingFile,
  type MappingConfig,
  type MappingDefaults,
  type MappingResult,
  type MappingRule,
  type MatchType,
  type MetricKind,
  type ObserverSettings,
  type ObserverType,
  parseMappingConfig,
  StatsdMapper,
  StatsdMappingError,
} from './mapping.ts';
