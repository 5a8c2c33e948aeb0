// Decoder for prometheus.WriteRequest (remote_write 1.0, as Prometheus itself sends it: series with
// labels, samples, exemplars and native histograms, plus metric metadata). protobufjs' Reader walks the
// wire; the samples of all series land in one pair of typed arrays (WriteRequestColumns, see
// types.ts). Unknown fields are skipped, as protobuf requires.

import { Reader } from 'protobufjs';
import type { Label, Labels } from '../../model/labels.ts';
import type { NameValidation } from '../../model/names.ts';
import { NO_EXEMPLARS, seriesFromColumns } from './columns.ts';
import { RemoteWriteDecodeError } from './errors.ts';
import { metricTypeFromWire } from './metric-type.ts';
import { Columns, expect, readTag, skip, validateLabels } from './reading.ts';
import { snappyUncompress } from './snappy.ts';
import { asBuffer, readUtf8 } from './strings.ts';
import type {
  DecodedExemplars,
  DecodedWriteRequest,
  RemoteWriteMetadata,
  WriteRequestColumns,
} from './types.ts';
import { readDoubleBytes, readInt64, readLengthEnd, truncated } from './wire.ts';

// Wire types, local: under tsx an imported binding is read through a getter on every use.
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export interface DecodeOptions {
  /** Largest decompressed body accepted; checked against the snappy preamble before allocating. */
  readonly maxDecompressedBytes: number;
  /** Label and metric name rules (default `utf8`, Prometheus 3.x; `legacy` is the classic regexes). */
  readonly nameValidation?: NameValidation;
  /** Label sets already seen, by their wire bytes; see {@link LabelSetCache}. */
  readonly labelCache?: LabelSetCache;
}

/**
 * Remembers decoded, validated label sets by the exact bytes of their Label fields. A sender repeats
 * the same series in every request, so a receiver keeping one of these across requests skips the
 * string decoding, sorting and validation of every label set it has seen (the same bytes always mean
 * the same labels). Bounded: when full it starts over.
 */
export class LabelSetCache {
  readonly #map = new Map<string, Labels>();
  readonly maxEntries: number;

  constructor(maxEntries = 200_000) {
    this.maxEntries = maxEntries;
  }

  get(key: string): Labels | undefined {
    return this.#map.get(key);
  }

  set(key: string, labels: Labels): void {
    if (this.#map.size >= this.maxEntries) this.#map.clear();
    this.#map.set(key, labels);
  }
}

/** Decodes a remote_write body: snappy block, then protobuf. Throws only {@link RemoteWriteDecodeError}. */
export function decodeWriteRequest(body: Uint8Array, options: DecodeOptions): DecodedWriteRequest {
  return seriesFromColumns(decodeWriteRequestColumns(body, options));
}

/** {@link decodeWriteRequest} into columns, the shape the receiver appends from. */
export function decodeWriteRequestColumns(body: Uint8Array, options: DecodeOptions): WriteRequestColumns {
  return decodeProtoColumns(snappyUncompress(body, options.maxDecompressedBytes), options);
}

/** Decodes an uncompressed prometheus.WriteRequest. Throws only {@link RemoteWriteDecodeError}. */
export function decodeWriteRequestProto(
  bytes: Uint8Array,
  options: { readonly nameValidation?: NameValidation; readonly labelCache?: LabelSetCache } = {},
): DecodedWriteRequest {
  return seriesFromColumns(decodeProtoColumns(bytes, options));
}

function decodeProtoColumns(
  bytes: Uint8Array,
  options: { readonly nameValidation?: NameValidation; readonly labelCache?: LabelSetCache },
): WriteRequestColumns {
  try {
    return new RequestDecoder(bytes, options.nameValidation ?? 'utf8', options.labelCache).decode();
  } catch (err) {
    if (err instanceof RemoteWriteDecodeError) throw err;
    // protobufjs' own errors: reads past the end, over-long varints, bad wire types, deep groups.
    throw new RemoteWriteDecodeError(`protobuf: ${(err as Error).message}`);
  }
}

// Scratch shared by all decodes (they are synchronous): every sample of the request, then copied out
// once, exactly sized.
const sampleColumns = new Columns();
const exemplarColumns = new Columns();
let seriesEnds = new Uint32Array(256);
let seriesHistograms = new Uint32Array(256);

class RequestDecoder {
  readonly #buf: Buffer;
  readonly #r: Reader;
  readonly #mode: NameValidation;
  readonly #cache: LabelSetCache | undefined;
  #samples = 0;
  #histograms = 0;
  #exemplars = 0;

  constructor(bytes: Uint8Array, mode: NameValidation, cache: LabelSetCache | undefined) {
    this.#buf = asBuffer(bytes);
    this.#r = Reader.create(this.#buf);
    this.#mode = mode;
    this.#cache = cache;
  }

  decode(): WriteRequestColumns {
    const r = this.#r;
    const end = this.#buf.length;
    const labels: Labels[] = [];
    const exemplars: DecodedExemplars[] = [];
    const metadata: RemoteWriteMetadata[] = [];
    while (r.pos < end) {
      const tag = readTag(r, end, 'WriteRequest');
      const field = tag >>> 3;
      if (field === 1) {
        expect(tag, WIRE_LEN, 'WriteRequest.timeseries');
        const i = labels.length;
        if (i === seriesEnds.length) growSeriesScratch();
        labels.push(this.#series(readLengthEnd(r, end, 'WriteRequest.timeseries'), i, exemplars));
      } else if (field === 3) {
        expect(tag, WIRE_LEN, 'WriteRequest.metadata');
        metadata.push(this.#metadata(readLengthEnd(r, end, 'WriteRequest.metadata')));
      } else {
        skip(r, tag, end, 'WriteRequest');
      }
    }
    const n = labels.length;
    const total = this.#samples;
    return {
      labels,
      ends: seriesEnds.slice(0, n),
      // slice() of a same-type typed array copies bytes, so NaN payloads are kept (ECMA-262 %TypedArray%.prototype.slice).
      timestamps: sampleColumns.ts.slice(0, total),
      values: sampleColumns.values.slice(0, total),
      seriesExemplars: exemplars,
      histogramCounts: seriesHistograms.slice(0, n),
      metadata,
      samples: total,
      histograms: this.#histograms,
      exemplars: this.#exemplars,
    };
  }

  /** Decodes series `index`: its samples go to the request's rows, its exemplars to `exemplars`. */
  #series(end: number, index: number, exemplars: DecodedExemplars[]): Labels {
    const r = this.#r;
    const pairs: Label[] = [];
    const exemplarLabels: Labels[] = [];
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
          const stop = readLengthEnd(r, end, 'TimeSeries.labels');
          if (labelsStart < 0) labelsStart = at;
          else if (contiguous && labelsEnd !== at) {
            // Labels interleaved with other fields: no cache key; decode the ones skipped so far.
            contiguous = false;
            if (this.#cache !== undefined) this.#labelsIn(labelsStart, labelsEnd, pairs, index);
          }
          labelsEnd = stop;
          if (this.#cache === undefined || !contiguous) pairs.push(this.#label(stop, index));
          else r.pos = stop;
          break;
        }
        case 2:
          expect(tag, WIRE_LEN, 'TimeSeries.samples');
          sampleColumns.ensure(n + 1);
          this.#sample(readLengthEnd(r, end, 'TimeSeries.samples'), sampleColumns, n, 'Sample');
          n++;
          break;
        case 3: {
          expect(tag, WIRE_LEN, 'TimeSeries.exemplars');
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
    const labels = this.#seriesLabels(pairs, labelsStart, labelsEnd, contiguous, index);
    this.#samples = n;
    seriesEnds[index] = n;
    seriesHistograms[index] = histograms;
    this.#histograms += histograms;
    this.#exemplars += exemplarLabels.length;
    const ne = exemplarLabels.length;
    exemplars.push(
      ne === 0
        ? NO_EXEMPLARS
        : {
            labels: exemplarLabels,
            timestamps: exemplarColumns.ts.slice(0, ne),
            values: exemplarColumns.values.slice(0, ne),
          },
    );
    return labels;
  }

  /** The series' labels: from the cache when its Label bytes were seen before, else decoded. */
  #seriesLabels(pairs: Label[], start: number, end: number, contiguous: boolean, index: number): Labels {
    const cache = this.#cache;
    if (cache === undefined || !contiguous || start < 0)
      return validateLabels(pairs, true, () => `series #${index}`, this.#mode);
    const key = this.#buf.toString('latin1', start, end);
    const known = cache.get(key);
    if (known !== undefined) return known;
    this.#labelsIn(start, end, pairs, index);
    const labels = validateLabels(pairs, true, () => `series #${index}`, this.#mode);
    cache.set(key, labels);
    return labels;
  }

  /** Decodes the Label fields in [start, end) (skipped earlier) into `pairs`. */
  #labelsIn(start: number, end: number, pairs: Label[], index: number): void {
    const r = this.#r;
    const resume = r.pos;
    r.pos = start;
    while (r.pos < end) {
      readTag(r, end, 'TimeSeries');
      pairs.push(this.#label(readLengthEnd(r, end, 'TimeSeries.labels'), index));
    }
    r.pos = resume;
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

function growSeriesScratch(): void {
  const ends = new Uint32Array(seriesEnds.length * 2);
  ends.set(seriesEnds);
  seriesEnds = ends;
  const histograms = new Uint32Array(seriesHistograms.length * 2);
  histograms.set(seriesHistograms);
  seriesHistograms = histograms;
}
