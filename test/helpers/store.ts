// Helpers for tests of the embedded store: a temporary directory per test, and a store's whole
// content as comparable rows (values as bit patterns, so NaN payloads and -0 count).

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { float64Bits } from '../../src/model/staleness.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';
import type { DbOptions } from '../../src/tsdb/db/options.ts';

/** Every series readable in [minT, maxT], by its label text: [timestamp, value bits] rows. */
export function dump(
  db: TimeSeriesDb,
  minT = 0,
  maxT = Number.MAX_SAFE_INTEGER,
): Map<string, [number, bigint][]> {
  const out = new Map<string, [number, bigint][]>();
  for (const s of db.querier(minT, maxT).select([])) {
    const rows: [number, bigint][] = [];
    const it = s.iterator();
    while (it.next()) rows.push([it.t, float64Bits(it.v)]);
    if (rows.length > 0) out.set(s.labels.toString(), rows);
  }
  return out;
}

/** Runs `body` with a fresh directory for a store, removed afterwards whatever happens. */
export async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-store-'));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Closes `db`, opens the store again (in this thread, no workers) and returns what it reads. */
export async function reopenedDump(
  db: TimeSeriesDb,
  opts: DbOptions,
): Promise<Map<string, [number, bigint][]>> {
  await db.close();
  const again = TimeSeriesDb.open(opts);
  try {
    return dump(again);
  } finally {
    await again.close();
  }
}
