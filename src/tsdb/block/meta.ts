// meta.json: what a block holds, readable without opening its index.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BlockCorruptError } from './errors.ts';
import { META_FILE } from './format.ts';

export interface BlockStats {
  readonly numSeries: number;
  readonly numChunks: number;
  readonly numSamples: number;
}

/** Set on blocks of a downsampled tier. */
export interface RollupMeta {
  readonly tier: string;
  readonly resolutionMs: number;
}

export interface BlockMeta {
  readonly version: 1;
  readonly id: string;
  /** Time range covered, both ends included (like {@link TimeRange}). */
  readonly minT: number;
  readonly maxT: number;
  readonly stats: BlockStats;
  /** 1 for a block cut from the head; a compacted block is one more than its highest source. */
  readonly level: number;
  /** Ids of the level-1 blocks whose data this block holds (itself when level 1). */
  readonly sources: readonly string[];
  readonly rollup?: RollupMeta;
}

/** Caller-chosen parts of the meta. */
export interface ExtraMeta {
  readonly level?: number;
  readonly sources?: readonly string[];
  readonly rollup?: RollupMeta;
}

export function encodeMeta(meta: BlockMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

export function readMeta(dir: string): BlockMeta {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, META_FILE), 'utf8');
  } catch (e) {
    throw new BlockCorruptError(META_FILE, `unreadable: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BlockCorruptError(META_FILE, `invalid JSON: ${(e as Error).message}`);
  }
  const problem = metaProblem(raw);
  if (problem !== undefined) throw new BlockCorruptError(META_FILE, problem);
  return raw as BlockMeta;
}

function isInt(x: unknown): x is number {
  return Number.isSafeInteger(x);
}

function metaProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const m = raw as Record<string, unknown>;
  if (m.version !== 1) return `unsupported version ${String(m.version)}`;
  if (typeof m.id !== 'string') return 'missing id';
  if (!isInt(m.minT) || !isInt(m.maxT) || m.minT > m.maxT) return 'bad minT/maxT';
  const s = m.stats as Record<string, unknown> | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    !isInt(s.numSeries) ||
    !isInt(s.numChunks) ||
    !isInt(s.numSamples)
  )
    return 'bad stats';
  if (!isInt(m.level) || m.level < 1) return 'bad level';
  if (!Array.isArray(m.sources) || !m.sources.every((x) => typeof x === 'string')) return 'bad sources';
  if (m.rollup !== undefined) {
    const r = m.rollup as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || typeof r.tier !== 'string' || !isInt(r.resolutionMs))
      return 'bad rollup';
  }
  return undefined;
}
