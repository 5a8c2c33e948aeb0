// Appends chunk records to numbered segment files, cutting a new segment before one would grow past
// the size limit, and hands back each chunk's ref (segment * 2^32 + offset).

import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteWriter } from './bytes.ts';
import { BufferedFileWriter } from './file-io.ts';
import { CHUNKS_MAGIC, fileHeader, SEGMENT_FACTOR, segmentFileName } from './format.ts';

export class ChunkWriter {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #prefix = new ByteWriter(16);
  #segment = 0;
  #out: BufferedFileWriter | undefined;

  constructor(dir: string, maxSegmentBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxSegmentBytes;
  }

  /** Writes one chunk's serialised bytes; returns its ref. */
  write(data: Uint8Array): number {
    const prefix = this.#prefix;
    prefix.reset();
    prefix.uvarint(data.length);
    const recordBytes = prefix.length + data.length + 4;
    if (this.#out === undefined || this.#out.position + recordBytes > this.#maxBytes) this.#cut();
    const out = this.#out!;
    const ref = this.#segment * SEGMENT_FACTOR + out.position;
    const crc = crc32(data, crc32(prefix.view()));
    out.write(prefix.view());
    out.write(data);
    prefix.reset();
    prefix.u32(crc);
    out.write(prefix.view());
    return ref;
  }

  #cut(): void {
    this.#out?.close();
    this.#segment++;
    if (this.#segment >= 2 ** 21) throw new RangeError('too many chunk segments');
    this.#out = new BufferedFileWriter(path.join(this.#dir, segmentFileName(this.#segment)));
    this.#out.write(fileHeader(CHUNKS_MAGIC));
  }

  /** Flushes and fsyncs the open segment. */
  close(): void {
    this.#out?.close();
    this.#out = undefined;
  }

  abort(): void {
    this.#out?.abort();
    this.#out = undefined;
  }
}
