// The exposition formats: the MetricFamily data type, writers for Prometheus text and OpenMetrics,
// content negotiation, the parser and the checker.

export { type CheckOptions, type CheckResult, checkExposition, formatProblems } from './check.ts';
export { ExpositionParseError, type Problem } from './errors.ts';
export type { Bucket, Collector, Exemplar, Metric, MetricFamily, Quantile } from './family.ts';
export {
  type ContentCoding,
  DEFAULT_FORMAT,
  type ExpositionFormat,
  type ExpositionProtocol,
  expositionFormat,
  isOpenMetricsContentType,
  negotiateEncoding,
  negotiateFormat,
} from './negotiate.ts';
export {
  type OpenMetricsWriteOptions,
  openMetricsFamilyName,
  writeOpenMetrics,
  writeOpenMetricsBytes,
} from './openmetrics-writer.ts';
export { type ParseOptions, type ParseResult, parseExposition, parseExpositionDetailed } from './parser.ts';
export {
  type RenderedExposition,
  renderExposition,
  renderExpositionAsync,
  writeExposition,
} from './render.ts';
export { type TextWriteOptions, writeText, writeTextBytes } from './text-writer.ts';
