// Float ↔ scaled decimal (VictoriaMetrics lib/decimal style): v = m / 10^k with an integer mantissa m.
// Only conversions that round-trip bit-exactly are accepted; NaN, ±Inf and -0 never convert.

/** Largest scale tried; 10^22 is the largest power of ten a float64 holds exactly. */
export const MAX_SCALE = 22;
/** Mantissa bound (~14 significant digits): keeps deltas of deltas within the integer code's range. */
export const MAX_MANTISSA = 2 ** 48 - 1;

const POW10 = new Float64Array(MAX_SCALE + 1);
for (let k = 0, p = 1; k <= MAX_SCALE; k++, p *= 10) POW10[k] = p;

/** The value a mantissa and scale stand for. Encoder and decoder must both use exactly this. */
export function fromDecimal(m: number, scale: number): number {
  return scale === 0 ? m : m / POW10[scale];
}

/** Mantissa of `v` at `scale`, or NaN when `v` is not exactly `m / 10^scale` with |m| ≤ MAX_MANTISSA. */
export function mantissaAt(v: number, scale: number): number {
  const m = Math.round(v * POW10[scale]);
  if (!(Math.abs(m) <= MAX_MANTISSA) || fromDecimal(m, scale) !== v) return Number.NaN;
  if (m === 0 && Object.is(v, -0)) return Number.NaN;
  return m;
}

/** Smallest scale ≥ `from` at which `v` is an exact decimal, or -1 when there is none. */
export function scaleFor(v: number, from: number): number {
  if (!Number.isFinite(v)) return -1;
  for (let k = from; k <= MAX_SCALE; k++) {
    const m = Math.round(v * POW10[k]);
    if (!(Math.abs(m) <= MAX_MANTISSA)) return -1; // larger scales only make it bigger
    if (fromDecimal(m, k) === v) return Object.is(v, -0) ? -1 : k;
  }
  return -1;
}
