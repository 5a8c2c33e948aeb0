// The embedded store: a head in memory protected by the WAL, immutable blocks on disk cut from it,
// compacted into longer blocks and deleted by retention, and downsampled rollup tiers that outlive
// the raw data. Directory layout under `path`:
//
//   wal/                     segments and the checkpoint (see wal/wal.ts)
//   blocks/<id>/             raw blocks (see block/)
//   rollups/<resolution>/<id>/  one directory of blocks per rollup tier
//   snapshots/<name>/        hard-linked copies made by the snapshot API
//
// Maintenance (cutting, compaction, retention, rollups, WAL checkpoints) runs in `maintain()`, called
// on a timer; it never runs concurrently with itself. Its file work is done by jobs (see
// maintenance-jobs.ts) that a runner may send to another thread, so that cutting a large head does
// not hold this one; what the jobs produce is swapped in here, between two queries' reads.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDuration } from '../../model/duration.ts';
import { Block } from '../block/block.ts';
import { removeBlockDir } from '../block/dirs.ts';
import { newBlockId } from '../block/ids.ts';
import type { BlockMeta } from '../block/meta.ts';
import { planCompaction } from '../block/plan.ts';
import type { HeadAppender } from '../head/appender.ts';
import { DEFAULT_BLOCK_RANGE_MS, Head } from '../head/head.ts';
import type { MemSeries } from '../head/mem-series.ts';
import { type HeadStats, headStats } from '../head/stats.ts';
import type { Matcher } from '../index/matcher.ts';
import { Querier } from '../querier/querier.ts';
import type { Appendable, SeriesSource } from '../storage.ts';
import { encodeTombstones } from '../wal/record.ts';
import { Wal } from '../wal/wal.ts';
import { BLOCK_CHUNK_SAMPLES, type SeriesChunks } from './block-input.ts';
import { HeadWal, replayIntoHead } from './head-wal.ts';
import { compactionRanges, linkTree, openBlocks, openInto } from './layout.ts';
import {
  jobOutputs,
  type MaintenanceJob,
  type MaintenanceResult,
  type MaintenanceRunner,
  packSeries,
  type RollupTarget,
  runHere,
} from './maintenance-jobs.ts';
import { type DbOptions, DEFAULT_RETENTION_MS, type RollupTier } from './options.ts';
import { type Deletion, PendingCut } from './pending-cut.ts';
import { RollupFallback } from './rollup-fallback.ts';

interface Tier extends RollupTier {
  readonly name: string;
  readonly dir: string;
  blocks: Block[];
}

/** Default of DbOptions.cutSliceSeries (~1.5 µs per series). */
const CUT_SLICE_SERIES = 5000;

/** Default of DbOptions.retiredBlockGraceMs: 5× Prometheus' default query timeout. */
export const DEFAULT_RETIRED_BLOCK_GRACE_MS = 10 * 60_000;

export class TimeSeriesDb implements Appendable {
  readonly head: Head;
  readonly path: string;
  readonly blockRangeMs: number;
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly #wal: Wal;
  readonly #blocksDir: string;
  readonly #now: () => number;
  readonly #logger: DbOptions['logger'];
  readonly #retiredGraceMs: number;
  readonly #cutSlice: number;
  /** Raw blocks, sorted by minT. */
  #blocks: Block[] = [];
  readonly #tiers: Tier[];
  /** Blocks taken out of service, oldest first, with when (see #retire). */
  readonly #retired: { block: Block; at: number }[] = [];
  /** Where maintenance jobs run (see offloadMaintenance). */
  #runJob: MaintenanceRunner = runHere;
  /** The maintenance run in progress. */
  #maintenance: Promise<void> | undefined;
  /** Series cut from the head whose block is not written yet (readable by queries meanwhile). */
  #pending: PendingCut | undefined;
  /** Deletions while a compaction job runs: replayed on the block it writes. */
  #deletionsDuringCompaction: Deletion[] | undefined;
  #closed = false;

  private constructor(options: DbOptions, wal: Wal) {
    this.path = options.path;
    this.blockRangeMs = options.blockRangeMs ?? DEFAULT_BLOCK_RANGE_MS;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.retentionBytes = options.retentionBytes ?? 0;
    this.#now = options.now ?? Date.now;
    this.#retiredGraceMs = options.retiredBlockGraceMs ?? DEFAULT_RETIRED_BLOCK_GRACE_MS;
    this.#cutSlice = options.cutSliceSeries ?? CUT_SLICE_SERIES;
    this.#logger = options.logger;
    this.#wal = wal;
    this.#blocksDir = path.join(options.path, 'blocks');
    this.head = new Head({
      blockRangeMs: this.blockRangeMs,
      outOfOrderWindowMs: options.outOfOrderWindowMs,
      maxSeries: options.maxSeries,
    });
    this.#tiers = (options.rollups ?? []).map((t) => {
      const name = formatDuration(t.resolutionMs);
      return { ...t, name, dir: path.join(options.path, 'rollups', name), blocks: [] };
    });
  }

  /** Opens (creating) the store: loads block metadata, replays the WAL into the head. */
  static open(options: DbOptions): TimeSeriesDb {
    fs.mkdirSync(options.path, { recursive: true });
    const wal = Wal.open(path.join(options.path, 'wal'), {
      fsync: options.walFsync,
      syncIntervalMs: options.walFsyncIntervalMs,
      segmentBytes: options.walSegmentBytes,
      logger: options.logger,
    });
    const db = new TimeSeriesDb(options, wal);
    db.#blocks = openBlocks(db.#blocksDir, options.logger);
    for (const tier of db.#tiers) tier.blocks = openBlocks(tier.dir, options.logger);
    const newestBlock = db.#blocks.reduce((m, b) => Math.max(m, b.meta.maxT), Number.NEGATIVE_INFINITY);
    const started = performance.now();
    const stats = replayIntoHead(wal, db.head);
    // In-order appends may not go below what blocks hold already.
    db.head.minValidTime = Math.max(db.head.minValidTime, newestBlock + 1);
    db.head.attachLog(new HeadWal(wal));
    options.logger?.info(
      {
        blocks: db.#blocks.length,
        series: db.head.numSeries,
        samples: stats.samples,
        walRecords: stats.records,
        corruptions: stats.corruptions,
        ms: Math.round(performance.now() - started),
      },
      'storage opened',
    );
    return db;
  }

  appender(): HeadAppender {
    if (this.#closed) throw new Error('storage is closed');
    return this.head.appender();
  }

  /**
   * Reads [minT, maxT] across the head and the raw blocks; where raw data has expired, the finest
   * rollup tier stands in with its `last` values (so long ranges still answer, at lower resolution).
   */
  querier(minT: number, maxT: number): Querier {
    const sources: SeriesSource[] = [this.head];
    if (this.#pending !== undefined) sources.push(this.#pending);
    sources.push(...[...this.#blocks].reverse());
    const rawStart = this.#rawStart();
    if (minT < rawStart) {
      for (const tier of [...this.#tiers].sort((a, b) => a.resolutionMs - b.resolutionMs)) {
        if (tier.blocks.length === 0) continue;
        sources.push(new RollupFallback([...tier.blocks].reverse(), rawStart));
        break;
      }
    }
    return new Querier(sources, minT, maxT);
  }

  /** The rollup tier with this resolution, read directly: series carry `__rollup__`="min"|"max"|… */
  rollupQuerier(resolutionMs: number, minT: number, maxT: number): Querier | undefined {
    const tier = this.#tiers.find((t) => t.resolutionMs === resolutionMs);
    if (tier === undefined) return undefined;
    return new Querier([...tier.blocks].reverse(), minT, maxT);
  }

  /** Head statistics and top cardinality (Prometheus' /api/v1/status/tsdb). */
  status(limit = 10): HeadStats {
    return headStats(this.head, limit);
  }

  get numSeries(): number {
    return this.head.numSeries;
  }

  /** See Head.openChunkBytes. */
  get openChunkBytes(): number {
    return this.head.openChunkBytes;
  }

  get samplesAppended(): number {
    return this.head.samplesAppended;
  }

  get rollupTiers(): readonly RollupTier[] {
    return this.#tiers;
  }

  get blocks(): readonly BlockMeta[] {
    return this.#blocks.map((b) => b.meta);
  }

  /** Oldest time raw data is kept for (the oldest block's, cut series' or head's start). */
  #rawStart(): number {
    const first = this.#blocks[0];
    if (first !== undefined) return first.meta.minT;
    return Math.min(this.#pending?.minT ?? Number.POSITIVE_INFINITY, this.head.minT);
  }

  /**
   * Has maintenance jobs run by `runner` from now on (e.g. in a worker thread) instead of in this
   * thread. A job the runner fails is tried again by the next maintain().
   */
  offloadMaintenance(runner: MaintenanceRunner): void {
    this.#runJob = runner;
  }

  /** Whether a maintenance run is in progress. */
  get maintaining(): boolean {
    return this.#maintenance !== undefined;
  }

  /**
   * Cuts blocks from the head, compacts, applies retention, rolls up, checkpoints the WAL. Resolves
   * when done; a call while a run is in progress gets that run. Rejects when a job failed: what it
   * was doing is tried again by the next call, and nothing is lost meanwhile (a cut's series stay
   * readable and in the WAL).
   */
  maintain(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#maintenance ??= this.#maintain().finally(() => {
      this.#maintenance = undefined;
    });
    return this.#maintenance;
  }

  async #maintain(): Promise<void> {
    this.#closeRetired(false);
    await this.#writePendingCut();
    while (!this.#closed && this.head.compactable()) {
      const { start, end } = this.head.oldestRange();
      // Everything logged so far is in segments before `segment`: they may go once the block is safe.
      const segment = this.#wal.cut();
      const cut = new PendingCut(start, end, segment, this.head.minT);
      this.#pending = cut;
      // A slice of the head's series at a time: a head of 200,000 series would hold this thread
      // for most of a second if taken in one piece.
      for (const slice of this.head.cutInSlices(end, this.#cutSlice)) {
        cut.add(slice);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await this.#writePendingCut();
    }
    if (this.#closed) return;
    await this.#compact();
    this.#applyRetention();
  }

  /** Writes the pending cut's block, then lets the head and the WAL forget what it holds. */
  async #writePendingCut(): Promise<void> {
    const cut = this.#pending;
    if (cut === undefined) return;
    if (cut.series.length > 0) {
      const overlaps = this.#blocks.some((b) => b.meta.maxT >= cut.start && b.meta.minT < cut.end);
      const result = await this.#run({
        kind: 'block',
        dir: this.#blocksDir,
        id: newBlockId(),
        series: await packSeries(cut.series),
        minT: cut.start,
        maxT: cut.end - 1,
        // Out-of-order data for a range already rolled up is rolled up again after compaction merges it.
        rollups: overlaps ? [] : this.#rollupTargets(),
      });
      const block = this.#addBlock(result.block!);
      for (const d of cut.deletions) block.delete(d.matchers, d.minT, d.maxT);
      this.#addRollups(result);
    }
    this.#pending = undefined;
    this.head.gc(cut.end);
    const through = this.#wal.planCheckpoint(cut.segment - 1);
    if (through === null) return;
    // The job's own log lines (forwarded by #run) report it.
    await this.#run({
      kind: 'checkpoint',
      dir: this.#wal.dir,
      through,
      keepRefs: this.head.liveRefs(),
      minT: cut.end,
      segmentBytes: this.#wal.segmentBytes,
    });
    this.#wal.checkpointed(through);
  }

  /** Runs a job where jobs run, and logs what it asks to. A failed job's blocks, whole or not, are removed. */
  async #run(job: MaintenanceJob): Promise<MaintenanceResult> {
    let result: MaintenanceResult;
    try {
      result = await this.#runJob(job);
    } catch (err) {
      for (const [dir, id] of jobOutputs(job)) removeBlockDir(dir, id);
      throw err;
    }
    for (const l of result.logs) this.#logger?.[l.level](l.obj, l.msg);
    return result;
  }

  /** Each rollup tier, with the id of a block to write into it. */
  #rollupTargets(): RollupTarget[] {
    return this.#tiers.map((t) => ({
      name: t.name,
      dir: t.dir,
      resolutionMs: t.resolutionMs,
      id: newBlockId(),
    }));
  }

  #addBlock(meta: BlockMeta): Block {
    return openInto(this.#blocks, this.#blocksDir, meta.id);
  }

  #addRollups(result: MaintenanceResult): void {
    for (const { tier: name, meta } of result.rollups) {
      const tier = this.#tiers.find((t) => t.name === name)!;
      openInto(tier.blocks, tier.dir, meta.id);
    }
  }

  async #compact(): Promise<void> {
    const ranges = compactionRanges(this.blockRangeMs, this.retentionMs);
    for (;;) {
      const plan = planCompaction(
        this.#blocks.map((b) => b.meta),
        ranges,
      );
      if (plan.length === 0) break;
      const ids = new Set(plan.map((m) => m.id));
      const chosen = this.#blocks.filter((b) => ids.has(b.meta.id));
      const overlapping = chosen.some((a) =>
        chosen.some((b) => a !== b && a.meta.minT <= b.meta.maxT && b.meta.minT <= a.meta.maxT),
      );
      const { result, deletions } = await this.#compactJob({
        kind: 'compact',
        dir: this.#blocksDir,
        id: newBlockId(),
        blockDirs: chosen.map((b) => b.dir),
        samplesPerChunk: BLOCK_CHUNK_SAMPLES,
        rollups: overlapping ? this.#rollupTargets() : [],
      });
      this.#removeBlocks(chosen);
      const merged = this.#addBlock(result.block!);
      for (const d of deletions) merged.delete(d.matchers, d.minT, d.maxT);
      this.#addRollups(result);
    }
    for (const tier of this.#tiers) await this.#compactTier(tier);
  }

  /** Runs a compaction job, collecting the deletions made meanwhile (the sources get them, not the result). */
  async #compactJob(job: MaintenanceJob): Promise<{ result: MaintenanceResult; deletions: Deletion[] }> {
    const deletions: Deletion[] = [];
    this.#deletionsDuringCompaction = deletions;
    try {
      return { result: await this.#run(job), deletions };
    } finally {
      this.#deletionsDuringCompaction = undefined;
    }
  }

  async #compactTier(tier: Tier): Promise<void> {
    const ranges = compactionRanges(this.blockRangeMs, tier.retentionMs);
    for (;;) {
      const plan = planCompaction(
        tier.blocks.map((b) => b.meta),
        ranges,
      );
      if (plan.length === 0) return;
      const ids = new Set(plan.map((m) => m.id));
      const chosen = tier.blocks.filter((b) => ids.has(b.meta.id));
      const { result } = await this.#compactJob({
        kind: 'compact',
        dir: tier.dir,
        id: newBlockId(),
        blockDirs: chosen.map((b) => b.dir),
        rollups: [],
      });
      for (const b of chosen) this.#retire(b);
      tier.blocks = tier.blocks.filter((b) => !chosen.includes(b));
      openInto(tier.blocks, tier.dir, result.block!.id);
    }
  }

  /**
   * Takes a block out of service: its files go now (reads through open descriptors still work), its
   * descriptors after the grace period (retiredBlockGraceMs). A query that selected it before may
   * still read its chunks between awaits while maintenance runs, and must not find it closed.
   */
  #retire(block: Block): void {
    fs.rmSync(block.dir, { recursive: true, force: true });
    this.#retired.push({ block, at: performance.now() });
  }

  /** Closes retired blocks no query can still be reading (all of them when the database closes). */
  #closeRetired(all: boolean): void {
    const cutoff = performance.now() - this.#retiredGraceMs;
    while (this.#retired.length > 0 && (all || this.#retired[0].at < cutoff))
      this.#retired.shift()!.block.close();
  }

  #removeBlocks(blocks: readonly Block[]): void {
    for (const b of blocks) this.#retire(b);
    this.#blocks = this.#blocks.filter((b) => !blocks.includes(b));
  }

  /** Deletes whole raw blocks past the retention time or over the size limit, and expired rollups. */
  #applyRetention(): void {
    const now = this.#now();
    const expired = this.#blocks.filter((b) => b.meta.maxT < now - this.retentionMs);
    if (expired.length > 0) {
      this.#logger?.info({ blocks: expired.map((b) => b.meta.id) }, 'retention: deleting expired blocks');
      this.#removeBlocks(expired);
    }
    if (this.retentionBytes > 0) {
      let total = this.#wal.sizeBytes() + this.#blocks.reduce((n, b) => n + b.sizeBytes(), 0);
      const drop: Block[] = [];
      for (const b of this.#blocks) {
        if (total <= this.retentionBytes) break;
        drop.push(b);
        total -= b.sizeBytes();
      }
      if (drop.length > 0) {
        this.#logger?.info(
          { blocks: drop.map((b) => b.meta.id) },
          'retention: size limit, deleting oldest blocks',
        );
        this.#removeBlocks(drop);
      }
    }
    for (const tier of this.#tiers) {
      const old = tier.blocks.filter((b) => b.meta.maxT < now - tier.retentionMs);
      for (const b of old) {
        this.#retire(b);
      }
      tier.blocks = tier.blocks.filter((b) => !old.includes(b));
    }
  }

  /** Deletes the samples in [minT, maxT] of every series matching all matchers. */
  async deleteSeries(matchers: readonly Matcher[], minT: number, maxT: number): Promise<number> {
    const tomb: { ref: number; minT: number; maxT: number }[] = [];
    const selected: MemSeries[] = [];
    for (const ref of this.head.index.select(matchers)) {
      const s = this.head.getByRef(ref);
      if (s === undefined) continue;
      selected.push(s);
      tomb.push({ ref, minT, maxT });
    }
    this.head.deleteRange(selected, minT, maxT);
    const series = selected.length;
    if (tomb.length > 0) await this.#wal.commit([encodeTombstones(tomb)]);
    for (const b of this.#blocks)
      if (b.meta.maxT >= minT && b.meta.minT <= maxT) b.delete(matchers, minT, maxT);
    // Data on its way into a block gets the deletion when the block is in place.
    this.#pending?.delete({ matchers, minT, maxT });
    this.#deletionsDuringCompaction?.push({ matchers, minT, maxT });
    return series;
  }

  /**
   * Writes a consistent copy under snapshots/<name>: hard links of every block and, unless
   * `skipHead`, the head's data as of the call as one more block (written by a maintenance job, so
   * a large head does not hold this thread). Resolves to the snapshot's name; on failure nothing
   * of it is left.
   */
  async snapshot(skipHead = false): Promise<string> {
    const name = `${new Date(this.#now()).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${Math.random().toString(16).slice(2, 10)}`;
    const dir = path.join(this.path, 'snapshots', name);
    fs.mkdirSync(dir, { recursive: true });
    // Everything is taken now; the blocks below are written from these copies.
    for (const b of this.#blocks) linkTree(b.dir, path.join(dir, path.basename(b.dir)));
    const copies: { series: readonly SeriesChunks[]; minT: number; maxT: number; deletions: Deletion[] }[] =
      [];
    if (!skipHead && this.head.numSeries > 0) {
      // The head's select copies the open chunks: later appends do not reach these.
      const series = this.head
        .select([], Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)
        .map((s) => ({ labels: s.labels, chunks: s.chunks.map((c) => c.chunk()) }));
      if (series.length > 0)
        copies.push({ series, minT: this.head.minT, maxT: this.head.maxT, deletions: [] });
    }
    // Cut from the head, its block not written yet: the snapshot gets it as a block of its own.
    const cut = this.#pending;
    if (cut !== undefined && cut.series.length > 0)
      copies.push({ series: cut.series, minT: cut.start, maxT: cut.end - 1, deletions: [...cut.deletions] });
    try {
      for (const c of copies) {
        const { block } = await this.#run({
          kind: 'block',
          dir,
          id: newBlockId(),
          series: await packSeries(c.series),
          minT: c.minT,
          maxT: c.maxT,
          rollups: [],
        });
        if (c.deletions.length === 0) continue;
        const copy = Block.open(path.join(dir, block!.id));
        try {
          for (const d of c.deletions) copy.delete(d.matchers, d.minT, d.maxT);
        } finally {
          copy.close();
        }
      }
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return name;
  }

  /** Bytes on disk: blocks, rollups and WAL. */
  sizeBytes(): { blocks: number; rollups: number; wal: number } {
    return {
      blocks: this.#blocks.reduce((n, b) => n + b.sizeBytes(), 0),
      rollups: this.#tiers.reduce((n, t) => n + t.blocks.reduce((m, b) => m + b.sizeBytes(), 0), 0),
      wal: this.#wal.sizeBytes(),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A job in flight finishes first (its files are complete or removed); its failure changes nothing
    // here: whatever it was writing is still in the WAL.
    await this.#maintenance?.catch(() => {});
    await this.#wal.close();
    for (const b of this.#blocks) b.close();
    for (const t of this.#tiers) for (const b of t.blocks) b.close();
    this.#closeRetired(true);
  }
}
