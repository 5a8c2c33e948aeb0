// The remote_write decode, as a worker-pool task: runs in a worker thread, turns a snappy body into
// columns and series ids (see ../decoding/series-ids.ts), and moves the columns to the main thread
// without copying them. The worker keeps its ids, and which wire bytes meant which id, across
// requests, so a sender's steady traffic costs no label decoding and no label sets on the way back.

import {
  columnsFromSeries,
  decodeWriteRequestColumns,
  decodeWriteRequestV2,
  RemoteWriteDecodeError,
  type RemoteWriteMetadata,
  type WriteRequestColumns,
} from '../../format/remote-write/index.ts';
import type { TaskHandler, TaskOutput } from '../../workers/task.ts';
import { type SeriesDefinitions, WireSeriesIds } from '../decoding/series-ids.ts';
import { AnswerSpace } from '../decoding/slots.ts';

export const REMOTE_WRITE_TASK = 'remote_write.decode';

export interface RemoteWriteTask {
  /** The body as received (snappy block). */
  readonly body: Uint8Array;
  /** Where to put the answer's columns (see ../decoding/slots.ts). */
  readonly slot?: ArrayBufferLike;
  readonly v2: boolean;
  readonly maxDecompressedBytes: number;
}

export type RemoteWriteBatch =
  | {
      readonly ok: true;
      readonly defs: SeriesDefinitions;
      /** Series id of each series of the request. */
      readonly ids: Int32Array;
      /** Series i owns rows [ends[i-1], ends[i]) of timestamps and values. */
      readonly ends: Uint32Array;
      readonly timestamps: Float64Array;
      readonly values: Float64Array;
      readonly metadata: readonly RemoteWriteMetadata[];
      readonly histograms: number;
    }
  | { readonly ok: false; readonly defs: SeriesDefinitions; readonly message: string };

/** A decoder with its own label-set cache and series ids (one per worker, or per receiver in-thread). */
export function createTaskHandler(): TaskHandler {
  const seriesIds = new WireSeriesIds();
  return (input) => decode(input as RemoteWriteTask, seriesIds);
}

function decode(task: RemoteWriteTask, seriesIds: WireSeriesIds): TaskOutput {
  seriesIds.begin();
  let cols: WriteRequestColumns;
  try {
    const options = { maxDecompressedBytes: task.maxDecompressedBytes };
    cols = task.v2
      ? columnsFromSeries(decodeWriteRequestV2(task.body, options))
      : decodeWriteRequestColumns(task.body, { ...options, seriesKeys: seriesIds, transient: true });
  } catch (err) {
    // Anything else is a bug: the pool reports it as a failed task (no id was handed out yet).
    if (!(err instanceof RemoteWriteDecodeError)) throw err;
    const batch: RemoteWriteBatch = { ok: false, defs: seriesIds.definitions(), message: err.message };
    return { value: batch };
  }
  const n = cols.ends.length;
  const m = cols.samples;
  const space = new AnswerSpace(
    task.slot,
    2 * AnswerSpace.columnBytes(m, 8) + 2 * AnswerSpace.columnBytes(n, 4),
  );
  // Same-type set() copies bytes: NaN payloads are kept.
  const timestamps = space.float64(m);
  timestamps.set(cols.timestamps);
  const values = space.float64(m);
  values.set(cols.values);
  const ends = space.uint32(n);
  ends.set(cols.ends);
  const ids = space.int32(n);
  if (cols.ids !== undefined) ids.set(cols.ids);
  else for (let i = 0; i < n; i++) ids[i] = seriesIds.idOf(cols.labels[i]);
  const batch: RemoteWriteBatch = {
    ok: true,
    defs: seriesIds.definitions(),
    ids,
    ends,
    timestamps,
    values,
    metadata: cols.metadata,
    histograms: cols.histograms,
  };
  return { value: batch };
}
