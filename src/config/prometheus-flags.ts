// The settings Prometheus' `/api/v1/status/flags` and `/status/runtimeinfo` report, taken from
// telemux's config under the names Prometheus gives them, for tools that read them.

import { formatDuration } from '../model/duration.ts';
import type { Config } from './schema.ts';

export function prometheusFlags(config: Config): Record<string, string> {
  return {
    'web.listen-address': config.http.listen,
    'storage.tsdb.path': config.storage.path,
    'storage.tsdb.retention.time': formatDuration(config.storage.retention_time),
    'storage.tsdb.retention.size':
      config.storage.retention_size > 0 ? `${config.storage.retention_size}B` : '0B',
    'storage.tsdb.min-block-duration': formatDuration(config.storage.block_range),
    'query.lookback-delta': formatDuration(config.query.lookback_delta),
    'query.max-samples': String(config.query.max_samples),
    'query.timeout': formatDuration(config.query.timeout),
    'query.max-concurrency': String(config.query.max_concurrency),
  };
}

/** Prometheus' runtimeinfo wording: `15d`, or `15d or 10GiB` when a size limit is set too. */
export function storageRetention(config: Config): string {
  const time = formatDuration(config.storage.retention_time);
  const bytes = config.storage.retention_size;
  if (bytes <= 0) return time;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1 && v % 1024 === 0) {
    v /= 1024;
    u++;
  }
  return `${time} or ${v}${units[u]}`;
}
