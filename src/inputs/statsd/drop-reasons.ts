// Why a StatsD line was dropped: the `reason` label of telemux_input_dropped_total{input="statsd"}.
// The unit is the line (a datagram holds one or more); `oversized` counts whole datagrams or TCP lines, `overloaded` whole datagrams.

import { STATSD_PARSE_REASONS } from '../../format/statsd/errors.ts';

export const STATSD_DROP_REASONS = [
  /** A datagram above max_datagram_bytes, or a TCP line above max_line_bytes (the connection is closed). */
  'oversized',
  // The grammar's reasons: malformed, bad_value, unknown_type, unsupported_set, bad_sample_rate, bad_tags.
  ...STATSD_PARSE_REASONS,
  /** A negative counter increment (statsd_exporter refuses these too; `decrement()` sends one). */
  'negative_counter',
  /** The mapping says `action: drop`. */
  'mapping_drop',
  /** The name is already a family of another type or label set, or the registry refuses the definition. */
  'conflict',
  /** A new series beyond max_series, or beyond the registry's own limits. */
  'series_limit',
  /** A whole datagram the receive thread (`receive_thread`) dropped: the main thread was too far behind. */
  'overloaded',
  /** A bug in telemux; logged at error level. */
  'internal_error',
] as const;

export type StatsdDropReason = (typeof STATSD_DROP_REASONS)[number];
