// Encoder for prometheus.WriteRequest (protobuf, then snappy): the sending side, used by tests and
// benchmarks. Float64 values are written as their two 32-bit words, never through a JS number, so the
// bits on the wire are exactly the bits in the array.

import { Writer } from 'protobufjs';
import { type Label, Labels } from '../../model/labels.ts';
import { metricTypeToWire } from './metric-type.ts';
import { snappyCompress } from './snappy.ts';
import type { DecodedExemplars, RemoteWriteMetadata, SeriesInput, WriteRequestInput } from './types.ts';

// Tags: (field number << 3) | wire type.
const TAG_TIMESERIES = (1 << 3) | 2;
const TAG_METADATA = (3 << 3) | 2;
const TAG_TS_LABEL = (1 << 3) | 2;
const TAG_TS_SAMPLE = (2 << 3) | 2;
const TAG_TS_EXEMPLAR = (3 << 3) | 2;
const TAG_TS_HISTOGRAM = (4 << 3) | 2;
const TAG_LABEL_NAME = (1 << 3) | 2;
const TAG_LABEL_VALUE = (2 << 3) | 2;

/** A remote_write body: protobuf WriteRequest compressed with snappy's block format. */
export function encodeWriteRequest(req: WriteRequestInput): Uint8Array {
  return snappyCompress(encodeWriteRequestProto(req));
}

/** The uncompressed protobuf WriteRequest. */
export function encodeWriteRequestProto(req: WriteRequestInput): Uint8Array {
  const w = Writer.create();
  for (const s of req.series) writeSeries(w, s);
  for (const m of req.metadata ?? []) writeMetadata(w, m);
  return w.finish();
}

function writeSeries(w: Writer, s: SeriesInput): void {
  if (s.timestamps.length !== s.values.length) throw new Error('timestamps and values differ in length');
  w.uint32(TAG_TIMESERIES).fork();
  writeLabels(w, TAG_TS_LABEL, s.labels);
  const words = new Uint32Array(s.values.buffer, s.values.byteOffset, s.values.length * 2);
  for (let i = 0; i < s.values.length; i++) {
    // Sample{double value = 1; int64 timestamp = 2}
    w.uint32(TAG_TS_SAMPLE).fork();
    w.uint32((1 << 3) | 1)
      .fixed32(words[2 * i])
      .fixed32(words[2 * i + 1]);
    w.uint32(2 << 3).int64(s.timestamps[i]);
    w.ldelim();
  }
  if (s.exemplars !== undefined) writeExemplars(w, s.exemplars);
  for (let i = 0; i < (s.histogramCount ?? 0); i++) w.uint32(TAG_TS_HISTOGRAM).uint32(0);
  w.ldelim();
}

function writeExemplars(w: Writer, e: DecodedExemplars): void {
  const words = new Uint32Array(e.values.buffer, e.values.byteOffset, e.values.length * 2);
  for (let i = 0; i < e.labels.length; i++) {
    // Exemplar{repeated Label labels = 1; double value = 2; int64 timestamp = 3}
    w.uint32(TAG_TS_EXEMPLAR).fork();
    writeLabels(w, (1 << 3) | 2, e.labels[i]);
    w.uint32((2 << 3) | 1)
      .fixed32(words[2 * i])
      .fixed32(words[2 * i + 1]);
    w.uint32(3 << 3).int64(e.timestamps[i]);
    w.ldelim();
  }
}

function writeLabels(w: Writer, tag: number, labels: Labels | readonly Label[]): void {
  const pairs = labels instanceof Labels ? labels.pairs : labels;
  for (const p of pairs) {
    w.uint32(tag).fork();
    w.uint32(TAG_LABEL_NAME).string(p.name);
    w.uint32(TAG_LABEL_VALUE).string(p.value);
    w.ldelim();
  }
}

function writeMetadata(w: Writer, m: RemoteWriteMetadata): void {
  // MetricMetadata{type = 1; metric_family_name = 2; help = 4; unit = 5}
  w.uint32(TAG_METADATA).fork();
  w.uint32(1 << 3).uint32(metricTypeToWire(m.type));
  w.uint32((2 << 3) | 2).string(m.metricFamilyName);
  w.uint32((4 << 3) | 2).string(m.help);
  w.uint32((5 << 3) | 2).string(m.unit);
  w.ldelim();
}
