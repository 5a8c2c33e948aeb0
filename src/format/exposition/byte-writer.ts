// A growable UTF-8 output buffer for the writers.
//
// Why not `out += line`: 100,000 lines make a rope of ~half a million pieces, and flattening it
// (which Buffer.from, gzip or the socket must do) costs more than producing it. Writing bytes into
// one buffer, copying cached label bytes with `set`, keeps a 100k-series scrape at a few ns per byte.

export class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(initialCapacity, 256));
  }

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.len++] = c;
  }

  /** A string known to be ASCII (numbers, suffixes, keywords). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let o = this.len;
    for (let i = 0; i < n; i++) b[o++] = s.charCodeAt(i);
    this.len = o;
  }

  /** Any string, as UTF-8 (lone surrogates become U+FFFD). */
  text(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const b = this.buf;
    let o = this.len;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[o++] = c;
    }
    this.len = i === n ? o : o + b.write(i === 0 ? s : s.slice(i), o);
  }

  bytes(u: Uint8Array): void {
    this.ensure(u.length);
    this.buf.set(u, this.len);
    this.len += u.length;
  }

  /**
   * A writer sized for what the previous use of `hint` produced, so a scrape of the same registry
   * does not grow (and copy) its buffer a dozen times.
   */
  static sizedLike(hint: SizeHint): ByteWriter {
    return new ByteWriter(Math.ceil(hint.last * 1.1));
  }

  /** The bytes written so far (a view, not a copy). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** Remembers the size of the last output of one writer. */
export class SizeHint {
  last = 1 << 16;

  record(w: ByteWriter): void {
    // Follow growth at once, shrink slowly: one small scrape should not undo the sizing.
    this.last = Math.max(w.length, Math.floor(this.last * 0.9), 1 << 16);
  }
}
