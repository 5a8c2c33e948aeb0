// Process metrics in the names client_golang and prom-client use (`process_*`, `nodejs_*`), plus
// `telemux_build_info`, read when collected. Linux-only values (/proc) are left out elsewhere.

import { readdirSync } from 'node:fs';
import type { Collector, Metric, MetricFamily } from '../format/exposition/family.ts';
import { Labels } from '../model/labels.ts';
import type { MetricType } from '../model/metadata.ts';

export class ProcessCollector implements Collector {
  readonly #buildLabels: Labels;
  readonly #startTimeSeconds: number;

  constructor(version: string) {
    this.#buildLabels = Labels.from({ version, node_version: process.version });
    this.#startTimeSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);
  }

  collect(): MetricFamily[] {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const out: MetricFamily[] = [
      family(
        'nodejs_external_memory_bytes',
        'gauge',
        'Memory of C++ objects bound to JavaScript objects.',
        mem.external,
      ),
      family('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size.', mem.heapTotal),
      family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use.', mem.heapUsed),
      family(
        'process_cpu_seconds_total',
        'counter',
        'Total user and system CPU time spent in seconds.',
        (cpu.user + cpu.system) / 1e6,
      ),
      family(
        'process_cpu_system_seconds_total',
        'counter',
        'System CPU time spent in seconds.',
        cpu.system / 1e6,
      ),
      family('process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.', cpu.user / 1e6),
      family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss),
      family(
        'process_start_time_seconds',
        'gauge',
        'Start time of the process since unix epoch in seconds.',
        this.#startTimeSeconds,
      ),
      {
        name: 'telemux_build_info',
        type: 'gauge',
        help: 'A metric with a constant 1 value labelled by the telemux and Node.js versions.',
        unit: '',
        metrics: [{ labels: this.#buildLabels, value: 1 }],
      },
    ];
    const fds = openFds();
    if (fds !== undefined)
      out.push(family('process_open_fds', 'gauge', 'Number of open file descriptors.', fds));
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

function family(name: string, type: MetricType, help: string, value: number): MetricFamily {
  const metric: Metric = { labels: Labels.EMPTY, value };
  return { name, type, help, unit: '', metrics: [metric] };
}

function openFds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}
