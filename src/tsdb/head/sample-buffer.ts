// A growable pair of typed arrays holding (t, v) samples: values stay in a Float64Array so NaN
// payloads (the staleness marker) survive, which a plain number[] would not guarantee.

export class SampleBuffer {
  ts: Float64Array;
  vs: Float64Array;
  n = 0;

  constructor(capacity = 8) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    if (this.n === this.ts.length) this.grow();
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  /** Inserts at index `i`, shifting later samples right. */
  insertAt(i: number, t: number, v: number): void {
    if (this.n === this.ts.length) this.grow();
    this.ts.copyWithin(i + 1, i, this.n);
    this.vs.copyWithin(i + 1, i, this.n);
    this.ts[i] = t;
    this.vs[i] = v;
    this.n++;
  }

  /** First index whose timestamp is ≥ t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.n = 0;
  }

  private grow(): void {
    const ts = new Float64Array(Math.max(8, this.ts.length * 2));
    const vs = new Float64Array(ts.length);
    ts.set(this.ts.subarray(0, this.n));
    vs.set(this.vs.subarray(0, this.n));
    this.ts = ts;
    this.vs = vs;
  }
}

/** Same value bits? (Comparing numbers with === would make NaN ≠ NaN and 0 = -0.) */
export function sameBits(a: number, b: number): boolean {
  return a === b ? a !== 0 || 1 / a === 1 / b : Number.isNaN(a) && Number.isNaN(b) && nanBitsEqual(a, b);
}

const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);
function nanBitsEqual(a: number, b: number): boolean {
  f64[0] = a;
  f64[1] = b;
  return u32[0] === u32[2] && u32[1] === u32[3];
}
