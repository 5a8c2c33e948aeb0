// Names of the files in a WAL directory: numbered segments, checkpoint directories, and the temporary
// names checkpoints are built under before an atomic rename makes them visible.

import { readdirSync } from 'node:fs';

const SEGMENT = /^\d{8,}$/;
const CHECKPOINT = /^checkpoint\.(\d{8,})$/;
const CHECKPOINT_TMP = /^checkpoint\.\d{8,}\.tmp$/;

export function segmentName(n: number): string {
  return String(n).padStart(8, '0');
}

export function checkpointName(n: number): string {
  return `checkpoint.${segmentName(n)}`;
}

export function checkpointTmpName(n: number): string {
  return `${checkpointName(n)}.tmp`;
}

export interface DirListing {
  /** Segment numbers, ascending. */
  readonly segments: number[];
  /** Numbers of complete checkpoints, ascending. */
  readonly checkpoints: number[];
  /** Leftovers of checkpoints a crash interrupted. */
  readonly temps: string[];
}

export function listDir(dir: string): DirListing {
  const segments: number[] = [];
  const checkpoints: number[] = [];
  const temps: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SEGMENT.test(name)) segments.push(Number(name));
    else if (CHECKPOINT_TMP.test(name)) temps.push(name);
    else {
      const m = CHECKPOINT.exec(name);
      if (m) checkpoints.push(Number(m[1]));
    }
  }
  segments.sort((a, b) => a - b);
  checkpoints.sort((a, b) => a - b);
  return { segments, checkpoints, temps };
}
