// The columnar shape of a remote_write 1.0 request: one pair of typed arrays per series, so decoding
// creates no object per sample and float64 values keep their exact bits (NaN payloads such as the
// staleness marker included).

import type { Label, Labels } from '../../model/labels.ts';
import type { MetricType } from '../../model/metadata.ts';

/** Exemplars of one series, columnar like the samples. Empty arrays when there are none. */
export interface DecodedExemplars {
  readonly labels: readonly Labels[];
  /** Milliseconds since the epoch (safe integers). */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

export interface DecodedSeries {
  readonly labels: Labels;
  /** Milliseconds since the epoch (safe integers), in the order the sender wrote them. */
  readonly timestamps: Float64Array;
  /** Sample values, bit for bit as sent. Read them, never copy them through a plain number[]. */
  readonly values: Float64Array;
  readonly exemplars: DecodedExemplars;
  /** Native histogram samples present in the series; they are counted, not decoded. */
  readonly histogramCount: number;
}

export interface RemoteWriteMetadata {
  readonly metricFamilyName: string;
  /** The wire enum's UNKNOWN (0), and any value this codec does not know, is `untyped`. */
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export interface DecodedWriteRequest {
  readonly series: readonly DecodedSeries[];
  readonly metadata: readonly RemoteWriteMetadata[];
  /** Float samples in all series. */
  readonly samples: number;
  /** Native histogram samples in all series (not decoded; a receiver rejects or skips them). */
  readonly histograms: number;
  readonly exemplars: number;
}

/**
 * A decoded request in columns: the samples of all series one after another in one pair of typed
 * arrays (a few allocations per request instead of two per series, and transferable to another
 * thread as they are). Series `i` owns rows `[i === 0 ? 0 : ends[i - 1], ends[i])`.
 */
export interface WriteRequestColumns {
  /** The label set of each series; empty when the series are named by `ids` instead. */
  readonly labels: readonly Labels[];
  /** The id of each series, when decoded with SeriesKeys (see series-keys.ts). */
  readonly ids?: Int32Array;
  readonly ends: Uint32Array;
  /** Milliseconds since the epoch (safe integers), per series in the order the sender wrote them. */
  readonly timestamps: Float64Array;
  /** Sample values, bit for bit as sent. */
  readonly values: Float64Array;
  /**
   * Exemplars of each series (a shared empty set for series without); an empty array when no series
   * has any.
   */
  readonly seriesExemplars: readonly DecodedExemplars[];
  /** Native histogram samples of each series (counted, not decoded). */
  readonly histogramCounts: Uint32Array;
  readonly metadata: readonly RemoteWriteMetadata[];
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/** What the encoder takes: the decoded shape, with looser labels so tests can send invalid sets. */
export interface SeriesInput {
  /** Plain pairs are written as given (order, duplicates, empty names and values included). */
  readonly labels: Labels | readonly Label[];
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly exemplars?: DecodedExemplars;
  /** Writes this many empty Histogram messages, to exercise a receiver's histogram detection. */
  readonly histogramCount?: number;
}

export interface WriteRequestInput {
  readonly series: readonly SeriesInput[];
  readonly metadata?: readonly RemoteWriteMetadata[];
}
