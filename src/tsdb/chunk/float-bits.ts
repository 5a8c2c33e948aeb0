// One shared Float64Array/Uint32Array view for reading and writing the two 32-bit halves of a float64.
// Typed arrays keep NaN payloads intact (a plain number[] would canonicalise them), and 32-bit halves keep
// the hot path free of BigInt.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** High 32 bits (sign, exponent, top of mantissa) of `v`, as an unsigned integer. */
export function hiBits(v: number): number {
  f64[0] = v;
  return u32[HI];
}

/** Low 32 bits of the mantissa of `v`, as an unsigned integer. Call right after `hiBits` or alone. */
export function loBits(v: number): number {
  f64[0] = v;
  return u32[LO];
}

/** The float64 whose bits are `hi:lo`. */
export function fromHiLo(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}
