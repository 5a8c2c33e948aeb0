// The Pushgateway-compatible push API: the group store (a Collector for /metrics), the Fastify
// plugin, persistence and the config fragment.

export { type PushgatewayConfig, pushgatewayConfigSchema } from './config.ts';
export {
  decodeBase64Value,
  encodeBase64Value,
  GroupingKeyError,
  type GroupingLabels,
  groupingKey,
  groupingPath,
  parseGroupingPath,
} from './grouping.ts';
export { loadSnapshot, type PersistenceOptions, PushPersistence, writeSnapshot } from './persistence.ts';
export {
  decodeDelimitedMetricFamilies,
  encodeDelimitedMetricFamilies,
  ProtobufDecodeError,
} from './protobuf.ts';
export { groupingFromUrl, type PushgatewayRouteOptions, pushgatewayRoutes, TTL_HEADER } from './routes.ts';
export {
  PUSH_FAILURE_TIME_METRIC,
  PUSH_TIME_METRIC,
  PushConsistencyError,
  type PushGroup,
  PushGroupStore,
  type PushGroupStoreOptions,
  type PushMethod,
  type PushRequest,
  type StoredFamily,
} from './store.ts';
