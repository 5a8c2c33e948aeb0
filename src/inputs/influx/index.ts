export {
  DEFAULT_INFLUX_MAX_LINE_BYTES,
  type InfluxConfig,
  influxConfigSchema,
  influxConfigShape,
} from './config.ts';
export { influxLabelName, influxMetricName, SeriesLabeler } from './mapping.ts';
export {
  INFLUX_COMPAT_VERSION,
  INFLUX_DROP_REASONS,
  type InfluxAuth,
  type InfluxOptions,
  influxRoutes,
} from './routes.ts';
