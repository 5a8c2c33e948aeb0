// Element-wise math with Go's semantics (Prometheus evaluates these with Go's package math).
// JS's Math agrees with Go for most functions; where Go computes differently (log2, log10, the
// degree conversions, min/max with infinities) the Go formula is spelled out so results match to
// the bit.

const SCRATCH = new DataView(new ArrayBuffer(8));

/**
 * Go's math.Frexp for finite, non-zero x: x = frac·2^exp with frac in [0.5, 1). Writes exp into
 * FREXP_EXP[0] and returns frac.
 */
const FREXP_EXP = new Int32Array(1);
function frexp(x: number): number {
  let shift = 0;
  if (Math.abs(x) < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first.
    x *= 2 ** 52;
    shift = -52;
  }
  SCRATCH.setFloat64(0, x);
  const hi = SCRATCH.getUint32(0);
  FREXP_EXP[0] = ((hi >>> 20) & 0x7ff) - 1022 + shift;
  SCRATCH.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return SCRATCH.getFloat64(0);
}

/** Go's math.Log2: exact for powers of two, else Log(frac)·(1/Ln2) + exp. */
function goLog2(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log2(x);
  const frac = frexp(x);
  const exp = FREXP_EXP[0];
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
}

/** Go's math.Log10: Log(x)·(1/Ln10) — e.g. log10(20) is 1.301029995663981, not …9813. */
function goLog10(x: number): number {
  return Math.log(x) * Math.LOG10E;
}

/** Go's math.Pow where it differs from JS: 1^y and (-1)^±Inf are 1. */
export function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Number.POSITIVE_INFINITY || y === Number.NEGATIVE_INFINITY)) return 1;
  return x ** y;
}

/** Go's math.Max: +Inf wins over NaN; otherwise NaN wins; max(-0, +0) is +0. */
export function goMax(x: number, y: number): number {
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(x, y);
}

/** Go's math.Min: -Inf wins over NaN; otherwise NaN wins; min(-0, +0) is -0. */
export function goMin(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY || y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  return Math.min(x, y);
}

export const ELEMENTWISE: ReadonlyMap<string, (v: number) => number> = new Map<string, (v: number) => number>(
  [
    ['abs', Math.abs],
    ['ceil', Math.ceil],
    ['floor', Math.floor],
    ['exp', Math.exp],
    ['sqrt', Math.sqrt],
    ['ln', Math.log],
    ['log2', goLog2],
    ['log10', goLog10],
    // Go returns the input itself for 0, -0 and NaN.
    ['sgn', (v) => (v < 0 ? -1 : v > 0 ? 1 : v)],
    ['sin', Math.sin],
    ['cos', Math.cos],
    ['tan', Math.tan],
    ['asin', Math.asin],
    ['acos', Math.acos],
    ['atan', Math.atan],
    ['sinh', Math.sinh],
    ['cosh', Math.cosh],
    ['tanh', Math.tanh],
    ['asinh', Math.asinh],
    ['acosh', Math.acosh],
    ['atanh', Math.atanh],
    // Left to right as Prometheus writes them: (v·180)/π and (v·π)/180, two roundings.
    ['deg', (v) => (v * 180) / Math.PI],
    ['rad', (v) => (v * Math.PI) / 180],
  ],
);

/**
 * Rounds to the nearest multiple of `toNearest`, ties up: floor(v·inv + 0.5) / inv with
 * inv = 1/toNearest (Prometheus inverts first, which it finds more accurate).
 */
export function round(v: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

/**
 * max(min, min(max, v)) with Go's math.Max/Min, so clamp_min(NaN, +Inf) is +Inf and
 * clamp_max(NaN, -Inf) is -Inf. The caller drops the sample when max < min.
 */
export function clamp(v: number, min: number, max: number): number {
  return goMax(min, goMin(max, v));
}

export function clampMin(v: number, min: number): number {
  return clamp(v, min, Number.POSITIVE_INFINITY);
}

export function clampMax(v: number, max: number): number {
  return clamp(v, Number.NEGATIVE_INFINITY, max);
}
