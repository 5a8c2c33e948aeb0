// The Influx line-protocol parse, as a worker-pool task: runs in a worker thread (or in the receiver's
// thread without a pool), gunzips and parses a body, maps each numeric field to its series as
// VictoriaMetrics does (mapping.ts), and hands back one row per sample — series id, timestamp, value —
// in line order, plus what was wrong with the bad lines. The main thread then only appends.
//
// The body is read as bytes, never decoded whole: its lines are found, and those of the one-field
// shape read, in WebAssembly (line-scan.ts); the other lines go through the byte scanner. A line whose
// fields are known (by their bytes, field-ids.ts) then costs a lookup; the rest — new series, escapes,
// errors — is decoded line by line and read by the full parser, with the same results and messages.

import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { ByteLineScanner, MAX_SCANNED_FIELDS } from '../../format/influx/byte-scanner.ts';
import {
  FieldType,
  type LineProtocolError,
  LineProtocolScanner,
  type Point,
  type Precision,
} from '../../format/influx/index.ts';
import { LineScan } from '../../format/influx/line-scan.ts';
import type { TaskHandler, TaskOutput } from '../../workers/task.ts';
import { type SeriesDefinitions, SeriesIds } from '../decoding/series-ids.ts';
import { AnswerSpace } from '../decoding/slots.ts';
import { FieldIds, TextFieldIds } from './field-ids.ts';
import { SeriesLabeler } from './mapping.ts';

export const INFLUX_TASK = 'influx.parse';

export interface InfluxTask {
  readonly body: Uint8Array;
  /** Where to put the answer's columns (see ../decoding/slots.ts). */
  readonly slot?: ArrayBufferLike;
  readonly gzip: boolean;
  /** Largest body after gunzip, in bytes. */
  readonly maxDecompressedBytes: number;
  readonly precision: Precision;
  readonly maxLineBytes: number;
  /** The v1 `db` or v2 `bucket` ('' for none). */
  readonly db: string;
  /** Timestamp of lines without one (ms): the time the request arrived. */
  readonly defaultTs: number;
}

export type InfluxBatch =
  | {
      readonly ok: true;
      readonly defs: SeriesDefinitions;
      /** Per sample, in line order: its series id, timestamp (ms) and value. */
      readonly ids: Int32Array;
      readonly timestamps: Float64Array;
      readonly values: Float64Array;
      /** String fields skipped (they have no Prometheus value). */
      readonly strings: number;
      readonly badLines: number;
      /** The first bad line's error (`line N: …`). */
      readonly firstBad: string | undefined;
    }
  | {
      readonly ok: false;
      readonly defs: SeriesDefinitions;
      /** An HTTP status for the whole body (gzip it cannot read, too large once gunzipped). */
      readonly status: number;
      readonly code: string;
      readonly message: string;
    };

const EMPTY = new Uint8Array(0);

/** Growable rows of (series id, timestamp, value), reused across tasks; copied out exactly sized. */
class Rows {
  ids = new Int32Array(4096);
  ts = new Float64Array(4096);
  vs = new Float64Array(4096);
  n = 0;

  push(id: number, t: number, v: number): void {
    if (this.n === this.ids.length) this.grow();
    this.ids[this.n] = id;
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  grow(): void {
    const size = this.ids.length * 2;
    const ids = new Int32Array(size);
    ids.set(this.ids);
    const ts = new Float64Array(size);
    ts.set(this.ts);
    const vs = new Float64Array(size);
    vs.set(this.vs);
    this.ids = ids;
    this.ts = ts;
    this.vs = vs;
  }
}

/**
 * A parser with its own series ids and key memory (one per worker, or per receiver in-thread);
 * `maxSeriesIds` bounds the ids of a generation (see SeriesIds).
 */
export function createTaskHandler(maxSeriesIds?: number): TaskHandler {
  const parser = new BodyParser(new SeriesIds(maxSeriesIds));
  return (input): TaskOutput => ({ value: parser.parse(input as InfluxTask) });
}

/**
 * Parses bodies line by line from their bytes. A line the byte scanner reads whose numeric fields all
 * have known ids becomes rows at once; any other line is decoded and read by the full parser, mapped
 * to labels and ids, and — when the byte scanner had read it — its field keys are remembered.
 */
class BodyParser {
  readonly #seriesIds: SeriesIds;
  readonly #fieldIds = new FieldIds();
  readonly #textIds = new TextFieldIds();
  readonly #labeler = new SeriesLabeler();
  readonly #lines = new LineScan();
  readonly #scanner = new ByteLineScanner();
  readonly #lineParser = new LineProtocolScanner();
  /** The full parser's options for the request being parsed, and the number of the line it reads. */
  readonly #options: { precision: Precision; maxLineBytes: number; firstLine: number } = {
    precision: 'ns',
    maxLineBytes: 0,
    firstLine: 1,
  };
  /** Per field of the scanned line: its id, or -1 when not known. */
  readonly #ids = new Int32Array(MAX_SCANNED_FIELDS);
  readonly #rows = new Rows();
  /** The request being parsed, its body, and what it has produced besides rows. */
  #task: InfluxTask | undefined;
  #buf: Uint8Array = EMPTY;
  /** Whether the full parser is reading a line the byte scanner read (whose keys to remember). */
  #remember = false;
  /** The request's timestamp for lines without one. */
  #defaultTs = 0;
  #strings = 0;
  #badLines = 0;
  #firstBad: string | undefined;

  constructor(seriesIds: SeriesIds) {
    this.#seriesIds = seriesIds;
  }

  parse(task: InfluxTask): InfluxBatch {
    const seriesIds = this.#seriesIds;
    const newGeneration = seriesIds.begin();
    this.#fieldIds.begin(task.db, newGeneration);
    this.#textIds.begin(task.db, newGeneration);
    const received = bodyBytes(task);
    if (!Buffer.isBuffer(received)) return { ...received, ok: false, defs: seriesIds.definitions() };
    // From here on the body is read from the line scan's copy: memory of this thread's own, where
    // Buffer.indexOf (which the byte scanner calls a few times a line) costs a third of what it
    // does over the shared slot a worker's body comes in.
    const lines = this.#lines;
    const body = lines.load(received, task.precision);
    this.#task = task;
    this.#defaultTs = task.defaultTs;
    this.#buf = body;
    this.#rows.n = 0;
    this.#strings = 0;
    this.#badLines = 0;
    this.#firstBad = undefined;
    const scanner = this.#scanner;
    scanner.precision = task.precision;
    scanner.restart();
    const options = this.#options;
    options.precision = task.precision;
    options.maxLineBytes = task.maxLineBytes;
    let lineNo = 0;
    while (lines.next()) {
      lineNo++;
      const { start, stop, end } = lines;
      if (!this.#fits(body, start, stop, task.maxLineBytes)) this.#fullParse(body, start, end, lineNo, false);
      else if (lines.read || scanner.scan(body, start, stop)) {
        if (lines.read) scanner.take(lines);
        if (!scanner.blank && !this.#fromKnownIds(body)) this.#fullParse(body, start, end, lineNo, true);
      } else this.#fullParse(body, start, end, lineNo, false);
    }
    this.#task = undefined;
    this.#buf = EMPTY;
    return this.#answer(task.slot);
  }

  /**
   * Whether the line `buf[a, b)` is within the length limit as the full parser counts it (UTF-8
   * bytes of the decoded text: invalid sequences become U+FFFD, up to 3 bytes for 1).
   */
  #fits(buf: Buffer, a: number, b: number, maxLineBytes: number): boolean {
    const n = b - a;
    return n <= maxLineBytes && (3 * n <= maxLineBytes || isUtf8(buf.subarray(a, b)));
  }

  /** Rows for the scanned line when all its numeric fields have ids; false (nothing done) if not. */
  #fromKnownIds(buf: Buffer): boolean {
    const scanner = this.#scanner;
    const ids = this.#ids;
    if (!this.#fieldIds.find(buf, scanner, ids)) return false;
    const t = scanner.hasTimestamp ? scanner.timestamp : this.#defaultTs;
    // Written here rather than through a call: a timestamp or value passed as an argument is boxed
    // (two heap numbers per sample were half of what the parse allocated).
    const rows = this.#rows;
    for (let i = 0; i < scanner.fieldCount; i++) {
      if (scanner.isString[i] !== 0) continue;
      const n = rows.n;
      if (n === rows.ids.length) rows.grow();
      rows.ids[n] = ids[i];
      rows.ts[n] = t;
      rows.vs[n] = scanner.values[i];
      rows.n = n + 1;
    }
    this.#strings += scanner.stringCount;
    return true;
  }

  /** The line `buf[a, end)` (its `\r` kept: the parser drops it) read by the full parser. */
  #fullParse(buf: Buffer, a: number, end: number, lineNo: number, remember: boolean): void {
    this.#remember = remember;
    this.#options.firstLine = lineNo;
    this.#lineParser.scan(buf.toString('utf8', a, end), this.#options, this.#onPoint, this.#onError);
  }

  /** A point the full parser read: one row per numeric field, mapped as VictoriaMetrics does. */
  readonly #onPoint = (p: Point): void => {
    const task = this.#task as InfluxTask;
    const t = p.timestamp ?? task.defaultTs;
    let begun = false;
    fields: for (let i = 0; i < p.fieldCount; i++) {
      if (p.fieldTypes[i] === FieldType.String) {
        this.#strings++;
        continue;
      }
      // A repeated field key: the last one wins, as in InfluxDB.
      const field = p.fieldKeys[i];
      for (let k = i + 1; k < p.fieldCount; k++) if (p.fieldKeys[k] === field) continue fields;
      // The byte scanner read this line (same fields, in the same order): some keys may be known.
      const remember = this.#remember;
      let id = remember ? this.#ids[i] : this.#textIds.find(field, p.seriesKey);
      if (id < 0) {
        if (!begun) {
          const problem = this.#labeler.begin(p.tagKeys, p.tagValues, p.tagCount, task.db);
          if (problem !== undefined) {
            this.#bad(`line ${p.line}: ${problem}`);
            return;
          }
          begun = true;
        }
        id = this.#seriesIds.idOf(this.#labeler.labels(p.measurement, field));
        if (remember) this.#fieldIds.add(this.#buf, this.#scanner, i, id);
        else this.#textIds.add(field, p.seriesKey, id);
      }
      this.#rows.push(id, t, p.fieldValues[i]);
    }
  };

  readonly #onError = (err: LineProtocolError): void => this.#bad(err.message);

  #bad(message: string): void {
    this.#badLines++;
    this.#firstBad ??= message;
  }

  /** The rows, exactly sized, in the answer's space. */
  #answer(slot: ArrayBufferLike | undefined): InfluxBatch {
    const rows = this.#rows;
    const n = rows.n;
    const space = new AnswerSpace(slot, 2 * AnswerSpace.columnBytes(n, 8) + AnswerSpace.columnBytes(n, 4));
    const timestamps = space.float64(n);
    timestamps.set(rows.ts.subarray(0, n));
    const values = space.float64(n);
    values.set(rows.vs.subarray(0, n));
    const ids = space.int32(n);
    ids.set(rows.ids.subarray(0, n));
    return {
      ok: true,
      defs: this.#seriesIds.definitions(),
      ids,
      timestamps,
      values,
      strings: this.#strings,
      badLines: this.#badLines,
      firstBad: this.#firstBad,
    };
  }
}

/** The body's bytes, gunzipped when asked (bounded), or why it cannot be read. */
function bodyBytes(task: InfluxTask): Buffer | { status: number; code: string; message: string } {
  const body = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  if (!task.gzip) return body;
  try {
    return gunzipSync(body, { maxOutputLength: task.maxDecompressedBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      return {
        status: 413,
        code: 'request too large',
        message: `the decompressed body is larger than ${task.maxDecompressedBytes} bytes`,
      };
    return { status: 400, code: 'invalid', message: `gzip: ${(err as Error).message}` };
  }
}
