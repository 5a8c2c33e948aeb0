// Encoder for io.prometheus.write.v2.Request (remote_write 2.0): every string once in `symbols`
// (starting with ""), series naming labels and metadata by index. The sending side, for tests and
// benchmarks; takes the same input as the 1.0 encoder, metadata matched to series by metric name.

import { Writer } from 'protobufjs';
import { type Label, Labels } from '../../model/labels.ts';
import { metricTypeToWire } from './metric-type.ts';
import { snappyCompress } from './snappy.ts';
import type { WriteRequestInput } from './types.ts';

/** A remote_write 2.0 body: protobuf Request compressed with snappy's block format. */
export function encodeWriteRequestV2(req: WriteRequestInput): Uint8Array {
  return snappyCompress(encodeWriteRequestV2Proto(req));
}

export function encodeWriteRequestV2Proto(req: WriteRequestInput): Uint8Array {
  const symbols = [''];
  const index = new Map<string, number>([['', 0]]);
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = symbols.length;
      symbols.push(s);
      index.set(s, i);
    }
    return i;
  };
  const meta = new Map((req.metadata ?? []).map((m) => [m.metricFamilyName, m]));
  const body = Writer.create();
  for (const s of req.series) {
    if (s.timestamps.length !== s.values.length) throw new Error('timestamps and values differ in length');
    const pairs: readonly Label[] = s.labels instanceof Labels ? s.labels.pairs : s.labels;
    body.uint32((5 << 3) | 2).fork();
    // TimeSeries.labels_refs = 1, packed.
    body.uint32((1 << 3) | 2).fork();
    for (const p of pairs) body.uint32(ref(p.name)).uint32(ref(p.value));
    body.ldelim();
    const words = new Uint32Array(s.values.buffer, s.values.byteOffset, s.values.length * 2);
    for (let i = 0; i < s.values.length; i++) {
      // Sample{double value = 1; int64 timestamp = 2}: the value as its two words, bits untouched.
      body.uint32((2 << 3) | 2).fork();
      body
        .uint32((1 << 3) | 1)
        .fixed32(words[2 * i])
        .fixed32(words[2 * i + 1]);
      body.uint32(2 << 3).int64(s.timestamps[i]);
      body.ldelim();
    }
    const name = pairs.find((p) => p.name === '__name__')?.value;
    const m = name === undefined ? undefined : meta.get(name);
    if (m !== undefined) {
      // Metadata{type = 1; help_ref = 3; unit_ref = 4}
      body.uint32((5 << 3) | 2).fork();
      body.uint32(1 << 3).uint32(metricTypeToWire(m.type));
      body.uint32(3 << 3).uint32(ref(m.help));
      body.uint32(4 << 3).uint32(ref(m.unit));
      body.ldelim();
    }
    for (let i = 0; i < (s.histogramCount ?? 0); i++) body.uint32((3 << 3) | 2).uint32(0);
    body.ldelim();
  }
  const w = Writer.create();
  for (const s of symbols) w.uint32((4 << 3) | 2).string(s);
  const head = w.finish();
  const tail = body.finish();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
