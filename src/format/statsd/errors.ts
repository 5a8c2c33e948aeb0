// Why a StatsD line could not be parsed. The `reason` is a stable code (it becomes the `reason`
// label of telemux_input_dropped_total); the message says what exactly is wrong.

export const STATSD_PARSE_REASONS = [
  /** No `:`, an empty name, missing `|type`, an empty or unknown `|…` section, bad UTF-8. */
  'malformed',
  /** The value is not a finite decimal number. */
  'bad_value',
  /** A type other than c, g, ms, h, d, s. */
  'unknown_type',
  /** `s` (sets): statsd_exporter does not support them either. */
  'unsupported_set',
  /** `@rate` not a number in [0, 1], or so small that a timer would be repeated too often. */
  'bad_sample_rate',
  /** DogStatsD tags mixed with name tags, or `name:1:2|c` (several values for a non-observer type). */
  'bad_tags',
] as const;

export type StatsdParseReason = (typeof STATSD_PARSE_REASONS)[number];

export class StatsdParseError extends Error {
  override name = 'StatsdParseError';
  readonly reason: StatsdParseReason;

  constructor(reason: StatsdParseReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
