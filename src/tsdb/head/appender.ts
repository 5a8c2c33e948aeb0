// A batch of appends to the head, as Prometheus' storage.Appender: look up a series once, append
// samples by series, then commit (logged first, applied after) or roll back. Rejected samples are
// counted per reason; the rest of the batch still goes in.

import type { Labels } from '../../model/labels.ts';
import type { MetricMetadata } from '../../model/metadata.ts';
import { AppendStatus, isRejected } from './append-status.ts';
import type { Head } from './head.ts';
import type { MemSeries } from './mem-series.ts';

export interface RejectedSample {
  readonly status: AppendStatus;
  readonly labels: Labels;
  readonly t: number;
}

/**
 * The samples a batch holds until it commits. The head keeps a few for reuse: a batch of a thousand
 * samples would otherwise allocate (and leave to the collector) its arrays several times over.
 * Samples are held in runs, consecutive samples of one series: senders write a series' samples
 * together, and a run is checked and applied as one.
 */
export class AppendStaging {
  refs = new Float64Array(1024);
  ts = new Float64Array(1024);
  vs = new Float64Array(1024);
  /** Run r is samples [runEnds[r - 1], runEnds[r]) (from 0 for the first) of series runSeries[r]. */
  runSeries: MemSeries[] = [];
  runEnds = new Uint32Array(256);
  runCount = 0;
  /** The distinct series of the batch: [0, touchedCount). */
  touched: MemSeries[] = [];
  touchedCount = 0;

  /** Makes room for `n` samples in all. */
  reserve(n: number): void {
    if (n <= this.ts.length) return;
    let size = this.ts.length * 2;
    while (size < n) size *= 2;
    this.refs = grown(this.refs, size);
    this.ts = grown(this.ts, size);
    this.vs = grown(this.vs, size);
  }

  /** Ends the last run at sample `end`, or starts a run of `series` there when it is another's. */
  extendRun(series: MemSeries, end: number): void {
    const r = this.runCount;
    if (r > 0 && this.runSeries[r - 1] === series) {
      this.runEnds[r - 1] = end;
      return;
    }
    if (r === this.runEnds.length) this.runEnds = grown(this.runEnds, 2 * r);
    this.runSeries[r] = series;
    this.runEnds[r] = end;
    this.runCount = r + 1;
  }
}

function grown<T extends Float64Array | Uint32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export class HeadAppender {
  readonly #head: Head;
  #staging: AppendStaging | undefined;
  #n = 0;
  readonly #metadata = new Map<string, MetricMetadata>();
  /** Rejected samples by AppendStatus. */
  readonly rejected = new Uint32Array(8);
  /** The first rejected sample, for an error message that names it. */
  firstRejected: RejectedSample | undefined;
  #done = false;

  constructor(head: Head) {
    this.#head = head;
  }

  #stage(): AppendStaging {
    this.#staging ??= this.#head.takeStaging();
    return this.#staging;
  }

  /** Samples accepted so far in this batch. */
  get pending(): number {
    return this.#n;
  }

  get rejectedTotal(): number {
    let n = 0;
    for (const c of this.rejected) n += c;
    return n - this.rejected[AppendStatus.Ok] - this.rejected[AppendStatus.Duplicate];
  }

  /** The series for `labels` (created when new); undefined when the series limit refuses it. */
  series(labels: Labels): MemSeries | undefined {
    const s = this.#head.getOrCreate(labels);
    if (s === undefined) this.#reject(AppendStatus.SeriesLimit, labels, Number.NaN);
    return s;
  }

  /** Appends one sample; a rejected one is counted and reported, never thrown. */
  append(series: MemSeries, t: number, v: number): AppendStatus {
    const s = this.#current(series);
    if (s === undefined) return AppendStatus.SeriesLimit;
    const status = this.#head.check(s, t, v);
    if (status !== AppendStatus.Ok) {
      this.#count(status, s, t);
      return status;
    }
    this.#put(s, t, v);
    return status;
  }

  /**
   * Appends rows [from, to) of `ts` and `vs` to one series, as append() would one by one; returns
   * how many were stored or were exact duplicates (the others are counted in `rejected`). Reading
   * the columns here keeps every timestamp and value an unboxed double on the way in: a call with a
   * double argument that the compiler does not inline allocates a heap number for it.
   */
  appendRows(series: MemSeries, ts: Float64Array, vs: Float64Array, from: number, to: number): number {
    const s = this.#current(series);
    if (s === undefined) return 0;
    const head = this.#head;
    // The usual rows: in order after everything stored and staged, staged as one run without a
    // decision per sample; from the first other row on, check() decides sample by sample.
    let i = from;
    if (from < to && ts[from] >= head.minValidTime) {
      i = s.inOrderEnd(ts, from, to, true);
      if (i > from) this.#putRows(s, ts, vs, from, i);
    }
    let stored = i - from;
    for (; i < to; i++) {
      const status = head.check(s, ts[i], vs[i]);
      if (status === AppendStatus.Ok) {
        this.#put(s, ts[i], vs[i]);
        stored++;
      } else {
        this.#count(status, s, ts[i]);
        if (status === AppendStatus.Duplicate) stored++;
      }
    }
    return stored;
  }

  /** The series to append to: `series`, or its new incarnation when the head collected it meanwhile. */
  #current(series: MemSeries): MemSeries | undefined {
    // Held across a garbage collection of the head: continue in the series' new incarnation.
    return series.removed ? this.series(series.labels) : series;
  }

  #count(status: AppendStatus, s: MemSeries, t: number): void {
    if (isRejected(status)) this.#reject(status, s.labels, t);
    else this.rejected[status]++;
  }

  /** Stages an accepted sample. */
  #put(s: MemSeries, t: number, v: number): void {
    const st = this.#stage();
    const n = this.#n;
    st.reserve(n + 1);
    st.refs[n] = s.ref;
    st.ts[n] = t;
    st.vs[n] = v;
    st.extendRun(s, n + 1);
    this.#n = n + 1;
    if (s.stagePending(st.ts, n)) st.touched[st.touchedCount++] = s;
  }

  /** Stages rows [from, to) of `ts`/`vs`, accepted, in order after `s`'s newest. */
  #putRows(s: MemSeries, ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    const st = this.#stage();
    const n = this.#n;
    const end = n + to - from;
    st.reserve(end);
    const { refs, ts: sts, vs: svs } = st;
    const ref = s.ref;
    for (let i = from, j = n; i < to; i++, j++) {
      refs[j] = ref;
      sts[j] = ts[i];
      svs[j] = vs[i];
    }
    st.extendRun(s, end);
    this.#n = end;
    if (s.stagePending(ts, to - 1)) st.touched[st.touchedCount++] = s;
  }

  /** Records a family's type, help and unit (kept in the head and logged when it changes). */
  setMetadata(family: string, meta: MetricMetadata): void {
    this.#metadata.set(family, meta);
  }

  /**
   * Logs the batch, then applies it. Resolves when the batch is as durable as the WAL's fsync
   * policy promises; throws (applying nothing) when the log write fails.
   */
  commit(): Promise<void> {
    if (this.#done) throw new Error('appender already committed or rolled back');
    this.#done = true;
    const head = this.#head;
    const changed = new Map<string, MetricMetadata>();
    for (const [family, meta] of this.#metadata) {
      const old = head.metadata.get(family);
      if (old === undefined || old.type !== meta.type || old.help !== meta.help || old.unit !== meta.unit)
        changed.set(family, meta);
    }
    const st = this.#staging;
    const newSeries: MemSeries[] = [];
    if (st !== undefined)
      for (let i = 0; i < st.touchedCount; i++) if (!st.touched[i].logged) newSeries.push(st.touched[i]);
    const n = this.#n;
    let durable: Promise<void> = Promise.resolve();
    try {
      if (head.log !== undefined && (n > 0 || changed.size > 0)) {
        durable = head.log.write({
          newSeries,
          refs: st?.refs ?? EMPTY,
          ts: st?.ts ?? EMPTY,
          values: st?.vs ?? EMPTY,
          n,
          metadata: changed,
        });
      }
    } catch (err) {
      this.#release();
      throw err;
    } finally {
      this.#resetPending();
    }
    for (const s of newSeries) s.logged = true;
    for (const [family, meta] of changed) head.setMetadata(family, meta);
    if (st !== undefined) {
      const { ts, vs, runSeries, runEnds } = st;
      let start = 0;
      for (let r = 0; r < st.runCount; r++) {
        const s = runSeries[r];
        const end = runEnds[r];
        // Removed from the head (garbage-collected) since it was checked: as if never appended.
        if (!s.removed) {
          for (let i = head.applyInOrder(s, ts, vs, start, end); i < end; i++) {
            const status = head.applyAt(s, ts, vs, i);
            // Another batch may have committed a conflicting sample since this one was checked.
            if (isRejected(status)) this.#reject(status, s.labels, ts[i]);
          }
        }
        start = end;
      }
    }
    this.#release();
    return durable;
  }

  rollback(): void {
    this.#done = true;
    this.#release();
  }

  /** Ends the batch's use of its staging: pending marks cleared, arrays back to the head. */
  #release(): void {
    this.#resetPending();
    this.#n = 0;
    const st = this.#staging;
    if (st === undefined) return;
    this.#staging = undefined;
    st.runCount = 0;
    this.#head.returnStaging(st);
  }

  #resetPending(): void {
    const st = this.#staging;
    if (st === undefined) return;
    for (let i = 0; i < st.touchedCount; i++) st.touched[i].clearPending();
    st.touchedCount = 0;
  }

  #reject(status: AppendStatus, labels: Labels, t: number): void {
    this.rejected[status]++;
    this.firstRejected ??= { status, labels, t };
  }
}

const EMPTY = new Float64Array(0);
