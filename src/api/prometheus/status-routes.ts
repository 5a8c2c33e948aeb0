// `/api/v1/status/buildinfo`, `/runtimeinfo` and `/flags` in Prometheus' shapes. buildinfo reports a
// Prometheus version, because Grafana reads it to decide which API features it may use (label
// lookups with match[], UTF-8 names …); telemux's own version is in `telemuxVersion`.

import * as os from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { success } from './envelope.ts';

/** The Prometheus release whose query API telemux answers like. */
export const PROMETHEUS_COMPATIBLE_VERSION = '3.0.0';

export interface StatusRoutesOptions {
  /** telemux's version. */
  readonly version: string;
  readonly startTimeMs: number;
  /** As Prometheus words it: `15d`, or `15d or 10GiB` with a size limit. */
  readonly storageRetention: string;
  /** Prometheus-named settings (`query.timeout`, `storage.tsdb.path`, …) → their values. */
  readonly flags: Readonly<Record<string, string>>;
  /** WAL corruptions met when the store was opened. */
  readonly corruptionCount?: () => number;
}

export async function statusRoutes(app: FastifyInstance, opts: StatusRoutesOptions): Promise<void> {
  app.get('/api/v1/status/buildinfo', (_req, reply) =>
    success(reply, {
      version: PROMETHEUS_COMPATIBLE_VERSION,
      revision: '',
      branch: '',
      buildUser: '',
      buildDate: '',
      goVersion: process.version,
      telemuxVersion: opts.version,
    }),
  );

  app.get('/api/v1/status/runtimeinfo', (_req, reply) => {
    const started = new Date(opts.startTimeMs).toISOString();
    return success(reply, {
      startTime: started,
      CWD: process.cwd(),
      reloadConfigSuccess: true,
      lastConfigTime: started,
      corruptionCount: opts.corruptionCount?.() ?? 0,
      // Node has no goroutines; the nearest thing is its count of active handles and requests.
      goroutineCount: process.getActiveResourcesInfo().length,
      GOMAXPROCS: os.availableParallelism(),
      GOMEMLIMIT: getHeapStatistics().heap_size_limit,
      GOGC: '',
      GODEBUG: '',
      storageRetention: opts.storageRetention,
    });
  });

  app.get('/api/v1/status/flags', (_req, reply) => success(reply, opts.flags));
}
