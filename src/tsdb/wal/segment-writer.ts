// The one segment the WAL appends to. Writes are synchronous (when `write` returns the bytes are in the
// OS page cache, so a process crash cannot lose them); fsyncs are asynchronous and shared: callers that
// arrive while one is running wait for it if it already covers their writes, or else all share the next.

import { closeSync, fsync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from './durable.ts';
import { segmentName } from './layout.ts';

/** Called after every completed fsync of a segment (a hook for tests and metrics). */
export type FsyncHook = (segment: number) => void;

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

export class SegmentWriter {
  readonly number: number;
  readonly #dir: string;
  readonly #fd: number;
  readonly #onFsync: FsyncHook | undefined;
  #size = 0;
  /** Bytes written since the last fsync started. */
  #dirty = false;
  #inflight: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  /** The file's directory entry is made durable by the first fsync. */
  #dirSynced = false;
  #closed = false;

  private constructor(dir: string, number: number, fd: number, onFsync: FsyncHook | undefined) {
    this.#dir = dir;
    this.number = number;
    this.#fd = fd;
    this.#onFsync = onFsync;
  }

  /** Creates segment `number` in `dir`; refuses to reuse an existing file. */
  static create(dir: string, number: number, onFsync?: FsyncHook): SegmentWriter {
    const fd = openSync(join(dir, segmentName(number)), 'wx');
    return new SegmentWriter(dir, number, fd, onFsync);
  }

  get size(): number {
    return this.#size;
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  /**
   * Appends `buf[0, len)` with as few write calls as the OS allows (one, for a regular file). On failure
   * the file is cut back to where it was, so no half frame is left for later frames to follow.
   */
  write(buf: Uint8Array, len: number): void {
    if (this.#closed) throw new Error(`WAL segment ${segmentName(this.number)} is closed`);
    let off = 0;
    try {
      while (off < len) off += writeSync(this.#fd, buf, off, len - off, this.#size + off);
    } catch (e) {
      try {
        ftruncateSync(this.#fd, this.#size);
      } catch {
        // The caller abandons this segment anyway; replay will cut the torn frame.
      }
      throw e;
    }
    this.#size += len;
    this.#dirty = true;
  }

  /** Resolves once everything written before the call is on stable storage. */
  sync(): Promise<void> {
    if (this.#queued) return this.#queued;
    if (this.#inflight) {
      // The running fsync may have started before our last write reached the OS: queue one more.
      if (!this.#dirty) return this.#inflight;
      const run = () => {
        this.#queued = null;
        return this.#start();
      };
      this.#queued = this.#inflight.then(run, run);
      return this.#queued;
    }
    if (!this.#dirty && this.#dirSynced) return Promise.resolve();
    return this.#start();
  }

  #start(): Promise<void> {
    this.#dirty = false;
    const p = this.#fsync().finally(() => {
      if (this.#inflight === p) this.#inflight = null;
    });
    this.#inflight = p;
    return p;
  }

  async #fsync(): Promise<void> {
    try {
      await fsyncAsync(this.#fd);
      if (!this.#dirSynced) {
        await fsyncDir(this.#dir);
        this.#dirSynced = true;
      }
    } catch (e) {
      // Keep the data marked unsynced. The Wal treats any fsync failure as permanent anyway: the kernel
      // may have dropped the dirty pages, so a later fsync could succeed without the data being there.
      this.#dirty = true;
      throw e;
    }
    this.#onFsync?.(this.number);
  }

  /** Stops writes, fsyncs what was written, then closes the file (even if the fsync failed). */
  close(): Promise<void> {
    this.#closed = true;
    return this.sync().finally(() => closeSync(this.#fd));
  }
}
