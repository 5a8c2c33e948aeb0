// The configuration schema: every key telemux understands, its default, and its documentation.
// Keys are snake_case like Prometheus' own files. Unknown keys are errors (strict objects), so a
// typo never silently falls back to a default.

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { influxConfigSchema } from '../inputs/influx/config.ts';
import { pushgatewayConfigSchema } from '../inputs/pushgateway/config.ts';
import { scrapeConfigsSchema } from '../inputs/scrape/config.ts';
import { statsdConfigShape } from '../inputs/statsd/config.ts';
import { queryConfigSchema } from '../query/config.ts';
import { parseListenAddress } from './address.ts';
import { byteSize, duration } from './values.ts';

/** `host:port`, or '' to turn the listener off. */
const listen = (def: string) =>
  z
    .string()
    .default(def)
    .superRefine((v, ctx) => {
      if (v === '') return;
      const parsed = parseListenAddress(v);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    });

// `prefault({})` fills a missing section from its keys' defaults.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

export const configSchema = z.strictObject({
  http: section({
    /** Main HTTP listener: /metrics, health, and every HTTP surface. */
    listen: listen('127.0.0.1:9091'),
    /** Largest request body accepted (bytes); larger bodies get 413. */
    body_limit_bytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
  }),
  log: section({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** `auto`: pretty on a TTY, JSON otherwise. */
    format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  }),
  limits: section({
    /** Most live series (across all families) the registry holds; new ones beyond are dropped. */
    max_series: z.number().int().positive().default(1_000_000),
    /** Most live series in one family. */
    max_series_per_family: z.number().int().positive().default(100_000),
  }),
  hermes: section({
    /** UDP JSON listener of the Hermes push gateway ('' turns it off). */
    listen: listen('127.0.0.1:7789'),
    /** Hermes definitions file (JSON: service_name, gauges, counters, histograms, summaries). */
    definitions: z.string().default(''),
    /** Datagrams longer than this are dropped as `oversized` (Hermes itself reads 2048 bytes). */
    max_datagram_bytes: z.number().int().min(64).max(65507).default(65507),
    /** Receive on a thread of its own: it keeps reading while the main thread is busy (block cuts). */
    receive_thread: z.boolean().default(true),
    /** Drop-in listener serving only Hermes' metrics on `/metrics` (the original uses :8080). */
    metrics_listen: listen(''),
  }),
  /** Decoding of remote_write and Influx request bodies. */
  ingest: section({
    /** Worker threads that decode large bodies (and recode sealed chunks) while the main thread appends; 0 = none. */
    decode_workers: z.number().int().min(0).max(64).default(availableParallelism()),
  }),
  /** InfluxDB line protocol: `POST /write` (v1) and `/api/v2/write` on the main listener. */
  influx: influxConfigSchema,
  /** The Pushgateway-compatible push API (`/metrics/job/…`) on the main listener. */
  pushgateway: pushgatewayConfigSchema,
  /** StatsD (statsd_exporter's line format) over UDP and TCP. */
  statsd: section(statsdConfigShape),
  /** Targets telemux scrapes, as Prometheus' `scrape_configs` (see docs/scrape.md). */
  scrape_configs: scrapeConfigsSchema,
  /** PromQL: the local engine's limits, or an upstream Prometheus-compatible server (see docs/query-api.md). */
  query: queryConfigSchema,
  storage: section({
    /** Directory of the embedded store (WAL, blocks, rollups). */
    path: z.string().min(1).default('./data'),
    /** Raw samples older than this are deleted, whole blocks at a time (Prometheus' default: 15d). */
    retention_time: duration('15d', 60_000),
    /** Oldest blocks are deleted while blocks + WAL take more than this; 0 = no size limit. */
    retention_size: byteSize,
    /** Length of a block and of the head's cut; compaction merges blocks into 3× longer ones. */
    block_range: duration('2h', 1000),
    /** Samples up to this much older than the newest are still accepted (0 = in order only). */
    out_of_order_window: duration('0s'),
    /** Most series the store holds in its head; new series beyond are refused and counted. */
    max_series: z.number().int().positive().default(5_000_000),
    /** When the WAL is fsynced: `always` before each write is acknowledged, every `wal_fsync_interval`, or `never` (only when a segment is full and at shutdown). */
    wal_fsync: z.enum(['always', 'interval', 'never']).default('interval'),
    wal_fsync_interval: duration('1s', 1),
    /** How often blocks are cut from the head, compacted, expired and rolled up (when there is work). */
    maintenance_interval: duration('15s', 100),
    /** How often the live registry is recorded into the store (as a scrape would). */
    record_interval: duration('15s', 1),
    /** Downsampled tiers: each keeps min/max/sum/count/last per `resolution` for its own `retention`. */
    rollups: z
      .array(
        z.strictObject({
          resolution: duration('5m', 1000),
          retention: duration('90d', 60_000),
        }),
      )
      .prefault([
        { resolution: '5m', retention: '90d' },
        { resolution: '1h', retention: '2y' },
      ]),
  }),
});

export type Config = z.output<typeof configSchema>;

/** The defaults, as a fully populated config. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
