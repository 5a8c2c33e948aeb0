// Wiring and lifecycle: builds the registries, inputs and HTTP listeners from the config, starts
// them in order, logs every bound address, and stops them in reverse order.

import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApp } from './api/app.ts';
import { exportRoutes } from './api/export.ts';
import { expositionRoutes } from './api/exposition.ts';
import { healthRoutes } from './api/health.ts';
import { prometheusQueryApi } from './api/prometheus/query-api.ts';
import { tsdbAdminRoutes } from './api/prometheus/tsdb-admin.ts';
import { version } from './cli/help.ts';
import { formatAddress, type ListenAddress, parseListenAddress } from './config/address.ts';
import { prometheusFlags, storageRetention } from './config/prometheus-flags.ts';
import type { Config } from './config/schema.ts';
import { loadHermesDefinitions } from './inputs/hermes/definitions.ts';
import { HermesInput } from './inputs/hermes/input.ts';
import { importRoutes } from './inputs/import/routes.ts';
import { influxRoutes } from './inputs/influx/routes.ts';
import { pushgatewayRoutes } from './inputs/pushgateway/routes.ts';
import { PushGroupStore } from './inputs/pushgateway/store.ts';
import { remoteWriteRoutes } from './inputs/remote-write/receiver.ts';
import { ScrapeManager } from './inputs/scrape/manager.ts';
import { targetsRoutes } from './inputs/scrape/routes.ts';
import { StatsdInput, statsdInputOptionsFromConfig } from './inputs/statsd/input.ts';
import type { Logger } from './log.ts';
import { FUNCTIONS } from './promql/functions/signatures.ts';
import { parseExpr } from './promql/parser/index.ts';
import { formatExpr } from './promql/printer.ts';
import { createQueryEngine } from './query/create-engine.ts';
import type { QueryEngine } from './query/query-engine.ts';
import { ProcessCollector } from './registry/process-collector.ts';
import { Recorder } from './registry/recorder.ts';
import { Registry } from './registry/registry.ts';
import { createInputMetrics, RegistryCollector } from './registry/self-metrics.ts';
import { SeriesBudget } from './registry/series-budget.ts';
import { StorageCollector } from './registry/storage-collector.ts';
import { DEFAULT_RETIRED_BLOCK_GRACE_MS, TimeSeriesDb } from './tsdb/db/db.ts';
import { offloadChunkRecoding, offloadMaintenance } from './tsdb/db/offload.ts';
import { WorkerPool } from './workers/pool.ts';

/** Nice values of the store's background threads (Linux; see WorkerPoolOptions.nice). */
const RECODE_NICE = 19;
const MAINTENANCE_NICE = 10;

export interface Telemux {
  /** Listener name → bound `host:port`. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Live state computed by the gateway. */
  readonly registry: Registry;
  /** The Hermes families. */
  readonly hermesRegistry: Registry;
  /** telemux's own `telemux_*` metrics. */
  readonly selfRegistry: Registry;
  /** The embedded store. */
  readonly db: TimeSeriesDb;
  /** What every query surface reads through: the local engine, or the configured upstream. */
  readonly queryEngine: QueryEngine;
  close(): Promise<void>;
}

interface Running {
  readonly name: string;
  stop(): Promise<void>;
}

export async function startTelemux(config: Config, logger: Logger): Promise<Telemux> {
  const startTimeMs = Date.now();
  // One overall series budget, drawn from by every surface's registry.
  const limits = {
    maxSeries: config.limits.max_series,
    maxSeriesPerFamily: config.limits.max_series_per_family,
    sharedBudget: new SeriesBudget(config.limits.max_series),
  };
  // Each surface's live families sit in a registry of their own, so a drop-in listener can serve
  // exactly the original tool's metrics; the main /metrics serves them all.
  const registry = new Registry(limits);
  const hermesRegistry = new Registry(limits);
  const statsdRegistry = new Registry(limits);
  const selfRegistry = new Registry({});
  const inputMetrics = createInputMetrics(selfRegistry);
  const expositions = selfRegistry.counter({
    name: 'telemux_exposition_responses_total',
    help: 'Responses of /metrics, by the protocol negotiated with the client.',
    labelNames: ['listener', 'protocol'],
  });
  const queryDurations = selfRegistry.histogram({
    name: 'telemux_query_duration_seconds',
    help: 'Time to answer a request of the Prometheus query API, by endpoint and status code.',
    labelNames: ['endpoint', 'code'],
  });
  // Pushgateway groups are live state like the registries: on /metrics and recorded into the store.
  const pushGroups = new PushGroupStore({ defaultTtlMs: config.pushgateway.default_ttl });
  const storageLogger = logger.child({ component: 'storage' });
  const db = TimeSeriesDb.open({
    path: path.resolve(config.storage.path),
    blockRangeMs: config.storage.block_range,
    retentionMs: config.storage.retention_time,
    retentionBytes: config.storage.retention_size,
    outOfOrderWindowMs: config.storage.out_of_order_window,
    maxSeries: config.storage.max_series,
    walFsync: config.storage.wal_fsync,
    walFsyncIntervalMs: config.storage.wal_fsync_interval,
    rollups: config.storage.rollups.map((r) => ({ resolutionMs: r.resolution, retentionMs: r.retention })),
    // A query may run up to query.timeout: a block it selected stays readable well beyond that.
    retiredBlockGraceMs: Math.max(DEFAULT_RETIRED_BLOCK_GRACE_MS, 5 * config.query.timeout),
    logger: storageLogger,
  });
  const collectors = [
    registry,
    hermesRegistry,
    statsdRegistry,
    pushGroups,
    selfRegistry,
    new RegistryCollector({ main: registry, hermes: hermesRegistry, statsd: statsdRegistry }),
    new StorageCollector(db),
    new ProcessCollector(version()),
  ];

  const running: Running[] = [{ name: 'storage', stop: () => db.close() }];
  const query = createQueryEngine(
    config.query,
    { querier: (minT, maxT) => db.querier(minT, maxT), metadata: () => db.head.metadata },
    { userAgent: `telemux/${version()}` },
  );
  running.push({ name: 'query', stop: async () => query.close() });
  // Workers that decode remote_write and Influx bodies (started on the first such request).
  const decodePool =
    config.ingest.decode_workers > 0
      ? new WorkerPool({ size: config.ingest.decode_workers, logger: logger.child({ component: 'decode' }) })
      : undefined;
  if (decodePool !== undefined) {
    running.push({ name: 'decode workers', stop: () => decodePool.close() });
    // Choosing sealed chunks' encodings only saves the head memory (blocks choose again), so it
    // runs in a thread of its own at the lowest priority: on a busy machine it takes what the
    // threads answering requests leave (its backlog past a bound stays XOR, see ChunkRecoder).
    const recodePool = new WorkerPool({
      size: 1,
      nice: RECODE_NICE,
      logger: logger.child({ component: 'recode' }),
    });
    running.push({ name: 'recode worker', stop: () => recodePool.close() });
    offloadChunkRecoding(recodePool, db.head);
    // Maintenance's file work goes to a thread of its own (started on its first job), niced below
    // the threads answering requests but above recoding: its jobs (blocks, compaction, checkpoints)
    // must keep up over time, yet none needs to finish within a request's time.
    const maintenancePool = new WorkerPool({
      size: 1,
      nice: MAINTENANCE_NICE,
      logger: logger.child({ component: 'maintenance' }),
    });
    running.push({ name: 'maintenance worker', stop: () => maintenancePool.close() });
    offloadMaintenance(maintenancePool, db);
  }
  logger.info({ source: query.source }, 'query engine');
  const scrapes = new ScrapeManager({
    configs: config.scrape_configs,
    storage: db,
    logger: logger.child({ component: 'scrape' }),
    userAgent: `telemux/${version()}`,
  });
  const recorder = new Recorder({
    collectors,
    storage: db,
    intervalMs: config.storage.record_interval,
    onError: (err) => storageLogger.warn({ err }, 'recording the registry failed'),
  });
  const addresses: Record<string, string> = {};
  let ready = false;
  const bound = (name: string, host: string, port: number) => {
    addresses[name] = formatAddress(host, port);
    logger.info({ listener: name, address: addresses[name] }, 'listening');
  };

  try {
    if (config.hermes.listen !== '') {
      const hermesLogger = logger.child({ component: 'hermes' });
      const definitions =
        config.hermes.definitions === ''
          ? undefined
          : loadHermesDefinitions(config.hermes.definitions, { logger: hermesLogger });
      if (!definitions)
        logger.warn('hermes: no definitions file (hermes.definitions); every packet will be dropped');
      const input = new HermesInput({
        ...(parseListenAddress(config.hermes.listen) as ListenAddress),
        definitions: definitions ?? {
          service_name: '',
          gauges: [],
          counters: [],
          histograms: [],
          summaries: [],
        },
        registry: hermesRegistry,
        inputMetrics,
        logger: hermesLogger,
        maxDatagramBytes: config.hermes.max_datagram_bytes,
        receiveThread: config.hermes.receive_thread,
      });
      const addr = await input.start();
      running.push({ name: 'hermes', stop: () => input.stop() });
      bound('hermes', addr.address, addr.port);

      if (config.hermes.metrics_listen !== '') {
        const app = createApp({ logger: logger.child({ component: 'hermes-http' }), bodyLimitBytes: 1024 });
        await app.register(expositionRoutes, {
          collectors: () => [hermesRegistry],
          onRender: (protocol) => expositions.labels('hermes_metrics', protocol).inc(),
        });
        await listen(app, config.hermes.metrics_listen, 'hermes_metrics', running, bound);
      }
    }

    if (config.statsd.listen_udp !== '' || config.statsd.listen_tcp !== '') {
      const statsd = new StatsdInput({
        registry: statsdRegistry,
        inputMetrics,
        logger: logger.child({ component: 'statsd' }),
        ...statsdInputOptionsFromConfig(config.statsd),
      });
      const addrs = await statsd.start();
      running.push({ name: 'statsd', stop: () => statsd.stop() });
      if (addrs.udp !== undefined) bound('statsd_udp', addrs.udp.address, addrs.udp.port);
      if (addrs.tcp !== undefined) bound('statsd_tcp', addrs.tcp.address, addrs.tcp.port);
    }

    if (config.http.listen !== '') {
      const app = createApp({
        logger: logger.child({ component: 'http' }),
        bodyLimitBytes: config.http.body_limit_bytes,
      });
      await app.register(healthRoutes, { isReady: () => ready });
      await app.register(remoteWriteRoutes, {
        storage: db,
        inputMetrics,
        maxDecompressedBytes: 4 * config.http.body_limit_bytes,
        decodePool,
      });
      await app.register(importRoutes, {
        storage: db,
        inputMetrics,
        maxBytes: 4 * config.http.body_limit_bytes,
      });
      if (config.influx.enabled) {
        await app.register(influxRoutes, {
          storage: db,
          inputMetrics,
          auth: config.influx,
          maxLineBytes: config.influx.max_line_bytes,
          maxDecompressedBytes: 4 * config.http.body_limit_bytes,
          decodePool,
        });
      }
      if (config.pushgateway.enabled) {
        await app.register(pushgatewayRoutes, {
          store: pushGroups,
          persistenceFile:
            config.pushgateway.persistence_file === '' ? undefined : config.pushgateway.persistence_file,
          persistenceIntervalMs: config.pushgateway.persistence_interval,
          maxDecompressedBytes: 4 * config.http.body_limit_bytes,
          version: version(),
        });
      }
      await app.register(exportRoutes, { db });
      await app.register(targetsRoutes, { manager: scrapes });
      await app.register(prometheusQueryApi, {
        engine: query.engine,
        status: {
          version: version(),
          startTimeMs,
          storageRetention: storageRetention(config),
          flags: prometheusFlags(config),
        },
        observe: (endpoint, code, seconds) => queryDurations.labels(endpoint, String(code)).observe(seconds),
        syntax: { parse: parseExpr, format: formatExpr, signature: (name) => FUNCTIONS.get(name) },
      });
      await app.register(tsdbAdminRoutes, { db });
      await app.register(expositionRoutes, {
        collectors: () => collectors,
        onRender: (protocol) => expositions.labels('http', protocol).inc(),
      });
      await listen(app, config.http.listen, 'http', running, bound);
    }
  } catch (err) {
    await stopAll(running, logger);
    throw err;
  }

  recorder.start();
  running.push({ name: 'recorder', stop: () => recorder.stop() });
  scrapes.start();
  running.push({ name: 'scrape', stop: () => scrapes.stop() });
  // Cutting blocks, compaction, retention and rollups run in the background, never concurrently,
  // once the server is up (not while a failed start is being undone).
  const maintenance = setInterval(() => {
    if (db.maintaining) return;
    db.maintain().catch((err) => storageLogger.error({ err }, 'storage maintenance failed; will retry'));
  }, config.storage.maintenance_interval);
  running.push({ name: 'maintenance', stop: async () => clearInterval(maintenance) });
  ready = true;
  logger.info({ version: version(), addresses }, 'telemux ready');
  return {
    addresses,
    registry,
    hermesRegistry,
    selfRegistry,
    db,
    queryEngine: query.engine,
    async close() {
      ready = false;
      await stopAll(running, logger);
    },
  };
}

async function listen(
  app: FastifyInstance,
  address: string,
  name: string,
  running: Running[],
  bound: (name: string, host: string, port: number) => void,
): Promise<void> {
  const { host, port } = parseListenAddress(address) as ListenAddress;
  await app.listen({ host, port, listenTextResolver: (url) => `${name} listener bound to ${url}` });
  running.push({ name, stop: () => app.close() });
  const info = app.server.address() as AddressInfo;
  bound(name, info.address, info.port);
}

async function stopAll(running: Running[], logger: Logger): Promise<void> {
  for (const r of running.reverse()) {
    try {
      await r.stop();
    } catch (err) {
      logger.warn({ err, component: r.name }, 'error while stopping');
    }
  }
  running.length = 0;
}
