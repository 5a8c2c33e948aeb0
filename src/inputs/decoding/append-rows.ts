// Appending a decoded batch to the store: rows of timestamps and values whose series are named by
// ids (see series-ids.ts). Both receivers that decode in the pool append this way; the samples the
// store refuses are counted under the reason it gives.

import type { Counter } from '../../registry/counter.ts';
import { AppendStatus, rejectionReason } from '../../tsdb/head/append-status.ts';
import type { Appender } from '../../tsdb/storage.ts';
import type { SeriesTable } from './series-ids.ts';

/** The drop counters a receiver keeps for samples the store refuses. */
export type RefusalCounters = Readonly<
  Record<'series_limit' | 'out_of_order' | 'too_old' | 'duplicate_timestamp' | 'invalid_timestamp', Counter>
>;

/** The statuses counted as refusals here (a refused series is counted per sample, by the caller's table). */
const REFUSALS = [
  AppendStatus.OutOfOrder,
  AppendStatus.TooOld,
  AppendStatus.DuplicateTimestamp,
  AppendStatus.InvalidTimestamp,
] as const;

/**
 * Appends the rows of `ts`/`vs`: series `ids[i]` owns rows [ends[i - 1], ends[i]) — or, without
 * `ends`, row i. Returns the samples stored (exact duplicates included, as Prometheus counts
 * them); the refused ones are counted in `dropped`.
 */
export function appendIdRows(
  app: Appender,
  table: SeriesTable,
  rows: {
    readonly ids: Int32Array;
    readonly ends?: Uint32Array;
    readonly ts: Float64Array;
    readonly vs: Float64Array;
  },
  dropped: RefusalCounters,
): number {
  const { ids, ends, ts, vs } = rows;
  const before = REFUSALS.map((status) => app.rejected[status]);
  let stored = 0;
  let start = 0;
  for (let i = 0; i < ids.length; ) {
    const id = ids[i];
    let end: number;
    if (ends === undefined) {
      // A row per id: a series' consecutive rows (an Influx body writes its lines together) go as
      // one run.
      end = i + 1;
      while (end < ids.length && ids[end] === id) end++;
      i = end;
    } else {
      end = ends[i];
      i++;
    }
    const handle = table.handle(id, app);
    if (handle === undefined) dropped.series_limit.inc(end - start);
    else stored += app.appendRows(handle, ts, vs, start, end);
    start = end;
  }
  REFUSALS.forEach((status, k) => {
    const n = app.rejected[status] - before[k];
    if (n > 0) dropped[rejectionReason(status) as keyof RefusalCounters].inc(n);
  });
  return stored;
}
