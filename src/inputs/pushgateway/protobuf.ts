// Decoder for a body of length-delimited `io.prometheus.client.MetricFamily` messages
// (`application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited`),
// the Pushgateway's binary push format. Classic metric types only: native-histogram fields are
// skipped, as the Pushgateway 1.5 does. A family repeated in one body replaces the earlier one.

import { Reader } from 'protobufjs';
import type { Bucket, Metric, MetricFamily, Quantile } from '../../format/exposition/family.ts';
import { Labels } from '../../model/labels.ts';
import type { MetricType } from '../../model/metadata.ts';

export class ProtobufDecodeError extends Error {}

const TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'summary',
  'untyped',
  'histogram',
  'gaugehistogram',
];

/** A decoded metric; `kind` says which value message it carried (checked against the family type). */
export interface DecodedMetric extends Metric {
  readonly kind: MetricType | 'none';
  /** The label pairs as sent, empty values included (Labels drops them). */
  readonly rawLabels: readonly { name: string; value: string }[];
}

export interface DecodedFamily extends MetricFamily {
  readonly metrics: readonly DecodedMetric[];
}

export function decodeDelimitedMetricFamilies(body: Uint8Array): DecodedFamily[] {
  const byName = new Map<string, DecodedFamily>();
  const r = Reader.create(body);
  let index = 0;
  try {
    while (r.pos < r.len) {
      const len = r.uint32();
      const end = r.pos + len;
      if (end > r.len)
        throw new ProtobufDecodeError(
          `message ${index}: length ${len} runs past the end of the body (${r.len - r.pos} bytes left)`,
        );
      const fam = readFamily(r, end);
      byName.delete(fam.name);
      byName.set(fam.name, fam);
      index++;
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(
      `invalid protobuf MetricFamily message ${index}: ${(err as Error).message}`,
    );
  }
  return [...byName.values()];
}

function fail(what: string): never {
  throw new ProtobufDecodeError(what);
}

/** Read a length-delimited sub-message's end position. */
function subEnd(r: Reader, end: number): number {
  const len = r.uint32();
  const e = r.pos + len;
  if (e > end) fail('embedded message runs past its parent');
  return e;
}

function checkWire(tag: number, wire: number, field: string): void {
  if ((tag & 7) !== wire) fail(`field ${field} has wire type ${tag & 7}, expected ${wire}`);
}

function readFamily(r: Reader, end: number): DecodedFamily {
  let name = '';
  let help = '';
  let unit = '';
  let type: MetricType = 'counter'; // proto3 default: COUNTER = 0
  const metrics: DecodedMetric[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        checkWire(tag, 2, 'MetricFamily.name');
        name = r.string();
        break;
      case 2:
        checkWire(tag, 2, 'MetricFamily.help');
        help = r.string();
        break;
      case 3: {
        checkWire(tag, 0, 'MetricFamily.type');
        const t = r.int32();
        const mt = TYPES[t];
        if (mt === undefined) fail(`unknown metric type ${t}`);
        type = mt;
        break;
      }
      case 4:
        checkWire(tag, 2, 'MetricFamily.metric');
        metrics.push(readMetric(r, subEnd(r, end)));
        break;
      case 5:
        checkWire(tag, 2, 'MetricFamily.unit');
        unit = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (r.pos !== end) fail('MetricFamily message overruns its length');
  if (name === '') fail('a MetricFamily has no name');
  return { name, help, unit, type, metrics };
}

interface MutableMetric {
  rawLabels: { name: string; value: string }[];
  kind: MetricType | 'none';
  value?: number;
  count?: number;
  sum?: number;
  buckets?: Bucket[];
  quantiles?: Quantile[];
  timestampMs?: number;
}

function readMetric(r: Reader, end: number): DecodedMetric {
  const m: MutableMetric = { rawLabels: [], kind: 'none' };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    switch (field) {
      case 1: {
        checkWire(tag, 2, 'Metric.label');
        const e = subEnd(r, end);
        let n = '';
        let v = '';
        while (r.pos < e) {
          const t = r.uint32();
          if (t >>> 3 === 1 && (t & 7) === 2) n = r.string();
          else if (t >>> 3 === 2 && (t & 7) === 2) v = r.string();
          else r.skipType(t & 7);
        }
        m.rawLabels.push({ name: n, value: v });
        break;
      }
      case 2: // gauge
      case 3: // counter
      case 5: // untyped
        checkWire(tag, 2, 'Metric value');
        m.kind = field === 2 ? 'gauge' : field === 3 ? 'counter' : 'untyped';
        m.value = readSingleDouble(r, subEnd(r, end));
        break;
      case 4:
        checkWire(tag, 2, 'Metric.summary');
        m.kind = 'summary';
        readSummary(r, subEnd(r, end), m);
        break;
      case 6:
        checkWire(tag, 0, 'Metric.timestamp_ms');
        m.timestampMs = Number(r.int64().toString());
        break;
      case 7:
        checkWire(tag, 2, 'Metric.histogram');
        m.kind = 'histogram';
        readHistogram(r, subEnd(r, end), m);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (r.pos !== end) fail('Metric message overruns its length');
  const labels = Labels.from(m.rawLabels.filter((l) => l.value !== ''));
  return { ...m, labels };
}

function readSingleDouble(r: Reader, end: number): number {
  let v = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 1 && (t & 7) === 1) v = r.double();
    else r.skipType(t & 7);
  }
  return v;
}

function readSummary(r: Reader, end: number, m: MutableMetric): void {
  m.count = 0;
  m.sum = 0;
  m.quantiles = [];
  while (r.pos < end) {
    const t = r.uint32();
    const f = t >>> 3;
    if (f === 1 && (t & 7) === 0) m.count = Number(r.uint64().toString());
    else if (f === 2 && (t & 7) === 1) m.sum = r.double();
    else if (f === 3 && (t & 7) === 2) {
      const e = subEnd(r, end);
      let q = 0;
      let v = 0;
      while (r.pos < e) {
        const u = r.uint32();
        if (u >>> 3 === 1 && (u & 7) === 1) q = r.double();
        else if (u >>> 3 === 2 && (u & 7) === 1) v = r.double();
        else r.skipType(u & 7);
      }
      m.quantiles.push({ quantile: q, value: v });
    } else r.skipType(t & 7);
  }
}

function readHistogram(r: Reader, end: number, m: MutableMetric): void {
  m.count = 0;
  m.sum = 0;
  m.buckets = [];
  while (r.pos < end) {
    const t = r.uint32();
    const f = t >>> 3;
    if (f === 1 && (t & 7) === 0) m.count = Number(r.uint64().toString());
    else if (f === 4 && (t & 7) === 1) m.count = r.double();
    else if (f === 2 && (t & 7) === 1) m.sum = r.double();
    else if (f === 3 && (t & 7) === 2) {
      const e = subEnd(r, end);
      let c = 0;
      let ub = 0;
      while (r.pos < e) {
        const u = r.uint32();
        const g = u >>> 3;
        if (g === 1 && (u & 7) === 0) c = Number(r.uint64().toString());
        else if (g === 4 && (u & 7) === 1) c = r.double();
        else if (g === 2 && (u & 7) === 1) ub = r.double();
        else r.skipType(u & 7);
      }
      m.buckets.push({ upperBound: ub, cumulativeCount: c });
    } else r.skipType(t & 7);
  }
}

/** Encode families as delimited protobuf (for tests and the parity script). */
export function encodeDelimitedMetricFamilies(families: readonly MetricFamily[]): Uint8Array {
  // A tiny hand-written encoder keeps this module free of generated code.
  const parts: Buffer[] = [];
  for (const f of families) {
    const body = encodeFamily(f);
    parts.push(varint(body.length), body);
  }
  return Buffer.concat(parts);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}
function key(field: number, wire: number): Buffer {
  return varint((field << 3) | wire);
}
function str(field: number, s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([key(field, 2), varint(b.length), b]);
}
function dbl(field: number, v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return Buffer.concat([key(field, 1), b]);
}
function msg(field: number, body: Buffer): Buffer {
  return Buffer.concat([key(field, 2), varint(body.length), body]);
}
function encodeFamily(f: MetricFamily): Buffer {
  const typeIndex = TYPES.indexOf(f.type === 'info' || f.type === 'stateset' ? 'gauge' : f.type);
  const parts = [str(1, f.name)];
  if (f.help !== '') parts.push(str(2, f.help));
  parts.push(Buffer.concat([key(3, 0), varint(typeIndex)]));
  for (const m of f.metrics) {
    const mp: Buffer[] = [];
    for (const l of m.labels.pairs) mp.push(msg(1, Buffer.concat([str(1, l.name), str(2, l.value)])));
    switch (f.type) {
      case 'summary':
        mp.push(
          msg(
            4,
            Buffer.concat([
              key(1, 0),
              varint(m.count ?? 0),
              dbl(2, m.sum ?? 0),
              ...(m.quantiles ?? []).map((q) => msg(3, Buffer.concat([dbl(1, q.quantile), dbl(2, q.value)]))),
            ]),
          ),
        );
        break;
      case 'histogram':
      case 'gaugehistogram':
        mp.push(
          msg(
            7,
            Buffer.concat([
              key(1, 0),
              varint(m.count ?? 0),
              dbl(2, m.sum ?? 0),
              ...(m.buckets ?? []).map((b) =>
                msg(3, Buffer.concat([key(1, 0), varint(b.cumulativeCount), dbl(2, b.upperBound)])),
              ),
            ]),
          ),
        );
        break;
      default: {
        const field = f.type === 'counter' ? 3 : f.type === 'untyped' ? 5 : 2;
        mp.push(msg(field, dbl(1, m.value ?? 0)));
      }
    }
    if (m.timestampMs !== undefined) mp.push(Buffer.concat([key(6, 0), varint(m.timestampMs)]));
    parts.push(msg(4, Buffer.concat(mp)));
  }
  return Buffer.concat(parts);
}
