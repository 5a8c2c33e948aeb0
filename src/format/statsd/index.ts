// The StatsD line protocol (statsd_exporter's dialect): parsing and writing lines.

export { STATSD_PARSE_REASONS, StatsdParseError, type StatsdParseReason } from './errors.ts';
export {
  counterIncrement,
  escapeMetricName,
  formatNumber,
  formatSample,
  MAX_REPETITIONS,
  observationCount,
  observedValue,
  parseLine,
  parsePacket,
  type StatsdParseOptions,
  type StatsdSample,
  type StatsdType,
  type TagStyle,
} from './line.ts';
