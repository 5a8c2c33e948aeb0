// Shared test helpers: temp dirs, a logger that remembers, and a visitor that turns replay into a
// comparable list of events (values as raw bits, so NaN payloads are compared exactly).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import type { WalLogger, WalVisitor } from '../../../src/tsdb/wal/index.ts';

export type Event =
  | readonly ['series', number, string]
  | readonly ['sample', number, number, number, number]
  | readonly ['tombstone', number, number, number]
  | readonly ['metadata', string, string, string, string];

/** A visitor recording every entry, and the events it recorded. */
export function collector(): { visitor: WalVisitor; events: Event[] } {
  const events: Event[] = [];
  const visitor: WalVisitor = {
    series: (ref, labels) => events.push(['series', ref, labels.key]),
    sample: (ref, t, v) => events.push(['sample', ref, t, hiBits(v), loBits(v)]),
    tombstone: (ref, minT, maxT) => events.push(['tombstone', ref, minT, maxT]),
    metadata: (m) => events.push(['metadata', m.metricFamily, m.type, m.help, m.unit]),
  };
  return { visitor, events };
}

export interface LogEntry {
  readonly level: 'warn' | 'info';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

export function memoryLogger(): WalLogger & { entries: LogEntry[]; warnings(): LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    warn: (obj, msg) => entries.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj, msg) => entries.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warnings: () => entries.filter((e) => e.level === 'warn'),
  };
}

/** A fresh temp dir; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'telemux-wal-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` with a fresh temp dir that is removed afterwards, whatever happens. */
export async function withDir<T>(fn: (dir: string) => T | Promise<T>): Promise<T> {
  const { dir, cleanup } = tempDir();
  try {
    return await fn(dir);
  } finally {
    cleanup();
  }
}
