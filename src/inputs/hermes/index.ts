// The Hermes surface: PSauerborn/hermes' UDP JSON protocol and definitions file.

export {
  type DefinitionsOptions,
  type HermesDefinitions,
  HermesDefinitionsError,
  type HermesHistogramDefinition,
  type HermesKind,
  type HermesMetricDefinition,
  type HermesSummaryDefinition,
  loadHermesDefinitions,
  parseHermesDefinitions,
} from './definitions.ts';
export { HERMES_DROP_REASONS, type HermesDropReason } from './drop-reasons.ts';
export {
  DEFAULT_HERMES_PORT,
  HermesInput,
  type HermesInputOptions,
  type HermesLogger,
  MAX_UDP_PAYLOAD,
} from './input.ts';
export { declareHermesMetrics, type HermesMetric, type HermesMetricTable } from './metric-table.ts';
export { applyHermesPacket } from './packet.ts';
