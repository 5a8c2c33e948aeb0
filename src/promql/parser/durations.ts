// Durations as Prometheus reads and prints them (prometheus/common model.ParseDuration and
// model.Duration.String): units y, w, d, h, m, s, ms, biggest first, integers only (`1h30m`, not
// `1.5h`), at most 2^63-1 ns; and a number of seconds where a number stands for a duration (`[90]`).

const NS_PER_MS = 1_000_000n;
const MAX_NS = (1n << 63n) - 1n;

// unit → [milliseconds, rank]; a duration's units must come in increasing rank.
const UNITS: Record<string, readonly [number, number]> = {
  y: [365 * 24 * 3_600_000, 1],
  w: [7 * 24 * 3_600_000, 2],
  d: [24 * 3_600_000, 3],
  h: [3_600_000, 4],
  m: [60_000, 5],
  s: [1000, 6],
  ms: [1, 7],
};

const isDigit = (c: string) => c >= '0' && c <= '9';

/** Milliseconds of a DURATION token such as `1h30m`, or Prometheus' message for it. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  if (text === '0') return { ms: 0 };
  if (text === '') return { error: 'empty duration string' };
  const invalid = { error: `not a valid duration string: "${text}"` };
  let ns = 0n;
  let lastRank = 0;
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text[i])) return invalid;
    const numStart = i;
    while (i < text.length && isDigit(text[i])) i++;
    const v = BigInt(text.slice(numStart, i));
    const unitStart = i;
    while (i < text.length && !isDigit(text[i])) i++;
    if (i === unitStart) return invalid;
    const unit = text.slice(unitStart, i);
    const spec = UNITS[unit];
    if (spec === undefined) return { error: `unknown unit "${unit}" in duration "${text}"` };
    const [ms, rank] = spec;
    if (rank <= lastRank) return invalid;
    lastRank = rank;
    const mult = BigInt(ms) * NS_PER_MS;
    if (v > (1n << 63n) / mult) return { error: 'duration out of range' };
    ns += v * mult;
    if (ns > MAX_NS) return { error: 'duration out of range' };
  }
  return { ms: Number(ns / NS_PER_MS) };
}

/** Seconds (a number used as a duration) → milliseconds, truncated as Go's int64 conversion does. */
export function secondsToMs(seconds: number): { ms: number } | { error: string } {
  // Beyond this a time.Duration (int64 nanoseconds) overflows.
  const limit = 2 ** 63 / 1e9;
  if (Number.isNaN(seconds) || seconds > limit || seconds < -limit) return { error: 'duration out of range' };
  return { ms: Math.trunc(seconds * 1000) };
}

/**
 * model.Duration.String(): `1h30m`, `90d`, `2w`, `0s`. Years and weeks only when they divide the
 * duration exactly (90d reads better than 12w6d). `ms` must be ≥ 0.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const unit = (name: string, mult: number, exact: boolean) => {
    if (exact && rest % mult !== 0) return;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${name}`;
      rest -= v * mult;
    }
  };
  unit('y', UNITS.y[0], true);
  unit('w', UNITS.w[0], true);
  unit('d', UNITS.d[0], false);
  unit('h', UNITS.h[0], false);
  unit('m', UNITS.m[0], false);
  unit('s', UNITS.s[0], false);
  unit('ms', 1, false);
  return out;
}
