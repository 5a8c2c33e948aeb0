// Reads chunk records by ref from the block's segment files: one positional read per chunk, checked
// against its CRC before the bytes are handed to the chunk decoder.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Chunk } from '../chunk/chunk.ts';
import { openChunk } from '../chunk/encode.ts';
import { ByteReader, uvarintSize } from './bytes.ts';
import { BlockCorruptError } from './errors.ts';
import type { FileReader, OpenFile } from './file-io.ts';
import { CHUNKS_DIR, CHUNKS_MAGIC, HEADER_BYTES, headerProblem, SEGMENT_FACTOR } from './format.ts';

export class ChunkReader {
  readonly #segments = new Map<number, FileReader>();
  readonly #names = new Map<number, string>();
  #closed = false;

  /** Opens every segment in `<blockDir>/chunks` and checks its header. */
  constructor(blockDir: string, openFile: OpenFile) {
    const dir = path.join(blockDir, CHUNKS_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => /^\d{6}$/.test(n));
    } catch (e) {
      throw new BlockCorruptError(CHUNKS_DIR, `unreadable: ${(e as Error).message}`);
    }
    try {
      for (const name of names.sort()) {
        const file = openFile(path.join(dir, name));
        const segment = Number(name);
        const label = `${CHUNKS_DIR}/${name}`;
        this.#segments.set(segment, file);
        this.#names.set(segment, label);
        const header = new Uint8Array(HEADER_BYTES);
        const problem = headerProblem(header.subarray(0, file.read(header, 0)), CHUNKS_MAGIC);
        if (problem !== undefined) throw new BlockCorruptError(label, problem);
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  get sizeBytes(): number {
    let n = 0;
    for (const f of this.#segments.values()) n += f.size;
    return n;
  }

  /** The chunk record at `ref` holding `length` data bytes, verified and decoded. */
  read(ref: number, length: number): Chunk {
    if (this.#closed) throw new Error('block is closed');
    const segment = Math.floor(ref / SEGMENT_FACTOR);
    const offset = ref % SEGMENT_FACTOR;
    const file = this.#segments.get(segment);
    const name = this.#names.get(segment) ?? `${CHUNKS_DIR}/${segment}`;
    if (file === undefined) throw new BlockCorruptError(name, `missing segment for chunk ref ${ref}`);
    const prefix = uvarintSize(length);
    const record = new Uint8Array(prefix + length + 4);
    if (file.read(record, offset) !== record.length)
      throw new BlockCorruptError(name, `chunk at offset ${offset} runs past the end of the file`);
    const r = new ByteReader(name, record);
    if (r.uvarint() !== length || r.pos !== prefix)
      throw new BlockCorruptError(name, `chunk length at offset ${offset} does not match the index`);
    const data = r.bytes(length);
    const want = r.u32();
    if (crc32(record.subarray(0, prefix + length)) !== want)
      throw new BlockCorruptError(name, `checksum mismatch for chunk at offset ${offset}`);
    try {
      return openChunk(data);
    } catch (e) {
      throw new BlockCorruptError(name, `undecodable chunk at offset ${offset}: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.#closed = true;
    for (const f of this.#segments.values()) f.close();
    this.#segments.clear();
  }
}
