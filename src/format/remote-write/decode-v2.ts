// Decoder for io.prometheus.write.v2.Request (remote_write 2.0): strings are interned in a symbols
// table and series name their labels and metadata by index into it. The result has the same
// columnar shape as 1.0's, so the receiver handles both alike. Metadata is per series in 2.0; it is
// reported once per metric name.

import { Reader } from 'protobufjs';
import type { Label, Labels } from '../../model/labels.ts';
import type { NameValidation } from '../../model/names.ts';
import { NO_EXEMPLARS } from './columns.ts';
import { RemoteWriteDecodeError } from './errors.ts';
import { metricTypeFromWire } from './metric-type.ts';
import { Columns, expect, readTag, skip, validateLabels } from './reading.ts';
import { snappyUncompressTransient } from './snappy.ts';
import { asBuffer, readUtf8 } from './strings.ts';
import type { DecodedSeries, DecodedWriteRequest, RemoteWriteMetadata } from './types.ts';
import { readDoubleBytes, readInt64, readLengthEnd, truncated } from './wire.ts';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const EMPTY_F64 = new Float64Array(0);

const samples = new Columns();
const exemplars = new Columns();

export interface DecodeV2Options {
  readonly maxDecompressedBytes: number;
  readonly nameValidation?: NameValidation;
}

/** A remote_write 2.0 body: snappy block, then protobuf. Throws only {@link RemoteWriteDecodeError}. */
export function decodeWriteRequestV2(body: Uint8Array, options: DecodeV2Options): DecodedWriteRequest {
  const bytes = snappyUncompressTransient(body, options.maxDecompressedBytes);
  try {
    return new V2Decoder(bytes, options.nameValidation ?? 'utf8').decode();
  } catch (err) {
    if (err instanceof RemoteWriteDecodeError) throw err;
    throw new RemoteWriteDecodeError(`protobuf: ${(err as Error).message}`);
  }
}

/** A series as read from the wire, before its symbol references can be resolved. */
interface RawSeries {
  readonly labelRefs: number[];
  readonly n: number;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly exemplarRefs: number[][];
  readonly exemplarTs: Float64Array;
  readonly exemplarValues: Float64Array;
  readonly histograms: number;
  readonly meta: { type: number; helpRef: number; unitRef: number } | undefined;
}

class V2Decoder {
  readonly #buf: Buffer;
  readonly #r: Reader;
  readonly #mode: NameValidation;

  constructor(bytes: Uint8Array, mode: NameValidation) {
    this.#buf = asBuffer(bytes);
    this.#r = Reader.create(this.#buf);
    this.#mode = mode;
  }

  decode(): DecodedWriteRequest {
    const r = this.#r;
    const end = this.#buf.length;
    const symbols: string[] = [];
    const raw: RawSeries[] = [];
    // Symbols may come after the series that use them, so series are resolved at the end.
    while (r.pos < end) {
      const tag = readTag(r, end, 'Request');
      const field = tag >>> 3;
      if (field === 4) {
        expect(tag, WIRE_LEN, 'Request.symbols');
        const stop = readLengthEnd(r, end, 'Request.symbols');
        const s = readUtf8(this.#buf, r.pos, stop);
        if (s === undefined)
          throw new RemoteWriteDecodeError(`protobuf: symbol #${symbols.length} is not valid UTF-8`);
        symbols.push(s);
        r.pos = stop;
      } else if (field === 5) {
        expect(tag, WIRE_LEN, 'Request.timeseries');
        raw.push(this.#series(readLengthEnd(r, end, 'Request.timeseries')));
      } else {
        skip(r, tag, end, 'Request');
      }
    }
    if (raw.length > 0 && symbols[0] !== '')
      throw new RemoteWriteDecodeError('protobuf: Request.symbols must start with the empty string');
    const sym = (ref: number, where: string): string => {
      const s = symbols[ref];
      if (s === undefined)
        throw new RemoteWriteDecodeError(`protobuf: ${where} refers to symbol ${ref} of ${symbols.length}`);
      return s;
    };
    const pairsOf = (refs: number[], where: string): Label[] => {
      if (refs.length % 2 !== 0)
        throw new RemoteWriteDecodeError(`labels: ${where}: labels_refs has an odd length`);
      const pairs: Label[] = [];
      for (let i = 0; i < refs.length; i += 2)
        pairs.push({ name: sym(refs[i], where), value: sym(refs[i + 1], where) });
      return pairs;
    };
    const series: DecodedSeries[] = [];
    const metadata = new Map<string, RemoteWriteMetadata>();
    let total = 0;
    let histograms = 0;
    let exemplarCount = 0;
    raw.forEach((s, index) => {
      const where = `series #${index}`;
      const labels = validateLabels(pairsOf(s.labelRefs, where), true, () => where, this.#mode);
      const exemplarLabels: Labels[] = s.exemplarRefs.map((refs, i) =>
        validateLabels(
          pairsOf(refs, `${where} exemplar #${i}`),
          false,
          () => `${where} exemplar #${i}`,
          this.#mode,
        ),
      );
      if (s.meta !== undefined && labels.metricName !== '' && !metadata.has(labels.metricName)) {
        metadata.set(labels.metricName, {
          metricFamilyName: labels.metricName,
          type: metricTypeFromWire(s.meta.type),
          help: sym(s.meta.helpRef, `${where} metadata`),
          unit: sym(s.meta.unitRef, `${where} metadata`),
        });
      }
      total += s.n;
      histograms += s.histograms;
      exemplarCount += exemplarLabels.length;
      series.push({
        labels,
        timestamps: s.ts,
        values: s.values,
        exemplars:
          exemplarLabels.length === 0
            ? NO_EXEMPLARS
            : { labels: exemplarLabels, timestamps: s.exemplarTs, values: s.exemplarValues },
        histogramCount: s.histograms,
      });
    });
    return { series, metadata: [...metadata.values()], samples: total, histograms, exemplars: exemplarCount };
  }

  #series(end: number): RawSeries {
    const r = this.#r;
    const labelRefs: number[] = [];
    const exemplarRefs: number[][] = [];
    let n = 0;
    let hist = 0;
    let meta: RawSeries['meta'];
    while (r.pos < end) {
      const tag = readTag(r, end, 'TimeSeries');
      switch (tag >>> 3) {
        case 1:
          this.#refs(tag, end, labelRefs, 'TimeSeries.labels_refs');
          break;
        case 2:
          expect(tag, WIRE_LEN, 'TimeSeries.samples');
          samples.ensure(n + 1);
          this.#valueAndTime(readLengthEnd(r, end, 'TimeSeries.samples'), samples, n++, 1, 'Sample');
          break;
        case 3:
          expect(tag, WIRE_LEN, 'TimeSeries.histograms');
          r.pos = readLengthEnd(r, end, 'TimeSeries.histograms');
          hist++;
          break;
        case 4: {
          expect(tag, WIRE_LEN, 'TimeSeries.exemplars');
          const stop = readLengthEnd(r, end, 'TimeSeries.exemplars');
          exemplars.ensure(exemplarRefs.length + 1);
          const refs: number[] = [];
          this.#valueAndTime(stop, exemplars, exemplarRefs.length, 2, 'Exemplar', refs);
          exemplarRefs.push(refs);
          break;
        }
        case 5:
          expect(tag, WIRE_LEN, 'TimeSeries.metadata');
          meta = this.#metadata(readLengthEnd(r, end, 'TimeSeries.metadata'));
          break;
        default:
          skip(r, tag, end, 'TimeSeries');
      }
    }
    const ne = exemplarRefs.length;
    return {
      labelRefs,
      n,
      // slice() of a typed array copies bytes: NaN payloads are kept.
      ts: n === 0 ? EMPTY_F64 : samples.ts.slice(0, n),
      values: n === 0 ? EMPTY_F64 : samples.values.slice(0, n),
      exemplarRefs,
      exemplarTs: ne === 0 ? EMPTY_F64 : exemplars.ts.slice(0, ne),
      exemplarValues: ne === 0 ? EMPTY_F64 : exemplars.values.slice(0, ne),
      histograms: hist,
      meta,
    };
  }

  /** Repeated uint32, packed or not. */
  #refs(tag: number, end: number, out: number[], what: string): void {
    const r = this.#r;
    if ((tag & 7) === WIRE_LEN) {
      const stop = readLengthEnd(r, end, what);
      while (r.pos < stop) out.push(r.uint32());
      if (r.pos !== stop) throw truncated(what);
    } else {
      expect(tag, WIRE_VARINT, what);
      out.push(r.uint32());
      if (r.pos > end) throw truncated(what);
    }
  }

  /** Sample{value=1, timestamp=2} or Exemplar{labels_refs=1, value=2, timestamp=3} into row `i`. */
  #valueAndTime(
    end: number,
    cols: Columns,
    i: number,
    valueField: number,
    what: string,
    refs?: number[],
  ): void {
    const r = this.#r;
    cols.values[i] = 0;
    cols.ts[i] = 0;
    while (r.pos < end) {
      const tag = readTag(r, end, what);
      const field = tag >>> 3;
      if (field === valueField) {
        expect(tag, WIRE_FIXED64, `${what}.value`);
        readDoubleBytes(r, end, cols.valueBytes, i * 8, `${what}.value`);
      } else if (field === valueField + 1) {
        expect(tag, WIRE_VARINT, `${what}.timestamp`);
        cols.ts[i] = readInt64(r, end, `${what}.timestamp`);
      } else if (field === 1 && refs !== undefined) {
        this.#refs(tag, end, refs, `${what}.labels_refs`);
      } else {
        skip(r, tag, end, what);
      }
    }
  }

  #metadata(end: number): { type: number; helpRef: number; unitRef: number } {
    const r = this.#r;
    const m = { type: 0, helpRef: 0, unitRef: 0 };
    while (r.pos < end) {
      const tag = readTag(r, end, 'Metadata');
      const field = tag >>> 3;
      if (field === 1 || field === 3 || field === 4) {
        expect(tag, WIRE_VARINT, 'Metadata');
        const v = r.uint32();
        if (r.pos > end) throw truncated('Metadata');
        if (field === 1) m.type = v;
        else if (field === 3) m.helpRef = v;
        else m.unitRef = v;
      } else {
        skip(r, tag, end, 'Metadata');
      }
    }
    return m;
  }
}
