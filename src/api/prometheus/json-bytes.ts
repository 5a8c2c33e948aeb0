// A writer of JSON text straight into byte buffers, handed out in chunks. Query results can hold
// millions of points; building them as JS strings meant a rope of small pieces per chunk, flattened,
// then encoded to UTF-8 again on the way out. Numbers are written as ASCII digits in place.

/** Bytes gathered before a chunk is handed out. */
const CHUNK_BYTES = 64 * 1024;

const DIGITS = new Uint8Array(32);

export class JsonBytes {
  #buf = Buffer.allocUnsafe(CHUNK_BYTES + 1024);
  #pos = 0;

  /** Whether a chunk's worth is ready to be taken. */
  get full(): boolean {
    return this.#pos >= CHUNK_BYTES;
  }

  /** The bytes written so far; the writer starts a new buffer. */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.#pos);
    this.#buf = Buffer.allocUnsafe(CHUNK_BYTES + 1024);
    this.#pos = 0;
    return out;
  }

  /** Text of ASCII characters only (JSON punctuation, numbers, keys). */
  ascii(s: string): void {
    this.#room(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#pos++] = s.charCodeAt(i);
  }

  /** Any text, as UTF-8 (already JSON-escaped by the caller where it needs to be). */
  text(s: string): void {
    this.#room(s.length * 3);
    this.#pos += this.#buf.write(s, this.#pos, 'utf8');
  }

  /** A non-negative integer below 2^53, in decimal. */
  uint(n: number): void {
    this.#room(17);
    let k = 0;
    do {
      const q = Math.floor(n / 10);
      DIGITS[k++] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
    while (k > 0) this.#buf[this.#pos++] = DIGITS[--k];
  }

  /** A time in ms as seconds: integer part, then `.` and three digits unless they are all zero. */
  timestamp(ms: number): void {
    let t = Math.round(ms);
    if (t < 0) {
      this.ascii('-');
      t = -t;
    }
    const frac = t % 1000;
    this.uint((t - frac) / 1000);
    if (frac === 0) return;
    this.#room(4);
    const b = this.#buf;
    b[this.#pos++] = 46; // '.'
    b[this.#pos++] = 48 + Math.floor(frac / 100);
    b[this.#pos++] = 48 + (Math.floor(frac / 10) % 10);
    b[this.#pos++] = 48 + (frac % 10);
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(bigger, 0, 0, this.#pos);
    this.#buf = bigger;
  }
}
