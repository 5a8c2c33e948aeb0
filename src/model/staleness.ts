// The Prometheus staleness marker: one exact NaN bit pattern, distinct from the NaN that arithmetic
// produces, so a stored "series ended here" survives encode/decode and is never confused with data.

const buffer = new DataView(new ArrayBuffer(8));

/** Bit pattern of the staleness marker. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
/** Bit pattern of the ordinary NaN Prometheus writes for a NaN value. */
export const NORMAL_NAN_BITS = 0x7ff8000000000001n;

function fromBits(bits: bigint): number {
  buffer.setBigUint64(0, bits);
  return buffer.getFloat64(0);
}

/** The staleness marker as a JS number. Never do arithmetic on it: that would quiet the NaN. */
export const STALE_NAN: number = fromBits(STALE_NAN_BITS);

/** The raw IEEE-754 bits of a float64. */
export function float64Bits(value: number): bigint {
  buffer.setFloat64(0, value);
  return buffer.getBigUint64(0);
}

export function float64FromBits(bits: bigint): number {
  return fromBits(bits);
}

/** True only for the exact staleness bit pattern, not for any other NaN. */
export function isStaleNaN(value: number): boolean {
  if (!Number.isNaN(value)) return false; // fast path: not NaN at all
  buffer.setFloat64(0, value);
  return buffer.getUint32(0) === 0x7ff00000 && buffer.getUint32(4) === 2;
}
