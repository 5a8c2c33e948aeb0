// Naming series across the thread boundary with small integers instead of label sets. A worker gives
// each label set it decodes an id (SeriesIds) and sends the label set itself only with the first batch
// that uses the id; the main thread keeps, per worker, the store's series handle for each id
// (SeriesTable). Steady traffic then crosses the boundary as typed arrays only, and the main thread
// looks up nothing but an array slot per series.
//
// Ids only grow within a generation; when a worker has handed out `maxIds` it starts a new generation
// (both sides forget everything), which bounds the memory on both sides.

import type { SeriesKeys } from '../../format/remote-write/series-keys.ts';
import { Labels } from '../../model/labels.ts';
import type { Appender, SeriesHandle } from '../../tsdb/storage.ts';
import { ByteKeyTable } from './byte-key-table.ts';

/** The label sets of the ids a batch used first: ids first, first+1, … in order. */
export interface SeriesDefinitions {
  readonly generation: number;
  readonly first: number;
  /** Each label set in the compact form `[name0, value0, …]` (sorted, validated). */
  readonly labels: readonly (readonly string[])[];
}

/** Worker side: ids by label set, and the definitions the main thread has not been sent yet. */
export class SeriesIds {
  readonly maxIds: number;
  readonly #ids = new Map<string, number>();
  #generation = 0;
  #next = 0;
  #first = 0;
  #fresh: string[][] = [];

  constructor(maxIds = 1 << 18) {
    this.maxIds = maxIds;
  }

  get generation(): number {
    return this.#generation;
  }

  /**
   * Starts a batch. Returns true when it starts a new generation: whatever the caller keeps that
   * maps to ids (caches keyed by wire bytes, …) must then be forgotten too.
   */
  begin(): boolean {
    this.#first = this.#next;
    this.#fresh = [];
    if (this.#next < this.maxIds) return false;
    this.reset();
    return true;
  }

  /** The id of `labels`, new (and queued for the main thread) when the set was not seen before. */
  idOf(labels: Labels): number {
    const key = labels.key;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#next++;
      this.#ids.set(key, id);
      this.#fresh.push(labels.toFlat());
    }
    return id;
  }

  /** The definitions of the ids this batch created; send them whatever the batch's outcome. */
  definitions(): SeriesDefinitions {
    return { generation: this.#generation, first: this.#first, labels: this.#fresh };
  }

  /** Forgets every id (a new generation): after an error that may have lost definitions. */
  reset(): void {
    this.#ids.clear();
    this.#generation++;
    this.#next = 0;
    this.#first = 0;
    this.#fresh = [];
  }
}

/**
 * Worker side for a decoder that names series by their wire bytes (see SeriesKeys): a table from
 * bytes to ids in front of SeriesIds, so a known series costs one hash and one byte comparison.
 */
export class WireSeriesIds implements SeriesKeys {
  readonly ids: SeriesIds;
  readonly #table = new ByteKeyTable();

  constructor(ids = new SeriesIds()) {
    this.ids = ids;
  }

  /** Starts a batch (see SeriesIds.begin); a new generation empties the table. */
  begin(): void {
    if (this.ids.begin()) this.#table.clear();
    this.#table.restart();
  }

  definitions(): SeriesDefinitions {
    return this.ids.definitions();
  }

  find(buf: Uint8Array, start: number, end: number): number {
    return this.#table.find(buf, start, end);
  }

  expectedAt(buf: Uint8Array, start: number, limit: number): number {
    return this.#table.expectedAt(buf, start, limit);
  }

  add(buf: Uint8Array, start: number, end: number, labels: Labels): number {
    const id = this.ids.idOf(labels);
    this.#table.add(buf, start, end, id);
    return id;
  }

  idOf(labels: Labels): number {
    return this.ids.idOf(labels);
  }
}

/** The id is not defined on this side: the worker and the main thread disagree (a bug). */
export class UnknownSeriesIdError extends Error {}

/** Main-thread side, one per worker: the store's series handle (or, until made, the labels) per id. */
export class SeriesTable {
  #generation = -1;
  /** Per id: the labels as defined, until the store's handle is made; then the handle. */
  #labels: (Labels | undefined)[] = [];
  #handles: (SeriesHandle | undefined)[] = [];

  /** Takes in a batch's definitions (first, before anything in the batch is looked up). */
  define(defs: SeriesDefinitions): void {
    if (defs.generation !== this.#generation) {
      this.#generation = defs.generation;
      this.#labels = [];
      this.#handles = [];
    }
    const labels = this.#labels;
    if (defs.first > labels.length)
      throw new UnknownSeriesIdError(`series ids ${labels.length}..${defs.first - 1} were never defined`);
    for (let i = 0; i < defs.labels.length; i++) {
      labels[defs.first + i] = Labels.fromFlat(defs.labels[i]);
      this.#handles[defs.first + i] = undefined;
    }
  }

  /**
   * The series for `id`, looked up in (or created by) the store on first use; undefined when the
   * store refuses it (series limit), in which case the next use asks again.
   */
  handle(id: number, appender: Appender): SeriesHandle | undefined {
    const h = this.#handles[id];
    if (h !== undefined) return h;
    const labels = this.#labels[id];
    if (labels === undefined) throw new UnknownSeriesIdError(`series id ${id} was never defined`);
    const made = appender.series(labels);
    if (made !== undefined) {
      this.#handles[id] = made;
      this.#labels[id] = undefined;
    }
    return made;
  }
}

/** One SeriesTable per worker of a pool, dropped when the worker stops. */
export class SeriesTables {
  readonly #tables = new Map<number, SeriesTable>();

  for(worker: number): SeriesTable {
    let t = this.#tables.get(worker);
    if (t === undefined) {
      t = new SeriesTable();
      this.#tables.set(worker, t);
    }
    return t;
  }

  forget(worker: number): void {
    this.#tables.delete(worker);
  }
}
