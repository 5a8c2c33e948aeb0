// The write-ahead log: every commit of the head is written here before it is applied, so that after a
// crash the head can be rebuilt by replaying it.
//
// On-disk format
// --------------
// A WAL directory holds:
//   00000001, 00000002, …   segments: a sequence of frames, at most `segmentBytes` each (a commit never
//                           spans two segments; a single commit larger than the limit gets a segment of
//                           its own). Numbers only grow; segments are never appended to after a reopen.
//   checkpoint.00000007/    a checkpoint through segment 7: a directory of segments (00000000, …) in the
//                           same format, holding what replay still needs from segments ≤ 7.
//   checkpoint.N.tmp/       a checkpoint being built; removed on open (a crash interrupted it).
// A frame is `u32 LE length | u32 LE crc32(payload) | u32 LE crc32(previous 8 bytes) | payload`
// (frame.ts); the payload is a record (record.ts: series, samples, tombstones or metadata).
// Replay reads the newest checkpoint, then the segments after it. A damaged frame in the middle of a
// segment is skipped (replay resynchronises on the next frame whose two checksums hold); a damaged tail
// is truncated at the last good frame. Both are logged as warnings, never fatal.
//
// Durability (what a commit promises when its promise resolves)
// ---------------------------------------------------------------
// `log` writes a commit's frames with one synchronous write, so in every policy a commit that returned
// survives a crash of the process (including SIGKILL or an OOM kill): the bytes are in the OS.
// What differs is a crash of the machine (power loss, kernel panic):
//   'always'    commit() resolves only after the segment is fsynced: nothing resolved is lost.
//               Concurrent commits share fsyncs (group commit).
//   'interval'  dirty segments are fsynced every `syncIntervalMs` (default): a power loss loses at most
//               about the last interval of commits.
//   'never'     fsync only when a segment is closed (rotation, cut, close): a power loss can lose
//               everything in the active segment.
// A torn write from a power loss only ever damages a tail, which replay cuts. An fsync failure is
// treated as permanent: from then on log(), commit() and sync() throw, since the kernel may have dropped
// the unsynced pages and no later fsync can prove they reached the disk.

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from './byte-writer.ts';
import { type CheckpointOptions, type CheckpointStats, writeCheckpoint } from './checkpoint.ts';
import { FRAME_HEADER_BYTES, MAX_PAYLOAD_BYTES, writeFrameHeader } from './frame.ts';
import { checkpointName, listDir, segmentName } from './layout.ts';
import { silentLogger, type WalLogger } from './logger.ts';
import { planRead, readLog } from './read-log.ts';
import { decodeRecord, RecordType, type WalVisitor } from './record.ts';
import { type FsyncHook, SegmentWriter } from './segment-writer.ts';

export type { WalLogger };

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface WalOptions {
  /** Segment size limit in bytes (default 64 MiB). */
  segmentBytes?: number;
  /** When to fsync (default 'interval'); see the top of wal.ts for what each guarantees. */
  fsync?: FsyncPolicy;
  /** Period of the 'interval' policy (default 1000 ms). */
  syncIntervalMs?: number;
  logger?: WalLogger;
  /** Called after each completed fsync of a segment. */
  onFsync?: FsyncHook;
}

export interface ReplayStats {
  /** The checkpoint replay started from, or null. */
  checkpoint: number | null;
  /** Segment files read, the checkpoint's included. */
  segments: number;
  records: number;
  series: number;
  samples: number;
  tombstones: number;
  metadata: number;
  /** Damaged records or regions skipped. */
  corruptions: number;
  /** Bytes cut from damaged tails. */
  bytesCut: number;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_SYNC_INTERVAL_MS = 1000;
/** Frame scratch above this size is not kept between commits. */
const KEEP_SCRATCH_BYTES = 4 * 1024 * 1024;

export class Wal {
  readonly dir: string;
  readonly #segmentBytes: number;
  readonly #policy: FsyncPolicy;
  readonly #logger: WalLogger;
  readonly #onFsync: FsyncHook | undefined;
  /** Segment files that exist, ascending (the active one included). */
  #segments: number[];
  #next: number;
  #active: SegmentWriter | null = null;
  /** Closes (fsync + close) of retired segments still running; they never reject. */
  readonly #closing = new Set<Promise<void>>();
  #fsyncError: unknown = null;
  #frames = new ByteWriter(64 * 1024);
  #timer: NodeJS.Timeout | undefined;
  #written = false;
  #closed = false;

  private constructor(dir: string, options: WalOptions) {
    this.dir = dir;
    this.#segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.#policy = options.fsync ?? 'interval';
    this.#logger = options.logger ?? silentLogger;
    this.#onFsync = options.onFsync;
    if (!Number.isInteger(this.#segmentBytes) || this.#segmentBytes < FRAME_HEADER_BYTES + 1)
      throw new RangeError(`segmentBytes ${this.#segmentBytes} is too small`);
    const { segments, checkpoints, temps } = listDir(dir);
    for (const name of temps) {
      rmSync(join(dir, name), { recursive: true, force: true });
      this.#logger.warn({ dir, name }, 'WAL: removed the leftover of an interrupted checkpoint');
    }
    this.#segments = segments;
    this.#next = Math.max(segments.at(-1) ?? 0, checkpoints.at(-1) ?? 0) + 1;
    if (this.#policy === 'interval') {
      const ms = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
      this.#timer = setInterval(() => this.#backgroundSync(), ms);
      this.#timer.unref();
    }
  }

  /** Opens (creating it if needed) the WAL in `dir`. Does not replay; writes go to a new segment. */
  static open(dir: string, options: WalOptions = {}): Wal {
    mkdirSync(dir, { recursive: true });
    return new Wal(dir, options);
  }

  /**
   * Hands every intact record to `visitor`: the newest checkpoint, then the segments after it. Damage is
   * logged and skipped; damaged tails are truncated on disk. Call before the first write.
   */
  replay(visitor: WalVisitor): ReplayStats {
    if (this.#written) throw new Error('WAL: replay must happen before anything is logged');
    const stats: ReplayStats = {
      checkpoint: null,
      segments: 0,
      records: 0,
      series: 0,
      samples: 0,
      tombstones: 0,
      metadata: 0,
      corruptions: 0,
      bytesCut: 0,
    };
    const onPayload = (payload: Buffer) => {
      const n = decodeRecord(payload, visitor);
      switch (payload[0]) {
        case RecordType.Series:
          stats.series += n;
          break;
        case RecordType.Samples:
          stats.samples += n;
          break;
        case RecordType.Tombstones:
          stats.tombstones += n;
          break;
        case RecordType.Metadata:
          stats.metadata += n;
          break;
      }
    };
    const totals = readLog(this.dir, planRead(this.dir), onPayload, this.#logger, true);
    Object.assign(stats, totals);
    this.#logger.info({ dir: this.dir, ...stats }, 'WAL: replayed');
    return stats;
  }

  /**
   * Writes the records of one commit, with one write, to the active segment (a new one when they would
   * not fit). When it returns, the commit survives a process crash; see the policies for power loss.
   */
  log(records: readonly Uint8Array[]): void {
    this.#checkUsable();
    if (records.length === 0) return;
    let total = 0;
    for (const r of records) {
      if (r.length === 0 || r.length > MAX_PAYLOAD_BYTES)
        throw new RangeError(`WAL: record of ${r.length} bytes cannot be framed`);
      total += FRAME_HEADER_BYTES + r.length;
    }
    const w = this.#frames;
    w.reset();
    w.ensure(total);
    for (const r of records) {
      writeFrameHeader(w.buf, w.pos, r);
      w.pos += FRAME_HEADER_BYTES;
      w.bytes(r);
    }
    let seg = this.#active;
    if (seg !== null && seg.size > 0 && seg.size + total > this.#segmentBytes) {
      this.#retire();
      seg = null;
    }
    seg ??= this.#newSegment();
    this.#written = true;
    try {
      seg.write(w.buf, total);
    } catch (e) {
      // The segment may now end in a partial frame: never write after it.
      this.#retire();
      throw e;
    } finally {
      if (w.buf.length > KEEP_SCRATCH_BYTES) this.#frames = new ByteWriter(64 * 1024);
    }
  }

  /** Logs the records, then resolves when the fsync policy's promise holds (see the top of the file). */
  commit(records: readonly Uint8Array[]): Promise<void> {
    try {
      this.log(records);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#policy === 'always' ? this.sync() : Promise.resolve();
  }

  /** Resolves once everything logged before the call is on stable storage. Concurrent calls share fsyncs. */
  async sync(): Promise<void> {
    if (this.#fsyncError !== null) throw this.#fsyncError;
    const waits = [...this.#closing];
    if (this.#active !== null) waits.push(this.#active.sync().catch((e) => this.#failed(e)));
    await Promise.all(waits);
    if (this.#fsyncError !== null) throw this.#fsyncError;
  }

  /** Starts a new segment (closing the active one) and returns its number. */
  cut(): number {
    this.#checkUsable();
    if (this.#active !== null && this.#active.size === 0) return this.#active.number;
    this.#retire();
    return this.#newSegment().number;
  }

  /**
   * Compacts the newest checkpoint and segments ≤ `throughSegment` into `checkpoint.<throughSegment>` and
   * deletes what it replaces (see checkpoint.ts). If the active segment is among them, a new one is cut
   * first. Returns null when there is nothing new to checkpoint. Synchronous: run it off the hot path.
   */
  checkpoint(throughSegment: number, options: CheckpointOptions): CheckpointStats | null {
    const through = this.planCheckpoint(throughSegment);
    if (through === null) return null;
    const stats = writeCheckpoint(this.dir, through, options, this.#segmentBytes, this.#logger);
    this.checkpointed(through);
    return stats;
  }

  /**
   * The first half of {@link checkpoint}, for a checkpoint written elsewhere (another thread, with
   * writeCheckpoint): the last segment it may cover, cutting the active one if it is among them, or
   * null when there is nothing new. Segments ≤ the answer are closed and no longer written here.
   */
  planCheckpoint(throughSegment: number): number | null {
    this.#checkUsable();
    if (this.#active !== null && this.#active.number <= throughSegment) this.cut();
    const closed = this.#segments.filter((n) => n <= throughSegment && n !== this.#active?.number);
    const through = closed.at(-1);
    const { checkpoints } = listDir(this.dir);
    if (through === undefined || through <= (checkpoints.at(-1) ?? 0)) return null;
    return through;
  }

  /** The second half of {@link checkpoint}: `checkpoint.<through>` is written and the segments it covers are gone. */
  checkpointed(through: number): void {
    this.#segments = this.#segments.filter((n) => n > through);
  }

  /** Largest segment file (bytes); a checkpoint written elsewhere uses the same. */
  get segmentBytes(): number {
    return this.#segmentBytes;
  }

  /** First and last segment numbers on disk (the active one included), or null when there are none. */
  segmentRange(): { first: number; last: number } | null {
    if (this.#segments.length === 0) return null;
    return { first: this.#segments[0], last: this.#segments[this.#segments.length - 1] };
  }

  /** Bytes on disk: segments and the newest checkpoint. */
  sizeBytes(): number {
    let total = 0;
    const { segments, checkpoints } = listDir(this.dir);
    // A checkpoint being written in another thread may delete what was just listed: gone is 0 bytes.
    for (const n of segments) total += sizeOrZero(join(this.dir, segmentName(n)));
    const cp = checkpoints.at(-1);
    if (cp !== undefined) {
      const cpDir = join(this.dir, checkpointName(cp));
      for (const name of readdirIfExists(cpDir)) total += sizeOrZero(join(cpDir, name));
    }
    return total;
  }

  /** Stops the timer, fsyncs and closes every segment. Rejects if an fsync failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#retire();
    await Promise.all([...this.#closing]);
    if (this.#fsyncError !== null) throw this.#fsyncError;
  }

  #checkUsable(): void {
    if (this.#closed) throw new Error('WAL is closed');
    if (this.#fsyncError !== null) throw this.#fsyncError;
  }

  #newSegment(): SegmentWriter {
    const seg = SegmentWriter.create(this.dir, this.#next, this.#onFsync);
    this.#next++;
    this.#segments.push(seg.number);
    this.#active = seg;
    return seg;
  }

  /** Detaches the active segment and closes it in the background; sync() and close() wait for it. */
  #retire(): void {
    const seg = this.#active;
    if (seg === null) return;
    this.#active = null;
    const p: Promise<void> = seg.close().then(
      () => {
        this.#closing.delete(p);
      },
      (e) => {
        this.#closing.delete(p);
        this.#failed(e);
      },
    );
    this.#closing.add(p);
  }

  #failed(e: unknown): void {
    if (this.#fsyncError !== null) return;
    this.#fsyncError = e;
    this.#logger.warn({ dir: this.dir, err: String(e) }, 'WAL: fsync failed; refusing further writes');
  }

  #backgroundSync(): void {
    if (this.#active?.dirty || this.#closing.size > 0) this.sync().catch(() => {});
  }
}

function sizeOrZero(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function readdirIfExists(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
