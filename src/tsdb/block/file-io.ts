// Positional file access and durable writes. Readers go through the small `FileReader` interface so a
// test can count (or fail) reads; writers fsync files and their directory so a rename is durable.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Random-access reads of one file, kept open for the block's lifetime. */
export interface FileReader {
  readonly size: number;
  /** Reads up to `buf.length` bytes at `position`; returns how many were read (short at EOF). */
  read(buf: Uint8Array, position: number): number;
  close(): void;
}

export type OpenFile = (file: string) => FileReader;

/** The default: `fs.readSync` on an fd opened once. */
export const openFileReader: OpenFile = (file) => {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  let open = true;
  return {
    size,
    read(buf, position) {
      let done = 0;
      // readSync may return short counts before EOF; loop until full or EOF.
      while (done < buf.length) {
        const n = fs.readSync(fd, buf, done, buf.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    close() {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
};

/** Makes a rename or create inside `dir` durable. Some platforms cannot fsync directories; that is fine. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Best effort: Windows and some filesystems refuse to open or sync a directory.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `data` to `file` and fsyncs it. */
export function writeFileSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `file` atomically: write a sibling temp file, fsync, rename over, fsync the directory. */
export function replaceFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.tmp`;
  writeFileSynced(tmp, data);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Appends through a buffer, fsyncs on close; `position` counts every byte written. */
export class BufferedFileWriter {
  readonly #fd: number;
  readonly #buf: Uint8Array;
  #used = 0;
  position = 0;

  constructor(file: string, bufferSize = 1 << 20) {
    this.#fd = fs.openSync(file, 'wx');
    this.#buf = new Uint8Array(bufferSize);
  }

  write(data: Uint8Array): void {
    if (data.length > this.#buf.length - this.#used) {
      this.#flush();
      if (data.length > this.#buf.length) {
        writeAll(this.#fd, data, data.length);
        this.position += data.length;
        return;
      }
    }
    this.#buf.set(data, this.#used);
    this.#used += data.length;
    this.position += data.length;
  }

  #flush(): void {
    if (this.#used > 0) writeAll(this.#fd, this.#buf, this.#used);
    this.#used = 0;
  }

  /** Flushes, fsyncs and closes. */
  close(): void {
    try {
      this.#flush();
      fs.fsyncSync(this.#fd);
    } finally {
      fs.closeSync(this.#fd);
    }
  }

  /** Closes without syncing (after a failure; the temp directory is removed anyway). */
  abort(): void {
    try {
      fs.closeSync(this.#fd);
    } catch {
      // Already closed.
    }
  }
}

/** writeSync may write less than asked (rare for files, but allowed): loop until done. */
function writeAll(fd: number, data: Uint8Array, length: number): void {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, data, done, length - done);
}
