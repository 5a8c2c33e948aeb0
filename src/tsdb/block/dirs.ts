// Finding blocks in a data directory. A `<id>.tmp` directory is a write that never finished (the
// rename is the commit point), so it is never listed and can be removed at startup.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TMP_SUFFIX } from './format.ts';
import { isBlockId } from './ids.ts';

/** Paths of the complete blocks under `parentDir`, oldest id first. */
export function listBlockDirs(parentDir: string): string[] {
  return entries(parentDir)
    .filter((e) => e.isDirectory() && isBlockId(e.name))
    .map((e) => e.name)
    .sort()
    .map((n) => path.join(parentDir, n));
}

/** Removes leftover temp directories of interrupted writes; returns their paths. */
export function removeTmpDirs(parentDir: string): string[] {
  const removed: string[] = [];
  for (const e of entries(parentDir)) {
    if (!e.isDirectory() || !e.name.endsWith(TMP_SUFFIX)) continue;
    if (!isBlockId(e.name.slice(0, -TMP_SUFFIX.length))) continue;
    const p = path.join(parentDir, e.name);
    fs.rmSync(p, { recursive: true, force: true });
    removed.push(p);
  }
  return removed;
}

/** Removes block `id` under `parentDir`, complete or half-written (a write whose outcome is unknown). */
export function removeBlockDir(parentDir: string, id: string): void {
  fs.rmSync(path.join(parentDir, id), { recursive: true, force: true });
  fs.rmSync(path.join(parentDir, id + TMP_SUFFIX), { recursive: true, force: true });
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
