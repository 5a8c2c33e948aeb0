// telemux_storage_*: the embedded store's health on /metrics — head series and samples, the open
// chunks' memory, blocks, bytes on disk per part — read at collect time.

import type { Collector, MetricFamily } from '../format/exposition/family.ts';
import { Labels } from '../model/labels.ts';
import type { TimeSeriesDb } from '../tsdb/db/db.ts';

const gauge = (name: string, help: string, value: number): MetricFamily => ({
  name,
  type: 'gauge',
  help,
  unit: '',
  metrics: [{ labels: Labels.EMPTY, value }],
});

const PARTS = ['blocks', 'rollups', 'wal'] as const;
const PART_LABELS = PARTS.map((part) => Labels.from({ part }));

export class StorageCollector implements Collector {
  readonly #db: TimeSeriesDb;

  constructor(db: TimeSeriesDb) {
    this.#db = db;
  }

  collect(): MetricFamily[] {
    const size = this.#db.sizeBytes();
    return [
      gauge('telemux_storage_head_series', 'Series in the head (in memory).', this.#db.numSeries),
      {
        name: 'telemux_storage_head_samples_appended_total',
        type: 'counter',
        help: 'Samples appended to the head since start (WAL replay included).',
        unit: '',
        metrics: [{ labels: Labels.EMPTY, value: this.#db.samplesAppended }],
      },
      // WebAssembly memory: not in the process's heap or ArrayBuffer figures, so reported here.
      gauge(
        'telemux_storage_head_open_chunk_bytes',
        "Memory holding the head's open chunks (records and bytes, in use or free; it never shrinks).",
        this.#db.openChunkBytes,
      ),
      gauge('telemux_storage_blocks', 'Raw blocks on disk.', this.#db.blocks.length),
      {
        name: 'telemux_storage_size_bytes',
        type: 'gauge',
        help: 'Bytes on disk, by part of the store.',
        unit: '',
        metrics: PARTS.map((p, i) => ({ labels: PART_LABELS[i], value: size[p] })),
      },
    ];
  }
}
