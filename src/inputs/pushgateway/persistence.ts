// Persistence of the push groups across restarts: the whole store as one JSON document, written to
// `<file>.tmp-<pid>-<n>` and renamed over the file (an atomic replace), at most once per interval
// after a change and once more at shutdown, and read back at start. Like the Pushgateway, a crash
// loses at most the changes of the last interval.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Bucket, Metric, MetricFamily, Quantile } from '../../format/exposition/family.ts';
import { Labels } from '../../model/labels.ts';
import { isMetricType } from '../../model/metadata.ts';
import { groupingKey } from './grouping.ts';
import type { PushGroup, PushGroupStore, StoredFamily } from './store.ts';

const FORMAT_VERSION = 1;

/** A number that survives JSON: non-finite values as strings. */
type Num = number | string;
const num = (v: number): Num => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');
function unnum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  throw new Error(`bad number ${JSON.stringify(v)}`);
}

interface PersistedMetric {
  l: [string, string][];
  v?: Num;
  c?: Num;
  s?: Num;
  b?: [Num, Num][];
  q?: [Num, Num][];
}

interface PersistedGroup {
  labels: Record<string, string>;
  pushTimeMs: number;
  failureTimeMs: number;
  ttlMs: number;
  families: {
    pushedAtMs: number;
    name: string;
    type: string;
    help: string;
    unit: string;
    metrics: PersistedMetric[];
  }[];
}

export function serializeGroups(groups: readonly PushGroup[]): string {
  const out: PersistedGroup[] = groups.map((g) => ({
    labels: { ...g.labels },
    pushTimeMs: g.pushTimeMs,
    failureTimeMs: g.failureTimeMs,
    ttlMs: g.ttlMs,
    families: [...g.families.values()].map(({ family: f, pushedAtMs }) => ({
      pushedAtMs,
      name: f.name,
      type: f.type,
      help: f.help,
      unit: f.unit,
      metrics: f.metrics.map((m) => {
        const pm: PersistedMetric = { l: m.labels.pairs.map((p) => [p.name, p.value]) };
        if (m.value !== undefined) pm.v = num(m.value);
        if (m.count !== undefined) pm.c = num(m.count);
        if (m.sum !== undefined) pm.s = num(m.sum);
        if (m.buckets) pm.b = m.buckets.map((b) => [num(b.upperBound), num(b.cumulativeCount)]);
        if (m.quantiles) pm.q = m.quantiles.map((q) => [num(q.quantile), num(q.value)]);
        return pm;
      }),
    })),
  }));
  return JSON.stringify({ version: FORMAT_VERSION, groups: out });
}

export function deserializeGroups(text: string): PushGroup[] {
  const doc = JSON.parse(text) as { version?: unknown; groups?: PersistedGroup[] };
  if (doc.version !== FORMAT_VERSION || !Array.isArray(doc.groups))
    throw new Error(`unknown persistence format (version ${JSON.stringify(doc.version)})`);
  return doc.groups.map((g) => {
    const families = new Map<string, StoredFamily>();
    for (const f of g.families) {
      if (!isMetricType(f.type)) throw new Error(`bad metric type ${JSON.stringify(f.type)}`);
      const metrics: Metric[] = f.metrics.map((pm) => {
        const m: { -readonly [K in keyof Metric]: Metric[K] } = {
          labels: Labels.fromSorted(pm.l.map(([name, value]) => ({ name, value }))),
        };
        if (pm.v !== undefined) m.value = unnum(pm.v);
        if (pm.c !== undefined) m.count = unnum(pm.c);
        if (pm.s !== undefined) m.sum = unnum(pm.s);
        if (pm.b)
          m.buckets = pm.b.map(([u, c]): Bucket => ({ upperBound: unnum(u), cumulativeCount: unnum(c) }));
        if (pm.q) m.quantiles = pm.q.map(([q, v]): Quantile => ({ quantile: unnum(q), value: unnum(v) }));
        return m;
      });
      const family: MetricFamily = { name: f.name, type: f.type, help: f.help, unit: f.unit, metrics };
      families.set(f.name, { family, pushedAtMs: f.pushedAtMs });
    }
    const ttlMs = g.ttlMs ?? 0;
    const last = Math.max(g.pushTimeMs, g.failureTimeMs);
    return {
      key: groupingKey(g.labels),
      labels: g.labels,
      families,
      pushTimeMs: g.pushTimeMs,
      failureTimeMs: g.failureTimeMs,
      ttlMs,
      expiresAtMs: ttlMs > 0 ? last + ttlMs : Number.POSITIVE_INFINITY,
    };
  });
}

let tmpCounter = 0;

/** Write the store to `file` atomically (temp file + rename). */
export async function writeSnapshot(store: PushGroupStore, file: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${tmpCounter++}`;
  try {
    await writeFile(tmp, serializeGroups(store.groups()), { flush: true });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Load `file` into the store; a missing file is an empty store. Returns the number of groups. */
export async function loadSnapshot(store: PushGroupStore, file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const groups = deserializeGroups(text);
  store.restore(groups);
  return groups.length;
}

export interface PersistenceOptions {
  readonly file: string;
  readonly intervalMs: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Writes the store at most once per interval while it changes, and on {@link close}. Call
 * {@link start} after {@link loadSnapshot}.
 */
export class PushPersistence {
  readonly #store: PushGroupStore;
  readonly #opts: PersistenceOptions;
  #timer: NodeJS.Timeout | undefined;
  #writtenVersion = -1;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: PushGroupStore, opts: PersistenceOptions) {
    this.#store = store;
    this.#opts = opts;
  }

  start(): void {
    this.#writtenVersion = this.#store.version;
    this.#timer = setInterval(
      () => void this.flush().catch((e) => this.#opts.onError?.(e)),
      this.#opts.intervalMs,
    );
    this.#timer.unref();
  }

  /** Write now if anything changed since the last write. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      const version = this.#store.version;
      if (version === this.#writtenVersion) return;
      await writeSnapshot(this.#store, this.#opts.file);
      this.#writtenVersion = version;
    });
    return this.#writing;
  }

  /** Stop the timer and write a final snapshot. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
