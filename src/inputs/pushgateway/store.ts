// The push-group store: groups of metric families keyed by grouping labels (`job` plus the path's
// pairs), with the Pushgateway's semantics — PUT replaces a group, POST replaces the families of the
// names it carries, every pushed series gets the grouping labels (overriding its own) and
// `instance=""` when it has no instance, and each group exposes `push_time_seconds` and
// `push_failure_time_seconds`. A push is checked for consistency against every other group before it
// is applied (same type per name across groups, no duplicate series, no timestamps, valid names, no
// `_count`/`_sum`/`_bucket` collisions), like the Pushgateway's gather of a copy of the store, but
// only the families the push touches are looked at, so a push costs what it carries rather than what
// the store holds. A failed check records `push_failure_time_seconds` (creating the group if needed).
//
// Extensions: a TTL per group (expired groups vanish from every view), atomic pushes of several
// groups, deletion by label matchers and an O(1) wipe.

import type { Collector, Metric, MetricFamily } from '../../format/exposition/family.ts';
import { formatGoFloat as formatValue } from '../../format/exposition/numbers.ts';
import { type Label, Labels } from '../../model/labels.ts';
import type { MetricType } from '../../model/metadata.ts';
import { isLegacyLabelName, isLegacyMetricName, isReservedLabelName } from '../../model/names.ts';
import type { Matcher } from '../../tsdb/index/matcher.ts';
import { type GroupingLabels, groupingKey } from './grouping.ts';

export const PUSH_TIME_METRIC = 'push_time_seconds';
export const PUSH_FAILURE_TIME_METRIC = 'push_failure_time_seconds';
const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
const PUSH_FAILURE_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';

/** Why a push was refused (→ 400). The message is what the Pushgateway would say, in spirit. */
export class PushConsistencyError extends Error {}

export type PushMethod = 'PUT' | 'POST';

export interface PushRequest {
  readonly labels: GroupingLabels;
  readonly method: PushMethod;
  readonly families: readonly MetricFamily[];
  /** Group TTL in ms from this push; 0 = never expires; undefined = the store's default. */
  readonly ttlMs?: number;
}

export interface StoredFamily {
  readonly family: MetricFamily;
  /** When this family was last pushed (ms since the epoch). */
  readonly pushedAtMs: number;
}

export interface PushGroup {
  readonly key: string;
  /** Grouping labels, sorted by name. */
  readonly labels: GroupingLabels;
  readonly families: ReadonlyMap<string, StoredFamily>;
  /** Last successful change, ms since the epoch; 0 = never. */
  readonly pushTimeMs: number;
  /** Last failed change, ms since the epoch; 0 = never. */
  readonly failureTimeMs: number;
  /** 0 = never expires. */
  readonly ttlMs: number;
  /** When the group expires (ms), Infinity when it does not. */
  readonly expiresAtMs: number;
}

export interface PushGroupStoreOptions {
  /** Clock in ms since the epoch (injectable for tests). */
  readonly now?: () => number;
  /** TTL for groups pushed without one; 0 = never expire. */
  readonly defaultTtlMs?: number;
  /** Called after each change (e.g. to update self-metrics). */
  readonly onChange?: () => void;
}

interface MutableGroup {
  key: string;
  labels: GroupingLabels;
  families: Map<string, StoredFamily>;
  pushTimeMs: number;
  failureTimeMs: number;
  ttlMs: number;
}

const PREFIX = 'pushed metrics are invalid or inconsistent with existing metrics: ';

export class PushGroupStore implements Collector {
  readonly #groups = new Map<string, MutableGroup>();
  /** family name → keys of the groups that have it (for the consistency check). */
  readonly #byName = new Map<string, Set<string>>();
  /**
   * family name → series (labels key) → the group exposing it: a push is checked against the
   * series it adds, not against every group (the real Pushgateway gathers everything on each push,
   * which is why its pushes slow down as groups accumulate).
   */
  readonly #owners = new Map<string, Map<string, string>>();
  /** Earliest time a group with a TTL expires (Infinity when none has one): expiry is skipped before. */
  #nextExpiry = Number.POSITIVE_INFINITY;
  readonly #now: () => number;
  readonly #defaultTtlMs: number;
  readonly #onChange: (() => void) | undefined;
  #version = 0;
  #cache: { version: number; families: MetricFamily[] } | undefined;

  constructor(opts: PushGroupStoreOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#defaultTtlMs = opts.defaultTtlMs ?? 0;
    this.#onChange = opts.onChange;
  }

  /** Increases on every change (for persistence). */
  get version(): number {
    return this.#version;
  }

  get defaultTtlMs(): number {
    return this.#defaultTtlMs;
  }

  /** Apply one push; throws {@link PushConsistencyError} (and records the failure) if it is refused. */
  push(req: PushRequest): void {
    this.pushMany([req]);
  }

  /**
   * Apply several pushes atomically: all are checked (each against the store with the earlier ones
   * applied) before any is applied. On failure nothing changes except the failure time of the
   * group that failed; the error message names it when there is more than one.
   */
  pushMany(reqs: readonly PushRequest[]): void {
    this.expire();
    const now = this.#now();
    const staged = new Map<string, MutableGroup>();
    for (let i = 0; i < reqs.length; i++) {
      const req = reqs[i];
      const key = groupingKey(req.labels);
      try {
        const base = staged.get(key) ?? this.#groups.get(key);
        const next = this.#prepare(req, key, base, now);
        this.#check(next, staged);
        staged.set(key, next);
      } catch (err) {
        if (!(err instanceof PushConsistencyError)) throw err;
        this.#recordFailure(req, key, now);
        const where = reqs.length > 1 ? `group ${i} (${describeGroup(req.labels)}): ` : '';
        throw new PushConsistencyError(`${where}${err.message}`);
      }
    }
    for (const [key, group] of staged) this.#put(key, group);
    this.#changed();
  }

  /** Delete a group by its exact grouping labels; false when there was none. */
  delete(labels: GroupingLabels): boolean {
    const key = groupingKey(labels);
    if (!this.#groups.has(key)) return false;
    this.#remove(key);
    this.#changed();
    return true;
  }

  /**
   * Delete every group whose grouping labels (plus `instance=""` when it has none, as its series
   * show) match all the matchers. Returns how many were deleted.
   */
  deleteMatching(matchers: readonly Matcher[]): number {
    let n = 0;
    for (const g of [...this.#groups.values()]) {
      if (matchers.every((m) => m.matches(g.labels[m.name] ?? ''))) {
        this.#remove(g.key);
        n++;
      }
    }
    if (n > 0) this.#changed();
    return n;
  }

  /** Delete all groups at once. Returns how many there were. */
  wipe(): number {
    const n = this.#groups.size;
    this.#groups.clear();
    this.#byName.clear();
    this.#owners.clear();
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    if (n > 0) this.#changed();
    return n;
  }

  /** Drop groups whose TTL has run out; returns how many. */
  expire(): number {
    const now = this.#now();
    if (now < this.#nextExpiry) return 0;
    let n = 0;
    let next = Number.POSITIVE_INFINITY;
    for (const g of [...this.#groups.values()]) {
      const at = expiresAt(g);
      if (at <= now) {
        this.#remove(g.key);
        n++;
      } else if (at < next) next = at;
    }
    this.#nextExpiry = next;
    if (n > 0) this.#changed();
    return n;
  }

  /** The live groups, sorted by grouping labels. */
  groups(): PushGroup[] {
    this.expire();
    return [...this.#groups.values()]
      .sort((a, b) => compareKeys(a.labels, b.labels))
      .map((g) => ({ ...g, expiresAtMs: expiresAt(g) }));
  }

  get size(): number {
    return this.#groups.size;
  }

  /** All groups' families merged by name, with the synthetic push-time gauges; sorted by name. */
  *collect(): Iterable<MetricFamily> {
    this.expire();
    if (this.#cache?.version !== this.#version) {
      this.#cache = { version: this.#version, families: this.#merge() };
    }
    yield* this.#cache.families;
  }

  /** For persistence: replace the contents with groups loaded from disk (no checks: they passed them). */
  restore(groups: readonly PushGroup[]): void {
    this.#groups.clear();
    this.#byName.clear();
    this.#owners.clear();
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    for (const g of groups) {
      this.#put(g.key, {
        key: g.key,
        labels: g.labels,
        families: new Map(g.families),
        pushTimeMs: g.pushTimeMs,
        failureTimeMs: g.failureTimeMs,
        ttlMs: g.ttlMs,
      });
    }
    this.#changed();
  }

  #changed(): void {
    this.#version++;
    this.#onChange?.();
  }

  #put(key: string, group: MutableGroup): void {
    const old = this.#groups.get(key);
    if (old !== undefined) this.#unindex(old);
    this.#groups.set(key, group);
    for (const [name, stored] of group.families) {
      let set = this.#byName.get(name);
      if (set === undefined) {
        set = new Set();
        this.#byName.set(name, set);
      }
      set.add(key);
      let owners = this.#owners.get(name);
      if (owners === undefined) {
        owners = new Map();
        this.#owners.set(name, owners);
      }
      for (const m of stored.family.metrics) owners.set(m.labels.key, key);
    }
    const at = expiresAt(group);
    if (at < this.#nextExpiry) this.#nextExpiry = at;
  }

  #unindex(g: MutableGroup): void {
    for (const [name, stored] of g.families) {
      const set = this.#byName.get(name);
      set?.delete(g.key);
      if (set?.size === 0) this.#byName.delete(name);
      const owners = this.#owners.get(name);
      if (owners === undefined) continue;
      for (const m of stored.family.metrics)
        if (owners.get(m.labels.key) === g.key) owners.delete(m.labels.key);
      if (owners.size === 0) this.#owners.delete(name);
    }
  }

  #remove(key: string): void {
    const old = this.#groups.get(key);
    if (old === undefined) return;
    this.#unindex(old);
    this.#groups.delete(key);
  }

  /**
   * Record a refused push of the group (sets `push_failure_time_seconds`, creating the group if
   * needed), for refusals decided outside the store (duplicate samples the parser dropped).
   */
  recordFailure(labels: GroupingLabels, ttlMs?: number): void {
    this.#recordFailure({ labels, method: 'PUT', families: [], ttlMs }, groupingKey(labels), this.#now());
  }

  #recordFailure(req: PushRequest, key: string, now: number): void {
    const g = this.#groups.get(key);
    if (g !== undefined) g.failureTimeMs = now;
    else
      this.#put(key, {
        key,
        labels: sortedRecord(req.labels),
        families: new Map(),
        pushTimeMs: 0,
        failureTimeMs: now,
        ttlMs: req.ttlMs ?? this.#defaultTtlMs,
      });
    this.#changed();
  }

  /** The group as it would be after the push (validated family by family, not yet cross-checked). */
  #prepare(req: PushRequest, key: string, base: MutableGroup | undefined, now: number): MutableGroup {
    for (const f of req.families)
      for (const m of f.metrics)
        if (m.timestampMs !== undefined)
          throw new PushConsistencyError(`${PREFIX}pushed metrics must not have timestamps`);
    const families = new Map<string, StoredFamily>(req.method === 'POST' && base ? base.families : []);
    const seen = new Set<string>();
    for (const f of req.families) {
      // The synthetic gauges override pushed families of the same name.
      if (f.name === PUSH_TIME_METRIC || f.name === PUSH_FAILURE_TIME_METRIC) continue;
      if (seen.has(f.name))
        throw new PushConsistencyError(
          `${PREFIX}metric family ${JSON.stringify(f.name)} appears twice in the push`,
        );
      seen.add(f.name);
      const family = sanitizeFamily(f, req.labels);
      families.set(f.name, { family, pushedAtMs: now });
    }
    return {
      key,
      labels: sortedRecord(req.labels),
      families,
      pushTimeMs: now,
      failureTimeMs: base?.failureTimeMs ?? 0,
      ttlMs: req.ttlMs ?? base?.ttlMs ?? this.#defaultTtlMs,
    };
  }

  /**
   * Cross-check the families of `next` against the other groups (staged ones win over stored):
   * the same type as any other group exposing the family (they all agree, so one is asked), no
   * series another group already exposes, no histogram/summary suffix collisions.
   */
  #check(next: MutableGroup, staged: ReadonlyMap<string, MutableGroup>): void {
    /** A non-empty family of that name in another group, or undefined. */
    const other = (name: string): MetricFamily | undefined => {
      for (const [k, g] of staged) {
        if (k === next.key) continue;
        const f = g.families.get(name)?.family;
        if (f !== undefined && f.metrics.length > 0) return f;
      }
      for (const k of this.#byName.get(name) ?? []) {
        if (k === next.key || staged.has(k)) continue;
        const f = this.#groups.get(k)?.families.get(name)?.family;
        // A family without series is not exposed (client_golang's gather drops it): nothing to clash with.
        if (f !== undefined && f.metrics.length > 0) return f;
      }
      return undefined;
    };
    /** The group other than `next` exposing this series, if any. */
    const ownerOf = (name: string, labelsKey: string): MetricFamily | undefined => {
      for (const [k, g] of staged) {
        if (k === next.key) continue;
        const f = g.families.get(name)?.family;
        if (f?.metrics.some((m) => m.labels.key === labelsKey)) return f;
      }
      const owner = this.#owners.get(name)?.get(labelsKey);
      if (owner === undefined || owner === next.key || staged.has(owner)) return undefined;
      return this.#groups.get(owner)?.families.get(name)?.family;
    };
    const typeOf = (name: string): MetricType | undefined =>
      next.families.get(name)?.family.type ?? other(name)?.type;
    for (const { family } of next.families.values()) {
      if (family.metrics.length === 0) continue;
      const seen = new Set<string>();
      for (const m of family.metrics) {
        if (seen.has(m.labels.key) || ownerOf(family.name, m.labels.key) !== undefined)
          throw new PushConsistencyError(
            `${PREFIX}collected metric ${describeMetric(family.name, m)} was collected before with the same name and label values`,
          );
        seen.add(m.labels.key);
      }
      const o = other(family.name);
      if (o !== undefined && o.type !== family.type) {
        throw new PushConsistencyError(
          `${PREFIX}collected metric ${describeMetric(o.name, o.metrics[0])} is not a ${goTypeName(family.type)}`,
        );
      }
      // Suffix collisions, as client_golang's gather checks them.
      const name = family.name;
      if (family.type === 'summary' || family.type === 'histogram') {
        const suffixes = family.type === 'histogram' ? ['_count', '_sum', '_bucket'] : ['_count', '_sum'];
        for (const s of suffixes) {
          if (next.families.has(name + s) || other(name + s) !== undefined)
            throw new PushConsistencyError(
              `${PREFIX}collected metric named ${JSON.stringify(name + s)} collides with previously collected ${family.type} named ${JSON.stringify(name)}`,
            );
        }
      }
      for (const s of ['_count', '_sum', '_bucket']) {
        if (!name.endsWith(s)) continue;
        const base = name.slice(0, -s.length);
        const t = typeOf(base);
        if (t === 'histogram' || (t === 'summary' && s !== '_bucket'))
          throw new PushConsistencyError(
            `${PREFIX}collected metric named ${JSON.stringify(name)} collides with previously collected ${t} named ${JSON.stringify(base)}`,
          );
      }
    }
  }

  #merge(): MetricFamily[] {
    const groups = [...this.#groups.values()].sort((a, b) => compareKeys(a.labels, b.labels));
    const merged = new Map<string, { type: MetricType; help: string; unit: string; metrics: Metric[] }>();
    for (const g of groups) {
      for (const [name, { family }] of g.families) {
        const m = merged.get(name);
        // The first group (in grouping-label order) with the name gives the HELP, as in the
        // Pushgateway (where the first is whichever its map iteration meets first).
        if (m === undefined)
          merged.set(name, {
            type: family.type,
            help: family.help,
            unit: family.unit,
            metrics: [...family.metrics],
          });
        else m.metrics.push(...family.metrics);
      }
    }
    const pushTime: Metric[] = [];
    const failureTime: Metric[] = [];
    for (const g of groups) {
      const labels = groupSeriesLabels(g.labels);
      pushTime.push({ labels, value: g.pushTimeMs / 1000 });
      failureTime.push({ labels, value: g.failureTimeMs / 1000 });
    }
    const out: MetricFamily[] = [];
    for (const [name, f] of merged) {
      if (f.metrics.length === 0) continue;
      f.metrics.sort((a, b) => Labels.compare(a.labels, b.labels));
      out.push({ name, ...f });
    }
    if (groups.length > 0) {
      pushTime.sort((a, b) => Labels.compare(a.labels, b.labels));
      failureTime.sort((a, b) => Labels.compare(a.labels, b.labels));
      out.push({ name: PUSH_TIME_METRIC, type: 'gauge', help: PUSH_TIME_HELP, unit: '', metrics: pushTime });
      out.push({
        name: PUSH_FAILURE_TIME_METRIC,
        type: 'gauge',
        help: PUSH_FAILURE_TIME_HELP,
        unit: '',
        metrics: failureTime,
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** `GET /api/v1/metrics`'s `data`: one object per group, in the Pushgateway's JSON shape. */
  apiMetrics(): Record<string, unknown>[] {
    return this.groups().map((g) => {
      const entry: Record<string, unknown> = {
        labels: sortKeys({ ...g.labels }),
        last_push_successful: g.failureTimeMs <= g.pushTimeMs,
      };
      const labels = groupSeriesLabels(g.labels);
      const lastChange = Math.max(g.pushTimeMs, g.failureTimeMs);
      const synthetic = (help: string, v: number): Record<string, unknown> => ({
        time_stamp: new Date(lastChange).toISOString(),
        type: 'GAUGE',
        help,
        metrics: [{ labels: labels.toRecord(), value: formatValue(v / 1000) }],
      });
      for (const [name, { family, pushedAtMs }] of g.families) {
        const e: Record<string, unknown> = {
          time_stamp: new Date(pushedAtMs).toISOString(),
          type: goTypeName(family.type),
        };
        if (family.help !== '') e.help = family.help;
        e.metrics = family.metrics.map((m) => encodeApiMetric(family.type, m));
        entry[name] = e;
      }
      entry[PUSH_TIME_METRIC] = synthetic(PUSH_TIME_HELP, g.pushTimeMs);
      entry[PUSH_FAILURE_TIME_METRIC] = synthetic(PUSH_FAILURE_TIME_HELP, g.failureTimeMs);
      if (g.ttlMs > 0) entry.expires_at = new Date(g.expiresAtMs).toISOString();
      return sortKeys(entry);
    });
  }
}

function expiresAt(g: MutableGroup): number {
  return g.ttlMs > 0 ? Math.max(g.pushTimeMs, g.failureTimeMs) + g.ttlMs : Number.POSITIVE_INFINITY;
}

function encodeApiMetric(type: MetricType, m: Metric): Record<string, unknown> {
  const out: Record<string, unknown> = { labels: m.labels.toRecord() };
  if (type === 'summary') {
    const q: Record<string, string> = {};
    for (const x of m.quantiles ?? []) q[formatValue(x.quantile)] = formatValue(x.value);
    out.quantiles = sortKeys(q);
    out.count = formatValue(m.count ?? 0);
    out.sum = formatValue(m.sum ?? 0);
  } else if (type === 'histogram' || type === 'gaugehistogram') {
    const b: Record<string, string> = {};
    for (const x of m.buckets ?? []) b[formatValue(x.upperBound)] = formatValue(x.cumulativeCount);
    out.buckets = sortKeys(b);
    out.count = formatValue(m.count ?? 0);
    out.sum = formatValue(m.sum ?? 0);
  } else {
    out.value = formatValue(m.value ?? 0);
  }
  return sortKeys(out);
}

/** Go's encoding/json writes map keys sorted: so do we, for byte-identical answers. */
function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

export function goTypeName(t: MetricType): string {
  switch (t) {
    case 'gaugehistogram':
      return 'GAUGE_HISTOGRAM';
    case 'info':
    case 'stateset':
      return 'GAUGE';
    default:
      return t.toUpperCase();
  }
}

function sortedRecord(labels: GroupingLabels): GroupingLabels {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels).sort()) out[n] = labels[n];
  return out;
}

function compareKeys(a: GroupingLabels, b: GroupingLabels): number {
  return Labels.compare(groupSeriesLabels(a), groupSeriesLabels(b));
}

/** The labels of a group's own series: its grouping labels plus `instance=""` if absent. */
export function groupSeriesLabels(grouping: GroupingLabels): Labels {
  const pairs: Label[] = Object.keys(grouping).map((name) => ({ name, value: grouping[name] }));
  if (grouping.instance === undefined) pairs.push({ name: 'instance', value: '' });
  pairs.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return Labels.fromSorted(pairs);
}

function describeGroup(labels: GroupingLabels): string {
  return Object.keys(labels)
    .sort()
    .map((n) => `${n}=${JSON.stringify(labels[n])}`)
    .join(',');
}

function describeMetric(name: string, m: Metric | undefined): string {
  const labels = m ? m.labels.pairs.map((p) => `${p.name}=${JSON.stringify(p.value)}`).join(',') : '';
  return `${JSON.stringify(name)} {${labels}}`;
}

/**
 * Validate a pushed family and put the grouping labels on its series, as the Pushgateway's
 * `sanitizeLabels` does: grouping labels override, `instance=""` is added when missing.
 */
function sanitizeFamily(f: MetricFamily, grouping: GroupingLabels): MetricFamily {
  if (!isLegacyMetricName(f.name))
    throw new PushConsistencyError(`${PREFIX}${JSON.stringify(f.name)} is not a valid metric name`);
  const metrics: Metric[] = [];
  for (const m of f.metrics) {
    const kind = (m as { kind?: string }).kind;
    if (kind !== undefined && kind !== valueKind(f.type))
      throw new PushConsistencyError(
        `${PREFIX}collected metric ${describeMetric(f.name, m)} is not a ${goTypeName(f.type)}`,
      );
    const rec: Record<string, string> = {};
    for (const p of m.labels.pairs) {
      if (!isLegacyLabelName(p.name) || isReservedLabelName(p.name))
        throw new PushConsistencyError(
          `${PREFIX}collected metric ${describeMetric(f.name, m)} has a label with an invalid name: ${p.name}`,
        );
      if (!p.value.isWellFormed())
        throw new PushConsistencyError(
          `${PREFIX}collected metric ${describeMetric(f.name, m)} has a label named ${JSON.stringify(p.name)} whose value is not utf8`,
        );
      if ((f.type === 'histogram' && p.name === 'le') || (f.type === 'summary' && p.name === 'quantile'))
        throw new PushConsistencyError(
          `${PREFIX}collected metric ${describeMetric(f.name, m)} must not have an explicit ${JSON.stringify(p.name)} label`,
        );
      rec[p.name] = p.value;
    }
    for (const n of Object.keys(grouping)) rec[n] = grouping[n];
    if (rec.instance === undefined) rec.instance = '';
    const pairs = Object.keys(rec)
      .sort()
      .map((name) => ({ name, value: rec[name] }));
    const { kind: _k, rawLabels: _r, ...rest } = m as Metric & { kind?: unknown; rawLabels?: unknown };
    metrics.push({ ...rest, labels: Labels.fromSorted(pairs) });
  }
  return { name: f.name, type: f.type, help: f.help, unit: f.unit, metrics };
}

function valueKind(t: MetricType): string {
  switch (t) {
    case 'info':
    case 'stateset':
      return 'gauge';
    case 'gaugehistogram':
      return 'histogram';
    default:
      return t;
  }
}
