// Which blocks to compact next (own take on Prometheus' leveled planner). Overlapping blocks are
// always merged first, since queries over them pay for the overlap. Otherwise, for each range after
// the first (e.g. [2h, 6h, 18h, …], ascending; the last is the largest block ever built), blocks are
// grouped by the aligned window of that size they fall in, and the first window holding two or more
// blocks that is complete — fully covered, or with newer data after it — is chosen.

import type { TimeRange } from '../storage.ts';

export interface PlannableMeta extends TimeRange {
  readonly id: string;
}

/** The metas to compact together, in time order; empty when there is nothing to do. */
export function planCompaction<M extends PlannableMeta>(metas: readonly M[], ranges: readonly number[]): M[] {
  const sorted = [...metas].sort((a, b) => a.minT - b.minT || a.maxT - b.maxT || (a.id < b.id ? -1 : 1));
  const overlapping = firstOverlap(sorted);
  if (overlapping.length > 0) return overlapping;
  if (sorted.length < 2) return [];
  const newest = sorted[sorted.length - 1].maxT;
  for (const range of ranges.slice(1)) {
    if (!(range > 0) || !Number.isSafeInteger(range)) throw new RangeError(`bad compaction range ${range}`);
    for (const group of byWindow(sorted, range)) {
      if (group.blocks.length < 2) continue;
      const first = group.blocks[0];
      const last = group.blocks[group.blocks.length - 1];
      const full = first.minT === group.start && last.maxT === group.start + range - 1;
      if (full || newest > group.start + range - 1) return group.blocks;
    }
  }
  return [];
}

/** The first chain of blocks whose closed time ranges overlap, or none. */
function firstOverlap<M extends PlannableMeta>(sorted: readonly M[]): M[] {
  for (let i = 0; i < sorted.length - 1; i++) {
    let maxT = sorted[i].maxT;
    let j = i + 1;
    while (j < sorted.length && sorted[j].minT <= maxT) maxT = Math.max(maxT, sorted[j++].maxT);
    if (j > i + 1) return sorted.slice(i, j);
  }
  return [];
}

/** Blocks that lie wholly inside one aligned window [k·range, (k+1)·range − 1], window by window. */
function byWindow<M extends PlannableMeta>(
  sorted: readonly M[],
  range: number,
): { start: number; blocks: M[] }[] {
  const out: { start: number; blocks: M[] }[] = [];
  for (const m of sorted) {
    const start = Math.floor(m.minT / range) * range;
    // A block crossing the window edge (or already as large) is left alone at this range.
    if (m.maxT > start + range - 1) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.start === start) last.blocks.push(m);
    else out.push({ start, blocks: [m] });
  }
  return out;
}
