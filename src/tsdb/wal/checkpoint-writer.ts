// Writing a checkpoint's records in the WAL's own segmented format, synchronously: frames are gathered
// into large writes, segments rotate at the size limit, and everything is fsynced before `finish`
// returns, so the caller can rename the directory into place knowing its contents are durable.

import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from './byte-writer.ts';
import { fsyncDirSync } from './durable.ts';
import { FRAME_HEADER_BYTES, writeFrameHeader } from './frame.ts';
import { segmentName } from './layout.ts';

const FLUSH_BYTES = 1 << 20;

export class CheckpointWriter {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #buf = new ByteWriter(FLUSH_BYTES);
  #fd = -1;
  #segment = -1;
  /** Bytes in the current segment, flushed or not. */
  #size = 0;
  #written = 0;

  constructor(dir: string, segmentBytes: number) {
    this.#dir = dir;
    this.#segmentBytes = segmentBytes;
    mkdirSync(dir);
  }

  add(payload: Uint8Array): void {
    const frame = FRAME_HEADER_BYTES + payload.length;
    if (this.#fd < 0 || (this.#size > 0 && this.#size + frame > this.#segmentBytes)) this.#rotate();
    const w = this.#buf;
    w.ensure(frame);
    writeFrameHeader(w.buf, w.pos, payload);
    w.pos += FRAME_HEADER_BYTES;
    w.bytes(payload);
    this.#size += frame;
    if (w.pos >= FLUSH_BYTES) this.#flush();
  }

  /** Flushes, fsyncs and closes everything, including the directory. */
  finish(): void {
    if (this.#fd >= 0) this.#closeSegment();
    fsyncDirSync(this.#dir);
  }

  /** Closes any open file after a failure; the caller removes the directory. */
  abort(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #rotate(): void {
    if (this.#fd >= 0) this.#closeSegment();
    this.#segment++;
    this.#fd = openSync(join(this.#dir, segmentName(this.#segment)), 'wx');
    this.#size = 0;
    this.#written = 0;
  }

  #flush(): void {
    const w = this.#buf;
    let off = 0;
    while (off < w.pos) off += writeSync(this.#fd, w.buf, off, w.pos - off, this.#written + off);
    this.#written += w.pos;
    w.reset();
  }

  #closeSegment(): void {
    this.#flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }
}
