// Decoder for prometheus.WriteRequest (remote_write 1.0, as Prometheus itself sends it: series with
// labels, samples, exemplars and native histograms, plus metric metadata). A WireCursor walks the
// wire; the samples of all series land in one pair of typed arrays (WriteRequestColumns, see
// types.ts). Unknown fields are skipped, as protobuf requires.

import type { Label, Labels } from '../../model/labels.ts';
import type { NameValidation } from '../../model/names.ts';
import { NO_EXEMPLARS, seriesFromColumns } from './columns.ts';
import { RemoteWriteDecodeError } from './errors.ts';
import { metricTypeFromWire } from './metric-type.ts';
import { type PlainRequest, walkPlain } from './plain-walk.ts';
import { Columns, expect, readTag, skip, validateLabels } from './reading.ts';
import type { SeriesKeys } from './series-keys.ts';
import { snappyUncompressTransient } from './snappy.ts';
import { asBuffer, readUtf8 } from './strings.ts';
import type {
  DecodedExemplars,
  DecodedWriteRequest,
  RemoteWriteMetadata,
  WriteRequestColumns,
} from './types.ts';
import { readDoubleBytes, readInt64, readLengthEnd, truncated, WireCursor } from './wire.ts';

// Wire types, local: under tsx an imported binding is read through a getter on every use.
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export interface DecodeOptions {
  /** Largest decompressed body accepted; checked against the snappy preamble before allocating. */
  readonly maxDecompressedBytes: number;
  /** Label and metric name rules (default `utf8`, Prometheus 3.x; `legacy` is the classic regexes). */
  readonly nameValidation?: NameValidation;
  /**
   * Names series by their wire bytes (see series-keys.ts): the columns then carry `ids` and no
   * labels, and known series cost no label decoding.
   */
  readonly seriesKeys?: SeriesKeys;
  /**
   * Return the sample columns as views of scratch memory that the next decode overwrites, for a
   * caller that copies them out at once (one allocation fewer per column and request).
   */
  readonly transient?: boolean;
}

/** Decodes a remote_write body: snappy block, then protobuf. Throws only {@link RemoteWriteDecodeError}. */
export function decodeWriteRequest(body: Uint8Array, options: DecodeOptions): DecodedWriteRequest {
  return seriesFromColumns(decodeWriteRequestColumns(body, options));
}

/** {@link decodeWriteRequest} into columns, the shape the receiver appends from. */
export function decodeWriteRequestColumns(body: Uint8Array, options: DecodeOptions): WriteRequestColumns {
  return decodeProtoColumns(snappyUncompressTransient(body, options.maxDecompressedBytes), options);
}

/** Decodes an uncompressed prometheus.WriteRequest. Throws only {@link RemoteWriteDecodeError}. */
export function decodeWriteRequestProto(
  bytes: Uint8Array,
  options: Omit<DecodeOptions, 'maxDecompressedBytes'> = {},
): DecodedWriteRequest {
  return seriesFromColumns(decodeProtoColumns(bytes, options));
}

function decodeProtoColumns(
  bytes: Uint8Array,
  options: Omit<DecodeOptions, 'maxDecompressedBytes'>,
): WriteRequestColumns {
  try {
    return new RequestDecoder(bytes, options.nameValidation ?? 'utf8', options.seriesKeys).decode(
      options.transient === true,
    );
  } catch (err) {
    if (err instanceof RemoteWriteDecodeError) throw err;
    // Anything else would be a bug in this decoder; report it as undecodable input all the same.
    throw new RemoteWriteDecodeError(`protobuf: ${(err as Error).message}`);
  }
}

// Scratch shared by all decodes (they are synchronous): every sample of the request, then copied out
// once, exactly sized.
const sampleColumns = new Columns();
const exemplarColumns = new Columns();
let seriesEnds = new Uint32Array(256);
let seriesHistograms = new Uint32Array(256);
let seriesIds = new Int32Array(256);
const NO_LABELS: readonly Labels[] = Object.freeze([]);

class RequestDecoder {
  readonly #buf: Buffer;
  readonly #view: DataView;
  readonly #r: WireCursor;
  readonly #mode: NameValidation;
  readonly #keys: SeriesKeys | undefined;
  /** Label sets by series when there are no keys. */
  readonly #labels: Labels[] = [];
  /** Exemplars by series, filled in only once a series has some. */
  #exemplarSets: DecodedExemplars[] | undefined;
  #samples = 0;
  #histograms = 0;
  #exemplars = 0;

  constructor(bytes: Uint8Array, mode: NameValidation, keys: SeriesKeys | undefined) {
    this.#buf = asBuffer(bytes);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#r = new WireCursor(this.#buf);
    this.#mode = mode;
    this.#keys = keys;
  }

  decode(transient: boolean): WriteRequestColumns {
    // Series named by their bytes, as the receivers name them: a plain body is walked in WebAssembly.
    if (this.#keys !== undefined) {
      const plain = walkPlain(this.#buf);
      if (plain !== undefined) return this.#fromPlain(plain, this.#keys, transient);
    }
    const r = this.#r;
    const end = this.#buf.length;
    const metadata: RemoteWriteMetadata[] = [];
    let n = 0;
    while (r.pos < end) {
      const tag = readTag(r, end, 'WriteRequest');
      const field = tag >>> 3;
      if (field === 1) {
        expect(tag, WIRE_LEN, 'WriteRequest.timeseries');
        if (n === seriesEnds.length) growSeriesScratch();
        this.#series(readLengthEnd(r, end, 'WriteRequest.timeseries'), n);
        n++;
      } else if (field === 3) {
        expect(tag, WIRE_LEN, 'WriteRequest.metadata');
        metadata.push(this.#metadata(readLengthEnd(r, end, 'WriteRequest.metadata')));
      } else {
        skip(r, tag, end, 'WriteRequest');
      }
    }
    const total = this.#samples;
    const seriesExemplars = this.#exemplarSets ?? [];
    if (seriesExemplars.length > 0)
      for (let i = seriesExemplars.length; i < n; i++) seriesExemplars.push(NO_EXEMPLARS);
    const out = columnOut(transient);
    return {
      labels: this.#keys === undefined ? this.#labels : NO_LABELS,
      ids: this.#keys === undefined ? undefined : out(seriesIds, n),
      ends: out(seriesEnds, n),
      timestamps: out(sampleColumns.ts, total),
      values: out(sampleColumns.values, total),
      seriesExemplars,
      histogramCounts: out(seriesHistograms, n),
      metadata,
      samples: total,
      histograms: this.#histograms,
      exemplars: this.#exemplars,
    };
  }

  /** The columns of a body plain-walk.wat walked: each series found (or added) by its Label bytes. */
  #fromPlain(plain: PlainRequest, keys: SeriesKeys, transient: boolean): WriteRequestColumns {
    const n = plain.series;
    while (seriesEnds.length < n) growSeriesScratch();
    const spans = plain.spans;
    for (let i = 0; i < n; i++) {
      const start = spans[3 * i];
      const end = spans[3 * i + 1];
      let id = keys.find(this.#buf, start, end);
      if (id < 0) id = keys.add(this.#buf, start, end, this.#validated(this.#labelsIn(start, end, [], i), i));
      seriesIds[i] = id;
      seriesEnds[i] = spans[3 * i + 2];
      seriesHistograms[i] = 0;
    }
    const total = n === 0 ? 0 : seriesEnds[n - 1];
    const out = columnOut(transient);
    return {
      labels: NO_LABELS,
      ids: out(seriesIds, n),
      ends: out(seriesEnds, n),
      // Views of the walker's memory, which the next decode overwrites, when transient.
      timestamps: out(plain.timestamps, total),
      values: out(plain.values, total),
      seriesExemplars: [],
      histogramCounts: out(seriesHistograms, n),
      metadata: [],
      samples: total,
      histograms: 0,
      exemplars: 0,
    };
  }

  /** Decodes series `index`: its samples go to the request's rows, its exemplars to the side. */
  #series(end: number, index: number): void {
    const r = this.#r;
    const keys = this.#keys;
    let pairs: Label[] | undefined;
    let exemplarLabels: Labels[] | undefined;
    // Rows of this series follow those of the series before it.
    let n = this.#samples;
    let histograms = 0;
    // The byte range of the Label fields, while they are contiguous (as every sender writes them).
    let labelsStart = -1;
    let labelsEnd = -1;
    let contiguous = true;
    while (r.pos < end) {
      const at = r.pos;
      const tag = readTag(r, end, 'TimeSeries');
      switch (tag >>> 3) {
        case 1: {
          expect(tag, WIRE_LEN, 'TimeSeries.labels');
          if (labelsStart < 0 && keys?.expectedAt !== undefined) {
            // A known series, as expected: its Label fields are the key's bytes, skipped whole (if
            // more Label fields follow, the loop takes them on as usual and the key is not used).
            const n = keys.expectedAt(this.#buf, at, end);
            if (n > 0) {
              labelsStart = at;
              labelsEnd = at + n;
              r.pos = labelsEnd;
              break;
            }
          }
          const stop = readLengthEnd(r, end, 'TimeSeries.labels');
          if (labelsStart < 0) labelsStart = at;
          else if (contiguous && labelsEnd !== at) {
            // Labels interleaved with other fields: no key; decode the ones skipped so far.
            contiguous = false;
            if (keys !== undefined) pairs = this.#labelsIn(labelsStart, labelsEnd, [], index);
          }
          labelsEnd = stop;
          if (keys === undefined || !contiguous) {
            pairs ??= [];
            pairs.push(this.#label(stop, index));
          } else r.pos = stop;
          break;
        }
        case 2: {
          expect(tag, WIRE_LEN, 'TimeSeries.samples');
          sampleColumns.ensure(n + 1);
          const stop = readLengthEnd(r, end, 'TimeSeries.samples');
          if (!this.#plainSample(stop, n)) this.#sample(stop, sampleColumns, n, 'Sample');
          n++;
          break;
        }
        case 3: {
          expect(tag, WIRE_LEN, 'TimeSeries.exemplars');
          exemplarLabels ??= [];
          exemplarColumns.ensure(exemplarLabels.length + 1);
          exemplarLabels.push(
            this.#exemplar(readLengthEnd(r, end, 'TimeSeries.exemplars'), exemplarLabels.length, index),
          );
          break;
        }
        case 4:
          // Native histograms are detected and counted, not decoded (see DecodedSeries.histogramCount).
          expect(tag, WIRE_LEN, 'TimeSeries.histograms');
          r.pos = readLengthEnd(r, end, 'TimeSeries.histograms');
          histograms++;
          break;
        default:
          skip(r, tag, end, 'TimeSeries');
      }
    }
    if (keys === undefined) {
      this.#labels.push(this.#validated(pairs ?? [], index));
    } else if (!contiguous || labelsStart < 0) {
      seriesIds[index] = keys.idOf(this.#validated(pairs ?? [], index));
    } else {
      let id = keys.find(this.#buf, labelsStart, labelsEnd);
      if (id < 0) {
        const labels = this.#validated(this.#labelsIn(labelsStart, labelsEnd, [], index), index);
        id = keys.add(this.#buf, labelsStart, labelsEnd, labels);
      }
      seriesIds[index] = id;
    }
    this.#samples = n;
    seriesEnds[index] = n;
    seriesHistograms[index] = histograms;
    this.#histograms += histograms;
    if (exemplarLabels !== undefined) {
      const ne = exemplarLabels.length;
      this.#exemplars += ne;
      this.#exemplarSets ??= [];
      const sets = this.#exemplarSets;
      for (let i = sets.length; i < index; i++) sets.push(NO_EXEMPLARS);
      sets.push({
        labels: exemplarLabels,
        timestamps: exemplarColumns.ts.slice(0, ne),
        values: exemplarColumns.values.slice(0, ne),
      });
    }
  }

  #validated(pairs: Label[], index: number): Labels {
    return validateLabels(pairs, true, () => `series #${index}`, this.#mode);
  }

  /** Decodes the Label fields in [start, end) (skipped earlier) into `pairs`. */
  #labelsIn(start: number, end: number, pairs: Label[], index: number): Label[] {
    const r = this.#r;
    const resume = r.pos;
    r.pos = start;
    while (r.pos < end) {
      readTag(r, end, 'TimeSeries');
      pairs.push(this.#label(readLengthEnd(r, end, 'TimeSeries.labels'), index));
    }
    r.pos = resume;
    return pairs;
  }

  /**
   * A Sample written as every sender writes it — the value field, then the timestamp field (a positive
   * varint of at most 7 bytes: any ms time before the year 19,800), nothing else — into row `i`; false
   * (nothing read) for any other layout, which #sample then decodes.
   */
  #plainSample(end: number, i: number): boolean {
    const buf = this.#buf;
    const p = this.#r.pos;
    // Tag 0x09 is field 1 as fixed64, tag 0x10 field 2 as a varint; the varint fills the rest.
    const last = end - 1;
    if (last - p < 10 || last - p > 16 || buf[p] !== 0x09 || buf[p + 9] !== 0x10 || buf[last] >= 0x80)
      return false;
    let t = 0;
    let scale = 1;
    for (let k = p + 10; k < last; k++) {
      const b = buf[k];
      if (b < 0x80) return false;
      t += (b & 0x7f) * scale;
      scale *= 0x80;
    }
    sampleColumns.ts[i] = t + buf[last] * scale;
    // Word copies: the value keeps its exact bits.
    const words = sampleColumns.valueWords;
    words[2 * i] = this.#view.getUint32(p + 1, true);
    words[2 * i + 1] = this.#view.getUint32(p + 5, true);
    this.#r.pos = end;
    return true;
  }

  /** A Sample or the value/timestamp of an Exemplar into row `i` of `cols` (absent fields are 0). */
  #sample(end: number, cols: Columns, i: number, what: string, labels?: Label[], seriesIndex = 0): void {
    const r = this.#r;
    // Field numbers differ: Sample{value=1, timestamp=2}, Exemplar{labels=1, value=2, timestamp=3}.
    const shift = labels === undefined ? 0 : 1;
    cols.values[i] = 0;
    cols.ts[i] = 0;
    while (r.pos < end) {
      const tag = readTag(r, end, what);
      const field = (tag >>> 3) - shift;
      if (field === 1) {
        expect(tag, WIRE_FIXED64, `${what}.value`);
        readDoubleBytes(r, end, cols.valueBytes, i * 8, `${what}.value`);
      } else if (field === 2) {
        expect(tag, WIRE_VARINT, `${what}.timestamp`);
        cols.ts[i] = readInt64(r, end, `${what}.timestamp`);
      } else if (field === 0 && labels !== undefined) {
        expect(tag, WIRE_LEN, `${what}.labels`);
        labels.push(this.#label(readLengthEnd(r, end, `${what}.labels`), seriesIndex));
      } else {
        skip(r, tag, end, what);
      }
    }
  }

  #exemplar(end: number, i: number, seriesIndex: number): Labels {
    const pairs: Label[] = [];
    this.#sample(end, exemplarColumns, i, 'Exemplar', pairs, seriesIndex);
    return validateLabels(pairs, false, () => `exemplar #${i} of series #${seriesIndex}`, this.#mode);
  }

  #label(end: number, seriesIndex: number): Label {
    const r = this.#r;
    let name = '';
    let value = '';
    while (r.pos < end) {
      const tag = readTag(r, end, 'Label');
      const field = tag >>> 3;
      if (field === 1 || field === 2) {
        const what = field === 1 ? 'name' : 'value';
        expect(tag, WIRE_LEN, `Label.${what}`);
        const stop = readLengthEnd(r, end, `Label.${what}`);
        const start = r.pos;
        r.pos = stop;
        const s = readUtf8(this.#buf, start, r.pos);
        if (s === undefined)
          throw new RemoteWriteDecodeError(
            `labels: series #${seriesIndex}: a label ${what} is not valid UTF-8`,
          );
        if (field === 1) name = s;
        else value = s;
      } else {
        skip(r, tag, end, 'Label');
      }
    }
    return { name, value };
  }

  #metadata(end: number): RemoteWriteMetadata {
    const r = this.#r;
    let type = 0;
    let metricFamilyName = '';
    let help = '';
    let unit = '';
    while (r.pos < end) {
      const tag = readTag(r, end, 'MetricMetadata');
      const field = tag >>> 3;
      if (field === 1) {
        expect(tag, WIRE_VARINT, 'MetricMetadata.type');
        type = r.uint32();
        if (r.pos > end) throw truncated('MetricMetadata.type');
      } else if (field === 2 || field === 4 || field === 5) {
        const what = field === 2 ? 'metric_family_name' : field === 4 ? 'help' : 'unit';
        expect(tag, WIRE_LEN, `MetricMetadata.${what}`);
        const stop = readLengthEnd(r, end, `MetricMetadata.${what}`);
        const start = r.pos;
        r.pos = stop;
        const s = readUtf8(this.#buf, start, r.pos);
        if (s === undefined)
          throw new RemoteWriteDecodeError(`protobuf: MetricMetadata.${what} is not valid UTF-8`);
        if (field === 2) metricFamilyName = s;
        else if (field === 4) help = s;
        else unit = s;
      } else {
        skip(r, tag, end, 'MetricMetadata');
      }
    }
    return { metricFamilyName, type: metricTypeFromWire(type), help, unit };
  }
}

type Column = Uint32Array | Int32Array | Float64Array;

/**
 * How a decode hands out its first m rows of a column: views of the scratch (which the next decode
 * overwrites) when transient, else copies. slice() of a same-type typed array copies bytes, so NaN
 * payloads are kept (ECMA-262 %TypedArray%.prototype.slice).
 */
function columnOut(transient: boolean): <T extends Column>(a: T, m: number) => T {
  return transient ? viewOf : copyOf;
}

const viewOf = <T extends Column>(a: T, m: number): T => a.subarray(0, m) as T;
const copyOf = <T extends Column>(a: T, m: number): T => a.slice(0, m) as T;

function growSeriesScratch(): void {
  const ends = new Uint32Array(seriesEnds.length * 2);
  ends.set(seriesEnds);
  seriesEnds = ends;
  const histograms = new Uint32Array(seriesHistograms.length * 2);
  histograms.set(seriesHistograms);
  seriesHistograms = histograms;
  const ids = new Int32Array(seriesIds.length * 2);
  ids.set(seriesIds);
  seriesIds = ids;
}
