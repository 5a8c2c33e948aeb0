// The Influx line-protocol parse, as a decode-pool task: runs in a worker thread (or in the receiver's
// thread without a pool), gunzips and parses a body, maps each numeric field to its series as
// VictoriaMetrics does (mapping.ts), and hands back one row per sample — series id, timestamp, value —
// in line order, plus what was wrong with the bad lines. The main thread then only appends.

import { gunzipSync } from 'node:zlib';
import {
  FieldType,
  type LineProtocolError,
  type Precision,
  scanLineProtocol,
} from '../../format/influx/index.ts';
import { type SeriesDefinitions, SeriesIds } from '../decode-pool/series-ids.ts';
import { AnswerSpace } from '../decode-pool/slots.ts';
import type { TaskHandler, TaskOutput } from '../decode-pool/task.ts';
import { SeriesLabeler } from './mapping.ts';

export const INFLUX_TASK = 'influx.parse';

export interface InfluxTask {
  readonly body: Uint8Array;
  /** Where to put the answer's columns (see decode-pool/slots.ts). */
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

/** Most (db, field, measurement+tags) keys remembered; then the memory starts over. */
const MAX_KEYS = 100_000;

/** Growable rows of (series id, timestamp, value), reused across tasks; copied out exactly sized. */
class Rows {
  ids = new Int32Array(4096);
  ts = new Float64Array(4096);
  vs = new Float64Array(4096);
  n = 0;

  push(id: number, t: number, v: number): void {
    if (this.n === this.ids.length) this.#grow();
    this.ids[this.n] = id;
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  #grow(): void {
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

/** A parser with its own series ids and key memory (one per worker, or per receiver in-thread). */
export function createTaskHandler(): TaskHandler {
  const seriesIds = new SeriesIds();
  /**
   * Series ids by db, then field, then the line's raw measurement and tags: writers repeat the same
   * series in every batch, and a known one then needs no label building and no key string.
   */
  const keys = new Map<string, Map<string, Map<string, number>>>();
  let keyCount = 0;
  const labeler = new SeriesLabeler();
  const rows = new Rows();

  return (input): TaskOutput => {
    const task = input as InfluxTask;
    if (seriesIds.begin()) {
      keys.clear();
      keyCount = 0;
    }
    const text = bodyText(task);
    if (typeof text !== 'string') return { value: { ...text, ok: false, defs: seriesIds.definitions() } };

    let forDb = keys.get(task.db);
    if (forDb === undefined) {
      forDb = new Map();
      keys.set(task.db, forDb);
    }
    rows.n = 0;
    let strings = 0;
    let badLines = 0;
    let firstBad: string | undefined;
    const bad = (message: string) => {
      badLines++;
      firstBad ??= message;
    };
    scanLineProtocol(
      text,
      { precision: task.precision, maxLineBytes: task.maxLineBytes },
      (p) => {
        let begun = false;
        const t = p.timestamp ?? task.defaultTs;
        fields: for (let i = 0; i < p.fieldCount; i++) {
          if (p.fieldTypes[i] === FieldType.String) {
            strings++;
            continue;
          }
          // A repeated field key: the last one wins, as in InfluxDB.
          const field = p.fieldKeys[i];
          for (let k = i + 1; k < p.fieldCount; k++) if (p.fieldKeys[k] === field) continue fields;
          let forField = forDb.get(field);
          if (forField === undefined) {
            forField = new Map();
            forDb.set(field, forField);
          }
          let id = forField.get(p.seriesKey);
          if (id === undefined) {
            if (!begun) {
              const problem = labeler.begin(p.tagKeys, p.tagValues, p.tagCount, task.db);
              if (problem !== undefined) return bad(`line ${p.line}: ${problem}`);
              begun = true;
            }
            id = seriesIds.idOf(labeler.labels(p.measurement, field));
            if (keyCount >= MAX_KEYS) {
              for (const m of keys.values()) m.clear();
              keyCount = 0;
            }
            forField.set(p.seriesKey, id);
            keyCount++;
          }
          rows.push(id, t, p.fieldValues[i]);
        }
      },
      (err: LineProtocolError) => bad(err.message),
    );
    const n = rows.n;
    const space = new AnswerSpace(
      task.slot,
      2 * AnswerSpace.columnBytes(n, 8) + AnswerSpace.columnBytes(n, 4),
    );
    const timestamps = space.float64(n);
    timestamps.set(rows.ts.subarray(0, n));
    const values = space.float64(n);
    values.set(rows.vs.subarray(0, n));
    const ids = space.int32(n);
    ids.set(rows.ids.subarray(0, n));
    return {
      value: {
        ok: true,
        defs: seriesIds.definitions(),
        ids,
        timestamps,
        values,
        strings,
        badLines,
        firstBad,
      } satisfies InfluxBatch,
    };
  };
}

/** The body as text, gunzipped when asked (bounded), or why it cannot be read. */
function bodyText(task: InfluxTask): string | { status: number; code: string; message: string } {
  const body = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  if (!task.gzip) return body.toString('utf8');
  try {
    return gunzipSync(body, { maxOutputLength: task.maxDecompressedBytes }).toString('utf8');
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
