// The head: the newest, still-changing part of the store, in memory and protected by the WAL.
// Series are found by label set through the series index; samples go into per-series compressed
// chunks that never cross a block boundary, so the head can be cut into blocks range by range.

import { Labels } from '../../model/labels.ts';
import type { MetricMetadata } from '../../model/metadata.ts';
import { DEFAULT_SAMPLES_PER_CHUNK } from '../chunk/builder.ts';
import type { Chunk } from '../chunk/chunk.ts';
import { isValidTimestamp } from '../chunk/chunk.ts';
import { CopySlab } from '../chunk/copy-slab.ts';
import { encodeRuns } from '../chunk/encode.ts';
import { OpenChunkMemory } from '../chunk/open-chunk-memory.ts';
import type { Matcher } from '../index/matcher.ts';
import { SeriesIndex } from '../index/series-index.ts';
import { rechunk } from '../querier/rechunk.ts';
import type { ChunkRef, SeriesSource, StoredSeries } from '../storage.ts';
import { AppendStatus } from './append-status.ts';
import { AppendStaging, HeadAppender } from './appender.ts';
import { ChunkRecoder, type RecodeBatch } from './chunk-recoder.ts';
import type { HeadLog } from './head-log.ts';
import { type ChunkLimits, MemSeries } from './mem-series.ts';
import { OooSamples } from './ooo-samples.ts';
import { SeriesSlots } from './series-slots.ts';

/** Staging arrays kept for reuse (one per appender open at the same time, in practice few). */
const MAX_SPARE_STAGING = 4;

export const DEFAULT_BLOCK_RANGE_MS = 2 * 60 * 60 * 1000;

export interface HeadOptions {
  /** Block length; chunks are aligned to it (default 2 h, as Prometheus). */
  readonly blockRangeMs?: number;
  readonly samplesPerChunk?: number;
  /** Samples up to this much older than the newest sample are accepted out of order (default 0). */
  readonly outOfOrderWindowMs?: number;
  /** New series beyond this many are refused (default unlimited). */
  readonly maxSeries?: number;
  /** Where committed appends are logged before they are applied (the WAL); none in tests. */
  readonly log?: HeadLog;
}

/** One series' samples in [minT, maxT) taken out of the head when a block is cut. */
export interface CutSeries {
  readonly labels: Labels;
  readonly chunks: readonly Chunk[];
}

export class Head implements SeriesSource {
  readonly index: SeriesIndex;
  readonly limits: ChunkLimits;
  readonly outOfOrderWindowMs: number;
  readonly metadata = new Map<string, MetricMetadata>();
  readonly #series = new Map<number, MemSeries>();
  /** The series' hot numbers (see series-slots.ts). */
  readonly slots = new SeriesSlots();
  /** WAL refs that name a series now known under another ref (it was forgotten and re-created). */
  readonly #aliases = new Map<number, MemSeries>();
  #log: HeadLog | undefined;
  /** Oldest and newest sample timestamps in the head (Infinity/-Infinity while empty). */
  minT = Number.POSITIVE_INFINITY;
  maxT = Number.NEGATIVE_INFINITY;
  /** In-order appends before this went into blocks already; older samples take the out-of-order path. */
  minValidTime = Number.NEGATIVE_INFINITY;
  /** Samples applied since the head was created (for statistics). */
  samplesAppended = 0;

  constructor(options: HeadOptions = {}) {
    this.index = new SeriesIndex({ maxSeries: options.maxSeries });
    this.limits = {
      maxSamples: options.samplesPerChunk ?? DEFAULT_SAMPLES_PER_CHUNK,
      blockRangeMs: options.blockRangeMs ?? DEFAULT_BLOCK_RANGE_MS,
      openChunks: new OpenChunkMemory(),
    };
    this.outOfOrderWindowMs = options.outOfOrderWindowMs ?? 0;
    this.#log = options.log;
  }

  get numSeries(): number {
    return this.#series.size;
  }

  /** Bytes of the memory holding the open chunks (WebAssembly: outside the heap's figures). */
  get openChunkBytes(): number {
    return this.limits.openChunks.bytes;
  }

  get log(): HeadLog | undefined {
    return this.#log;
  }

  /**
   * Has sealed chunks' encodings chosen by `recode` (e.g. in a worker thread) instead of on the
   * append path; `undefined` goes back to choosing them on the spot.
   */
  offloadRecoding(recode: RecodeBatch | undefined): ChunkRecoder | undefined {
    this.limits.recoder?.close();
    this.limits.recoder = recode === undefined ? undefined : new ChunkRecoder(recode);
    return this.limits.recoder;
  }

  /** Starts logging commits (after WAL replay, which must not log again). */
  attachLog(log: HeadLog | undefined): void {
    this.#log = log;
  }

  appender(): HeadAppender {
    return new HeadAppender(this);
  }

  readonly #spareStaging: AppendStaging[] = [];

  /** Staging arrays for an appender's batch: a spare one when there is one. */
  takeStaging(): AppendStaging {
    return this.#spareStaging.pop() ?? new AppendStaging();
  }

  /** Takes back an appender's staging arrays once its batch is done (a few are kept). */
  returnStaging(staging: AppendStaging): void {
    // Not truncated: refilling a truncated array reallocates it step by step. The series it still
    // names are kept alive until overwritten, which costs nothing but the wait.
    if (this.#spareStaging.length < MAX_SPARE_STAGING) this.#spareStaging.push(staging);
  }

  /** The series for a label set, created when new; undefined when the series limit refuses it. */
  getOrCreate(labels: Labels): MemSeries | undefined {
    const r = this.index.getOrCreate(labels);
    if (r.ref === undefined) return undefined;
    let s = this.#series.get(r.ref);
    if (s === undefined) {
      s = new MemSeries(r.ref, this.index.flat(r.ref)!, this.slots);
      this.#series.set(r.ref, s);
    }
    return s;
  }

  getByRef(ref: number): MemSeries | undefined {
    return this.#series.get(ref) ?? this.#aliases.get(ref);
  }

  /** Re-creates a series from a WAL series record; an existing ref or label set is kept as is. */
  restoreSeries(ref: number, labels: Labels): MemSeries {
    const existing = this.#series.get(ref);
    if (existing !== undefined) return existing;
    const known = this.index.refOf(labels);
    if (known !== undefined) {
      const s = this.#series.get(known)!;
      this.#aliases.set(ref, s);
      return s;
    }
    this.index.restore(ref, labels);
    const s = new MemSeries(ref, this.index.flat(ref)!, this.slots);
    s.logged = true;
    this.#series.set(ref, s);
    return s;
  }

  /**
   * Decides whether (t, v) may be appended to `s`, given what is stored and what the open batch
   * already holds (`pendingT`). Accepted samples are applied later by {@link apply}.
   */
  check(s: MemSeries, t: number, v: number): AppendStatus {
    if (!isValidTimestamp(t)) return AppendStatus.InvalidTimestamp;
    const newest = s.pendingT > s.lastT ? s.pendingT : s.lastT;
    if (t > newest && t >= this.minValidTime) return AppendStatus.Ok;
    if (t === s.lastT) return s.compareLast(t, v);
    if (t === s.pendingT) return AppendStatus.DuplicateTimestamp;
    if (this.outOfOrderWindowMs > 0) {
      const newestInHead = Math.max(this.maxT, newest);
      if (t < newestInHead - this.outOfOrderWindowMs) return AppendStatus.TooOld;
      return s.compareStored(t, v);
    }
    return t < this.minValidTime ? AppendStatus.TooOld : AppendStatus.OutOfOrder;
  }

  /**
   * Applies the longest run of rows from `from` (before `to`) that is in order after `s`'s newest
   * sample — usually all of them — as {@link applyAt} would one by one; returns where the run ends.
   */
  applyInOrder(s: MemSeries, ts: Float64Array, vs: Float64Array, from: number, to: number): number {
    if (from >= to || ts[from] < this.minValidTime) return from;
    const end = s.inOrderEnd(ts, from, to, false);
    if (end === from) return from;
    s.appendInOrderRun(ts, vs, from, end, this.limits);
    if (ts[from] < this.minT) this.minT = ts[from];
    if (ts[end - 1] > this.maxT) this.maxT = ts[end - 1];
    this.samplesAppended += end - from;
    return end;
  }

  /** {@link apply} of row `i` of `ts`/`vs`, read here so that the doubles are never boxed for a call. */
  applyAt(s: MemSeries, ts: Float64Array, vs: Float64Array, i: number): AppendStatus {
    if (this.applyInOrder(s, ts, vs, i, i + 1) > i) return AppendStatus.Ok;
    return this.apply(s, ts[i], vs[i]);
  }

  /** Stores a sample that passed {@link check} (or comes from WAL replay, which skips the checks). */
  apply(s: MemSeries, t: number, v: number): AppendStatus {
    let status: AppendStatus = AppendStatus.Ok;
    if (t > s.lastT && t >= this.minValidTime) s.appendInOrder(t, v, this.limits);
    else if (t === s.lastT) return s.compareLast(t, v);
    else {
      // Checked again: the batch may repeat a timestamp, or another batch may have stored it since.
      status = s.compareStored(t, v);
      if (status !== AppendStatus.Ok) return status;
      s.ooo ??= new OooSamples();
      status = s.ooo.insert(t, v);
      if (status !== AppendStatus.Ok) return status;
    }
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.samplesAppended++;
    return status;
  }

  setMetadata(family: string, meta: MetricMetadata): boolean {
    const old = this.metadata.get(family);
    if (old !== undefined && old.type === meta.type && old.help === meta.help && old.unit === meta.unit)
      return false;
    this.metadata.set(family, meta);
    return true;
  }

  // ---- reading ----

  select(matchers: readonly Matcher[], minT: number, maxT: number): StoredSeries[] {
    const found: { flat: readonly string[]; chunks: ChunkRef[] }[] = [];
    const chunks: Chunk[] = [];
    const slab = new CopySlab();
    for (const ref of this.index.select(matchers)) {
      const s = this.#series.get(ref);
      if (s === undefined) continue;
      chunks.length = 0;
      s.inOrderChunks(minT, maxT, chunks, slab);
      if (s.ooo !== undefined) {
        for (const c of s.ooo.snapshot()) if (c.maxT >= minT && c.minT <= maxT) chunks.push(c);
        chunks.sort(byMinT);
      }
      if (chunks.length === 0) continue;
      const refs: ChunkRef[] = [];
      for (const c of chunks) refs.push(new HeldChunk(c));
      found.push({ flat: s.flatLabels, chunks: refs });
    }
    // Sorted in the compact form; label sets are built for the series that are returned only.
    found.sort((a, b) => Labels.compareFlat(a.flat, b.flat));
    const out: StoredSeries[] = [];
    for (const f of found) out.push({ labels: Labels.fromFlat(f.flat), chunks: f.chunks });
    return out;
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    return this.index.labelNames(matchers);
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return this.index.labelValues(name, matchers);
  }

  /**
   * Removes the samples in [minT, maxT] of every series given (delete_series); later appends keep
   * the usual rules. The head's time range is worked out once for the lot: per series, deleting
   * from 20,000 series took 4.9 s, nearly all of it recomputing the range.
   */
  deleteRange(series: Iterable<MemSeries>, minT: number, maxT: number): void {
    for (const s of series) {
      const chunks: Chunk[] = [];
      s.inOrderChunks(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, chunks);
      if (s.ooo !== undefined) chunks.push(...s.ooo.snapshot());
      s.dropOpen();
      s.ooo = undefined;
      s.sealed = rechunk(chunks, this.limits.maxSamples, {
        deleted: [{ minT, maxT }],
        alignMs: this.limits.blockRangeMs,
      });
    }
    this.#recomputeMinT();
  }

  // ---- cutting into blocks ----

  /** Whether the head spans enough time to cut its oldest block range (Prometheus: 1.5 ranges). */
  compactable(): boolean {
    return this.maxT - this.minT > (this.limits.blockRangeMs * 3) / 2;
  }

  /** The block range [start, end) holding the head's oldest sample. */
  oldestRange(): { start: number; end: number } {
    const r = this.limits.blockRangeMs;
    const start = Math.floor(this.minT / r) * r;
    return { start, end: start + r };
  }

  /**
   * Removes every sample before `end` from the head and hands them out per series (out-of-order
   * samples merged in), `size` series at a time, unsorted: the caller may let other work run between
   * slices (appends, queries), and every series' samples before `end` are then either still here or
   * in a slice already taken, never both. In-order appends before `end` are refused from the start.
   * A series created meanwhile is left for the next cut (it can only hold out-of-order samples).
   */
  *cutInSlices(end: number, size: number): Generator<CutSeries[], void, void> {
    if (end > this.minValidTime) this.minValidTime = end;
    const series = [...this.#series.values()];
    try {
      let out: CutSeries[] = [];
      for (const s of series) {
        if (s.removed) continue;
        if (s.open !== undefined && s.openLimit <= end) s.seal();
        let n = 0;
        while (n < s.sealed.length && s.sealed[n].maxT < end) n++;
        const inOrder = s.sealed.splice(0, n);
        const ooo = s.ooo?.takeBefore(end);
        if (s.ooo?.isEmpty) s.ooo = undefined;
        const chunks =
          ooo === undefined || ooo.n === 0
            ? inOrder
            : rechunk(
                [...inOrder, ...encodeRuns(ooo.ts, ooo.vs, ooo.n, this.limits.maxSamples)],
                this.limits.maxSamples,
              );
        if (chunks.length > 0) out.push({ labels: s.labels, chunks });
        if (out.length >= size) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    } finally {
      this.#recomputeMinT();
    }
  }

  /**
   * Forgets series that hold no samples and have had none for a while (their last in-order sample
   * is before `before`), so churned series do not pile up. Returns the refs removed.
   */
  gc(before: number): number[] {
    const removed: number[] = [];
    for (const [ref, s] of this.#series) {
      if (!s.isEmpty || s.lastT >= before || s.pendingT > s.lastT) continue;
      this.#series.delete(ref);
      s.removed = true;
      s.detach();
      removed.push(ref);
    }
    // All at once: the index rewrites each postings list once, however many series churned.
    this.index.deleteMany(removed);
    return removed;
  }

  /**
   * The refs of every series still in the head, aliases from WAL replay included: what a WAL
   * checkpoint keeps the records of.
   */
  liveRefs(): Float64Array {
    const refs: number[] = [...this.#series.keys()];
    for (const [ref, s] of this.#aliases) if (!s.removed) refs.push(ref);
    return Float64Array.from(refs);
  }

  series(): IterableIterator<MemSeries> {
    return this.#series.values();
  }

  #recomputeMinT(): void {
    let m = Number.POSITIVE_INFINITY;
    for (const s of this.#series.values()) {
      const t = s.minT;
      if (t < m) m = t;
    }
    this.minT = m;
    if (m === Number.POSITIVE_INFINITY) this.maxT = Number.NEGATIVE_INFINITY;
  }
}

/** A chunk already in memory, as a reader's reference to it. */
class HeldChunk implements ChunkRef {
  readonly minT: number;
  readonly maxT: number;
  readonly #chunk: Chunk;

  constructor(chunk: Chunk) {
    this.#chunk = chunk;
    this.minT = chunk.minT;
    this.maxT = chunk.maxT;
  }

  chunk(): Chunk {
    return this.#chunk;
  }
}

function byMinT(a: Chunk, b: Chunk): number {
  return a.minT - b.minT;
}
