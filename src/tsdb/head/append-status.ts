// What happened to one appended sample. Numbers, not exceptions: a bad sample in a batch of
// thousands is counted and reported, and the hot path never builds an Error per sample.

export const AppendStatus = {
  /** Stored (or will be on commit). */
  Ok: 0,
  /** Same timestamp and the same value bits as the stored sample: a no-op, as in Prometheus. */
  Duplicate: 1,
  /** Older than the series' newest sample and out-of-order ingestion is off. */
  OutOfOrder: 2,
  /** Older than the out-of-order window (or than data already cut into blocks) allows. */
  TooOld: 3,
  /** Same timestamp as a stored sample but a different value. */
  DuplicateTimestamp: 4,
  /** Not an integer number of ms in the supported range. */
  InvalidTimestamp: 5,
  /** The series does not exist and the series limit refuses a new one. */
  SeriesLimit: 6,
} as const;
export type AppendStatus = (typeof AppendStatus)[keyof typeof AppendStatus];

/** The label used for drop counters and error messages; `undefined` for accepted samples. */
export function rejectionReason(status: AppendStatus): string | undefined {
  switch (status) {
    case AppendStatus.OutOfOrder:
      return 'out_of_order';
    case AppendStatus.TooOld:
      return 'too_old';
    case AppendStatus.DuplicateTimestamp:
      return 'duplicate_timestamp';
    case AppendStatus.InvalidTimestamp:
      return 'invalid_timestamp';
    case AppendStatus.SeriesLimit:
      return 'series_limit';
    default:
      return undefined;
  }
}

/** A sentence for an HTTP error body, in Prometheus' words where it has them. */
export function rejectionMessage(status: AppendStatus): string {
  switch (status) {
    case AppendStatus.OutOfOrder:
      return 'out of order sample';
    case AppendStatus.TooOld:
      return 'too old sample';
    case AppendStatus.DuplicateTimestamp:
      return 'duplicate sample for timestamp';
    case AppendStatus.InvalidTimestamp:
      return 'invalid timestamp';
    case AppendStatus.SeriesLimit:
      return 'series limit reached';
    default:
      return 'ok';
  }
}

export function isRejected(status: AppendStatus): boolean {
  return status >= AppendStatus.OutOfOrder;
}
