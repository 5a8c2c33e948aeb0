// Reading the log as replay and checkpointing see it: the newest complete checkpoint first, then the
// segments after it, in order. Segments a checkpoint already covers are skipped even if a crash left
// them undeleted.

import { join } from 'node:path';
import { checkpointName, listDir, segmentName } from './layout.ts';
import type { WalLogger } from './logger.ts';
import { readSegment } from './segment-reader.ts';

export interface ReadTotals {
  /** The checkpoint read first, or null. */
  checkpoint: number | null;
  /** Segment files read (the checkpoint's included). */
  segments: number;
  records: number;
  corruptions: number;
  bytesCut: number;
}

export interface ReadPlan {
  readonly checkpoint: number | null;
  /** WAL segments to read after the checkpoint, ascending. */
  readonly segments: readonly number[];
}

/** The newest checkpoint and the segments after it, up to `through` (inclusive). */
export function planRead(dir: string, through = Number.POSITIVE_INFINITY): ReadPlan {
  const { segments, checkpoints } = listDir(dir);
  const checkpoint = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1] : null;
  const after = checkpoint ?? 0;
  return { checkpoint, segments: segments.filter((n) => n > after && n <= through) };
}

/**
 * Calls `onPayload` for every intact record of the plan. With `repair`, damaged tails of WAL segments are
 * truncated on disk (checkpoints are never modified).
 */
export function readLog(
  dir: string,
  plan: ReadPlan,
  onPayload: (payload: Buffer) => void,
  logger: WalLogger,
  repair: boolean,
): ReadTotals {
  const totals: ReadTotals = {
    checkpoint: plan.checkpoint,
    segments: 0,
    records: 0,
    corruptions: 0,
    bytesCut: 0,
  };
  const add = (path: string, name: string, fix: boolean) => {
    const scan = readSegment(path, name, onPayload, logger, fix);
    totals.segments++;
    totals.records += scan.records;
    totals.corruptions += scan.corruptions;
    totals.bytesCut += scan.bytesCut;
  };
  if (plan.checkpoint !== null) {
    const cpName = checkpointName(plan.checkpoint);
    const cpDir = join(dir, cpName);
    for (const n of listDir(cpDir).segments)
      add(join(cpDir, segmentName(n)), `${cpName}/${segmentName(n)}`, false);
  }
  let expected = plan.checkpoint === null ? null : plan.checkpoint + 1;
  for (const n of plan.segments) {
    if (expected !== null && n !== expected)
      logger.warn({ expected: segmentName(expected), found: segmentName(n) }, 'WAL: segments missing');
    add(join(dir, segmentName(n)), segmentName(n), repair);
    expected = n + 1;
  }
  return totals;
}
