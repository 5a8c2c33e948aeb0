// Series ids of Influx fields by the bytes that spell them: (db, measurement and tags as written,
// field key). Writers repeat the same series in every request, so a known one costs a hash (or just
// a byte comparison, see ByteKeyTable) instead of label building and a key string.
//
// A field's key is the line's measurement and tags, one space and the field key. A line with one field
// is looked up by its own bytes `m,t=v<spaces>f` (contiguous in the body, nothing copied); a line with
// more fields composes each key in a scratch array. Both spellings name (series, field) unambiguously
// (the measurement and tags hold no space, the field key none either), and when two spellings mean
// the same series they get the same id from SeriesIds. Keys must only be added for bytes the full
// parser accepted: the byte scanner does not validate the measurement and tags.
//
// Lines the byte scanner does not take (escaped names, …) are known by their text instead, as the
// full parser gives it: TextFieldIds.

import type { ByteLineScanner } from '../../format/influx/byte-scanner.ts';
import { ByteKeyTable } from '../decoding/byte-key-table.ts';

/** Most dbs with a table of their own; one more and the oldest table is dropped. */
const MAX_DBS = 8;
/** Key bytes a db's table holds before it starts over (~100 bytes a key: ~80,000 fields). */
const MAX_KEY_BYTES_PER_DB = 8 << 20;

const SPACE = 32;

export class FieldIds {
  readonly #tables = new Map<string, ByteKeyTable>();
  #table: ByteKeyTable | undefined;
  #scratch: Uint8Array = new Uint8Array(512);

  /** Starts a request to `db`; forgets every key first when the ids are a new generation. */
  begin(db: string, newGeneration: boolean): void {
    if (newGeneration) for (const t of this.#tables.values()) t.clear();
    let table = this.#tables.get(db);
    if (table === undefined) {
      if (this.#tables.size >= MAX_DBS) {
        const oldest = this.#tables.keys().next().value as string;
        this.#tables.delete(oldest);
      }
      table = new ByteKeyTable(MAX_KEY_BYTES_PER_DB);
      this.#tables.set(db, table);
    }
    table.restart();
    this.#table = table;
  }

  /**
   * Looks up the id of each numeric field of the scanned line into `ids` (-1 for unknown ones; string
   * fields are left alone). True when every numeric field is known — and there is one at least: only
   * a known key vouches for the measurement and tags (a line of string fields has no key to know).
   */
  find(buf: Uint8Array, line: ByteLineScanner, ids: Int32Array): boolean {
    const table = this.#table as ByteKeyTable;
    const n = line.fieldCount;
    if (line.stringCount === n) return false;
    if (n === 1) {
      const id = table.find(buf, line.seriesStart, line.keyEnds[0]);
      ids[0] = id;
      return id >= 0;
    }
    const seriesBytes = this.#composeSeries(buf, line);
    let known = true;
    for (let i = 0; i < n; i++) {
      if (line.isString[i] === 1) continue;
      const end = this.#composeField(buf, line, seriesBytes, i);
      const id = table.find(this.#scratch, 0, end);
      ids[i] = id;
      if (id < 0) known = false;
    }
    return known;
  }

  /** Remembers `id` for numeric field `i` of the scanned line (whose key `find` did not know). */
  add(buf: Uint8Array, line: ByteLineScanner, i: number, id: number): void {
    const table = this.#table as ByteKeyTable;
    if (line.fieldCount === 1) {
      table.add(buf, line.seriesStart, line.keyEnds[0], id);
      return;
    }
    const end = this.#composeField(buf, line, this.#composeSeries(buf, line), i);
    table.add(this.#scratch, 0, end, id);
  }

  /** Copies the line's measurement and tags and a space into the scratch array; returns the length. */
  #composeSeries(buf: Uint8Array, line: ByteLineScanner): number {
    const start = line.seriesStart;
    const n = line.seriesEnd - start;
    let s = this.#scratch;
    if (s.length < n + 1) s = this.#grow(n + 1);
    for (let j = 0; j < n; j++) s[j] = buf[start + j];
    s[n] = SPACE;
    return n + 1;
  }

  /** Writes field `i`'s key after the series bytes in the scratch array; returns the key's length. */
  #composeField(buf: Uint8Array, line: ByteLineScanner, at: number, i: number): number {
    const start = line.keyStarts[i];
    const n = line.keyEnds[i] - start;
    let s = this.#scratch;
    if (s.length < at + n) s = this.#grow(at + n);
    for (let j = 0; j < n; j++) s[at + j] = buf[start + j];
    return at + n;
  }

  /** A larger scratch array holding what the old one held. */
  #grow(size: number): Uint8Array {
    const s = new Uint8Array(Math.max(size, 2 * this.#scratch.length));
    s.set(this.#scratch);
    this.#scratch = s;
    return s;
  }
}

/** Most keys TextFieldIds holds; then it starts over. */
const MAX_TEXT_KEYS = 100_000;

/** Series ids by db, then field key, then the measurement and tags as written (the full parser's `seriesKey`). */
export class TextFieldIds {
  readonly #byDb = new Map<string, Map<string, Map<string, number>>>();
  #db = '';
  #forDb = new Map<string, Map<string, number>>();
  #size = 0;

  /** Starts a request to `db`; forgets every key first when the ids are a new generation. */
  begin(db: string, newGeneration: boolean): void {
    if (newGeneration) this.#clear();
    this.#db = db;
    this.#forDb = this.#mapOf(db);
  }

  /** The id of field `field` of the series written `series`, or -1. */
  find(field: string, series: string): number {
    return this.#forDb.get(field)?.get(series) ?? -1;
  }

  add(field: string, series: string, id: number): void {
    if (this.#size >= MAX_TEXT_KEYS) {
      this.#clear();
      this.#forDb = this.#mapOf(this.#db);
    }
    let forField = this.#forDb.get(field);
    if (forField === undefined) {
      forField = new Map();
      this.#forDb.set(field, forField);
    }
    forField.set(series, id);
    this.#size++;
  }

  #mapOf(db: string): Map<string, Map<string, number>> {
    let forDb = this.#byDb.get(db);
    if (forDb === undefined) {
      forDb = new Map();
      this.#byDb.set(db, forDb);
    }
    return forDb;
  }

  #clear(): void {
    this.#byDb.clear();
    this.#size = 0;
  }
}
