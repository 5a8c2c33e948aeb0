// Why a Hermes datagram was dropped: the `reason` label of telemux_input_dropped_total{input="hermes"}.

export const HERMES_DROP_REASONS = [
  /** Longer than the configured maximum datagram size. */
  'oversized',
  /** Not parseable JSON (garbage, binary, truncated). */
  'bad_json',
  /** The datagram, its `payload` or its `labels` is JSON but not an object. */
  'not_an_object',
  /** `metric_name` missing, not a string, or not in the definitions. */
  'unknown_metric',
  /** A label key the metric's definition does not list (Hermes: ErrInvalidLabels). */
  'unknown_label',
  /** A label the definition lists is absent (Hermes panics and restarts here; we drop). */
  'missing_label',
  /** A label value that is not a string, or not valid Unicode. */
  'bad_label_value',
  /** Gauge `operation` missing or not increment/decrement/set. */
  'bad_operation',
  /** Gauge `value` or histogram/summary `observation` missing where needed, not a number, or not finite. */
  'bad_value',
  /** A new series would exceed the family's or the registry's series limit. */
  'cardinality_limit',
  /** A whole datagram the receive thread (`receive_thread`) dropped: the main thread was too far behind. */
  'overloaded',
  /** A bug in telemux; logged at error level. */
  'internal_error',
] as const;

export type HermesDropReason = (typeof HERMES_DROP_REASONS)[number];
