// Line-protocol timestamps to milliseconds, one rule for both parsers (the string parser and the
// byte scanner): the integer is split at the millisecond, the part above is scaled to ms, the part
// below only decides the floor of negative times, and the result must fit InfluxDB's int64 ns.

/** Timestamp units: v2 takes ns|us|ms|s, v1 also m and h (and `n`/`u` for ns/us). */
export type Precision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

/** Largest |timestamp| in ms: InfluxDB keeps int64 nanoseconds. */
const MAX_TIMESTAMP_MS = 9_223_372_036_854;

/** How many of a timestamp's last decimal digits are below the millisecond in `precision`. */
export function subMillisecondDigits(precision: Precision): number {
  return precision === 'ns' ? 6 : precision === 'us' ? 3 : 0;
}

/** Milliseconds in one unit of the digits above the millisecond (1 for ns, us and ms). */
export function msPerUnit(precision: Precision): number {
  return precision === 's' ? 1000 : precision === 'm' ? 60_000 : precision === 'h' ? 3_600_000 : 1;
}

/**
 * A timestamp in ms, from its decimal digits split at the millisecond: `msPart` is the value of
 * the digits above the split (`msDigits` of them, leading zeros not counted), `belowMs` whether any
 * digit below it is not zero. Sub-ms times are floored (-1.5 ms is -2 ms, so order is kept). NaN when
 * the time is out of the int64-ns range (more than 16 significant digits of ms always are: `msPart`
 * need not be exact then).
 */
export function timestampToMs(
  precision: Precision,
  negative: boolean,
  msPart: number,
  msDigits: number,
  belowMs: boolean,
): number {
  if (msDigits > 16) return Number.NaN;
  const q = msPart * msPerUnit(precision);
  const ms = negative ? (q === 0 && !belowMs ? 0 : -(q + (belowMs ? 1 : 0))) : q;
  return ms > MAX_TIMESTAMP_MS || ms < -MAX_TIMESTAMP_MS ? Number.NaN : ms;
}
