// One Hermes datagram applied to the registry, with Hermes v1.0.1's semantics (spec/compat.md §3.4):
//
//   {"metric_name": "<name>", "payload": {"labels": {...}, "operation": ..., "value": ..., "observation": ...}}
//
// - counter: +1 whatever else the payload holds; gauge: `increment` +1, `decrement` −1, `set` to
//   `value`; histogram and summary: observe `observation`.
// - `"labels": null` (Go client with a nil map) means no labels; `"value": null` is what python-hermes
//   sends with increment/decrement. A missing or null `payload` is an empty payload, as Go's
//   decoding makes it.
// - Label keys must all be declared (Hermes: ErrInvalidLabels); values must be strings.
//
// Deliberate differences from Hermes, each a drop with a reason instead:
// - A declared label missing from the packet: Hermes panics in `With()` and, through its restart
//   path, most likely crashes; we drop it as `missing_label`.
// - A missing or null `observation`: Hermes (Go zero value) observes 0, silently skewing the
//   histogram or summary; we drop it as `bad_value`. Both Hermes clients always send one.
// - Go matches JSON keys case-insensitively (`"Labels"` works there); we take the keys as the
//   clients write them, exactly.
//
// This is the hot path: no allocation beyond JSON.parse's and the label values list.

import type { HermesDropReason } from './drop-reasons.ts';
import type { HermesMetricTable } from './metric-table.ts';

type JsonObject = Record<string, unknown>;

const EMPTY_PAYLOAD: JsonObject = {};
const NO_VALUES: readonly string[] = [];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  // JSON.parse turns 1e999 into Infinity; Go refuses such a number, so do we.
  return typeof v === 'number' && Number.isFinite(v);
}

/** Apply one datagram; returns null when it was accepted, else why it was dropped. */
export function applyHermesPacket(
  table: HermesMetricTable,
  datagram: Buffer,
  maxDatagramBytes: number,
): HermesDropReason | null {
  if (datagram.length > maxDatagramBytes) return 'oversized';
  let packet: unknown;
  try {
    packet = JSON.parse(datagram.toString('utf8'));
  } catch {
    return 'bad_json';
  }
  if (!isObject(packet)) return 'not_an_object';
  const name = packet.metric_name;
  if (typeof name !== 'string') return 'unknown_metric';
  const metric = table.get(name);
  if (metric === undefined) return 'unknown_metric';

  const rawPayload = packet.payload;
  let payload: JsonObject;
  if (rawPayload === undefined || rawPayload === null) payload = EMPTY_PAYLOAD;
  else if (isObject(rawPayload)) payload = rawPayload;
  else return 'not_an_object';

  // Label values, in the declared order.
  const n = metric.labelCount;
  let values = NO_VALUES;
  const labels = payload.labels;
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) return 'not_an_object';
    const filled: string[] = n === 0 ? [] : new Array(n);
    let seen = 0;
    for (const key in labels) {
      const v = labels[key];
      if (typeof v !== 'string') return 'bad_label_value';
      const i = metric.labelIndex.get(key);
      if (i === undefined) return 'unknown_label';
      if (!v.isWellFormed()) return 'bad_label_value';
      filled[i] = v;
      seen++;
    }
    if (seen !== n) return 'missing_label';
    values = filled;
  } else if (n > 0) {
    return 'missing_label';
  }

  // Check the operation before the child lookup, so a bad packet never creates a series.
  switch (metric.kind) {
    case 'counter': {
      const child = metric.family.tryLabels(values);
      if (child === undefined) return 'cardinality_limit';
      child.inc();
      return null;
    }
    case 'gauge': {
      const op = payload.operation;
      const value = payload.value;
      // Go decodes `value` into *float64: anything but a number or null fails the whole packet.
      if (value !== undefined && value !== null && !isFiniteNumber(value)) return 'bad_value';
      if (op !== 'increment' && op !== 'decrement' && op !== 'set') return 'bad_operation';
      if (op === 'set' && typeof value !== 'number') return 'bad_value';
      const child = metric.family.tryLabels(values);
      if (child === undefined) return 'cardinality_limit';
      if (op === 'increment') child.inc();
      else if (op === 'decrement') child.dec();
      else child.set(value as number);
      return null;
    }
    case 'histogram':
    case 'summary': {
      const observation = payload.observation;
      if (!isFiniteNumber(observation)) return 'bad_value';
      const child = metric.family.tryLabels(values);
      if (child === undefined) return 'cardinality_limit';
      child.observe(observation);
      return null;
    }
  }
}
