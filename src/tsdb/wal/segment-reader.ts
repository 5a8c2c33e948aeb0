// Reading one segment file frame by frame, surviving damage: a bad frame in the middle is skipped by
// resynchronising on the next frame whose two checksums hold; a bad tail (a write torn by a crash, or
// zeros from a filesystem that extended the file but never wrote it) is cut at the last good frame.
// Either way only the damaged records are lost, and the damage is logged, never thrown.

import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { WalCorruptError } from './errors.ts';
import { checkFrame, FRAME_HEADER_BYTES, findNextFrame, isZero } from './frame.ts';
import type { WalLogger } from './logger.ts';

export interface SegmentScan {
  /** Records handed to the callback (including ones whose payload then failed to decode). */
  records: number;
  /** Damaged regions skipped in the middle, plus payloads that failed to decode. */
  corruptions: number;
  /** Bytes dropped from the tail. */
  bytesCut: number;
}

/**
 * Calls `onPayload` for each intact record of the segment at `path`. A WalCorruptError thrown by
 * `onPayload` counts as a corrupt record; other errors propagate. With `repair`, a damaged tail is
 * truncated away on disk, so that the file ends at its last good record.
 */
export function readSegment(
  path: string,
  segment: string,
  onPayload: (payload: Buffer) => void,
  logger: WalLogger,
  repair: boolean,
): SegmentScan {
  const buf = readFileSync(path);
  const scan: SegmentScan = { records: 0, corruptions: 0, bytesCut: 0 };
  let pos = 0;
  while (pos < buf.length) {
    const len = checkFrame(buf, pos);
    if (typeof len === 'number') {
      const start = pos + FRAME_HEADER_BYTES;
      scan.records++;
      try {
        onPayload(buf.subarray(start, start + len));
      } catch (e) {
        if (!(e instanceof WalCorruptError)) throw e;
        scan.corruptions++;
        logger.warn({ segment, offset: pos, reason: e.message }, 'WAL: skipping undecodable record');
      }
      pos = start + len;
      continue;
    }
    const next = findNextFrame(buf, pos + 1);
    if (next < 0) {
      const reason = isZero(buf, pos, buf.length) ? 'zero-filled tail' : len;
      scan.bytesCut = buf.length - pos;
      logger.warn(
        { segment, offset: pos, reason, bytesCut: scan.bytesCut, repaired: repair },
        'WAL: cutting damaged tail of segment at last good record',
      );
      if (repair) truncateFile(path, pos);
      break;
    }
    scan.corruptions++;
    logger.warn(
      { segment, offset: pos, reason: len, skippedBytes: next - pos },
      'WAL: skipping corrupt record(s), resynchronised on the next intact one',
    );
    pos = next;
  }
  return scan;
}

function truncateFile(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, size);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
