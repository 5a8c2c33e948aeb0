// Connects the head to the WAL: commits become series, samples and metadata records; replay turns
// the records back into head state, bypassing the append checks (the data was accepted once).

import type { MetricType } from '../../model/metadata.ts';
import type { Head } from '../head/head.ts';
import type { HeadCommit, HeadLog } from '../head/head-log.ts';
import type { MemSeries } from '../head/mem-series.ts';
import { encodeMetadata, encodeSamples, encodeSeries } from '../wal/record.ts';
import type { ReplayStats, Wal } from '../wal/wal.ts';

export class HeadWal implements HeadLog {
  readonly #wal: Wal;

  constructor(wal: Wal) {
    this.#wal = wal;
  }

  write(c: HeadCommit): Promise<void> {
    const records: Uint8Array[] = [];
    if (c.newSeries.length > 0) records.push(encodeSeries(c.newSeries));
    if (c.metadata.size > 0)
      records.push(encodeMetadata([...c.metadata].map(([metricFamily, m]) => ({ metricFamily, ...m }))));
    if (c.n > 0) records.push(encodeSamples(c.refs, c.ts, c.values, c.n));
    return this.#wal.commit(records);
  }
}

export interface HeadReplayStats extends ReplayStats {
  /** Samples naming a series ref the WAL never defined (skipped). */
  unknownSeriesSamples: number;
}

/**
 * Rebuilds the head from the WAL, logged deletions included. A delete_series is logged as one
 * record of tombstones for many series; they are applied together, where the record stands in the
 * log (before the samples logged after it).
 */
export function replayIntoHead(wal: Wal, head: Head): HeadReplayStats {
  let unknown = 0;
  let last: MemSeries | undefined;
  // Tombstones of the same range in a row, applied at the next record of another kind (or the end).
  let deleting: { minT: number; maxT: number; series: MemSeries[] } | undefined;
  const applyDeletions = () => {
    if (deleting === undefined) return;
    head.deleteRange(deleting.series, deleting.minT, deleting.maxT);
    deleting = undefined;
  };
  const stats = wal.replay({
    series: (ref, labels) => {
      applyDeletions();
      head.restoreSeries(ref, labels);
    },
    sample: (ref, t, v) => {
      if (deleting !== undefined) applyDeletions();
      const s = last !== undefined && last.ref === ref ? last : head.getByRef(ref);
      if (s === undefined) {
        unknown++;
        return;
      }
      last = s;
      head.apply(s, t, v);
    },
    tombstone: (ref, minT, maxT) => {
      const s = head.getByRef(ref);
      if (s === undefined) return;
      if (deleting !== undefined && (deleting.minT !== minT || deleting.maxT !== maxT)) applyDeletions();
      deleting ??= { minT, maxT, series: [] };
      deleting.series.push(s);
    },
    metadata: (m) => {
      applyDeletions();
      head.setMetadata(m.metricFamily, { type: m.type as MetricType, help: m.help, unit: m.unit });
    },
  });
  applyDeletions();
  return { ...stats, unknownSeriesSamples: unknown };
}
