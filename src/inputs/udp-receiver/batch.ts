// How the receive thread hands datagrams to the main thread: many datagrams packed into one
// transferable buffer, so a postMessage carries tens of them instead of one. Each record is
//
//   u32 payload length (little-endian) · u8 source tag · source ("address:port", latin1) · payload
//
// where the tag is 0 when the source is the previous record's in the batch (and is left out: most
// datagrams come from a sender that sent the one before), else the source's length plus one.
// The writer fills a buffer until the next record would not fit, then `take()`s it.

/** Bytes a batch buffer holds (a bigger datagram gets a buffer of its own). */
export const BATCH_BYTES = 64 * 1024;
const HEADER = 5;
/** A source tag: the previous record's source again. */
const SAME_SOURCE = 0;
/** Sources are cut to this many bytes (the tag is one byte). */
const MAX_SOURCE = 254;

export class BatchWriter {
  #bytes = new Uint8Array(BATCH_BYTES);
  #buffer = Buffer.from(this.#bytes.buffer);
  #length = 0;
  /** The source of the batch's last record (none in an empty batch). */
  #lastSource: string | undefined;

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** Whether a datagram of `payloadLength` bytes from `source` still fits. */
  fits(payloadLength: number, source: string): boolean {
    return this.#length + HEADER + source.length + payloadLength <= this.#bytes.length;
  }

  /** Appends one record; call fits() first (an empty writer grows to fit any one record). */
  add(payload: Uint8Array, source: string): void {
    const need = HEADER + source.length + payload.length;
    if (this.#length === 0 && need > this.#bytes.length) this.#reset(need);
    let at = this.#length;
    const b = this.#buffer;
    b.writeUInt32LE(payload.length, at);
    if (source === this.#lastSource) {
      b[at + 4] = SAME_SOURCE;
      at += HEADER;
    } else {
      // An "address:port" is ASCII and far below 254 bytes; cut defensively all the same.
      const cut = source.length > MAX_SOURCE ? source.slice(0, MAX_SOURCE) : source;
      const sourceLength = b.write(cut, at + HEADER, 'latin1');
      b[at + 4] = sourceLength + 1;
      at += HEADER + sourceLength;
      this.#lastSource = source;
    }
    b.set(payload, at);
    this.#length = at + payload.length;
  }

  /**
   * A copy of the filled bytes (to transfer) and their length; the writer starts over in its own
   * buffer. A copy of what was written, not the 64 KiB buffer: batches are often a few datagrams,
   * and a fresh 64 KiB per batch was hundreds of MB/s for the garbage collector at 100,000/s.
   */
  take(): { buffer: ArrayBuffer; length: number } {
    const length = this.#length;
    const out = { buffer: this.#bytes.slice(0, length).buffer as ArrayBuffer, length };
    if (this.#bytes.length > BATCH_BYTES) this.#reset(BATCH_BYTES);
    else {
      this.#length = 0;
      this.#lastSource = undefined;
    }
    return out;
  }

  #reset(size: number): void {
    this.#bytes = new Uint8Array(size);
    this.#buffer = Buffer.from(this.#bytes.buffer);
    this.#length = 0;
    this.#lastSource = undefined;
  }
}

/** Calls `each` for every record of a batch, in the order they were added. */
export function forEachDatagram(
  buffer: ArrayBuffer,
  length: number,
  each: (datagram: Buffer, source: string) => void,
): void {
  const b = Buffer.from(buffer, 0, length);
  let at = 0;
  let source = '';
  while (at + HEADER <= length) {
    const payloadLength = b.readUInt32LE(at);
    const tag = b[at + 4];
    let payloadStart = at + HEADER;
    if (tag !== SAME_SOURCE) {
      payloadStart += tag - 1;
      if (payloadStart > length)
        throw new RangeError(`datagram batch: a source runs past the end (${payloadStart} > ${length})`);
      source = b.toString('latin1', at + HEADER, payloadStart);
    }
    const end = payloadStart + payloadLength;
    if (end > length) throw new RangeError(`datagram batch: a record runs past the end (${end} > ${length})`);
    each(b.subarray(payloadStart, end), source);
    at = end;
  }
}
