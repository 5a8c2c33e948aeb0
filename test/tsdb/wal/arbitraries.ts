// fast-check generators of WAL records, each with the replay events it must produce.

import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import {
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  type WalMetadata,
} from '../../../src/tsdb/wal/index.ts';
import type { Event } from './helpers.ts';

export interface GenRecord {
  readonly payload: Uint8Array;
  readonly events: readonly Event[];
}

const MAX_T = 2 ** 53;
const ref = fc.oneof(fc.nat(1000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(MAX_T));
const timestamp = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, MAX_T, -MAX_T, -1),
);
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** [hi, lo] bits of a float64: anything, including NaN payloads and the staleness marker. */
const valueBits = fc.oneof(
  fc.tuple(u32, u32),
  fc.constantFrom<[number, number]>(
    [Number(STALE_NAN_BITS >> 32n), Number(STALE_NAN_BITS & 0xffffffffn)],
    [0x7ff80000, 1],
    [0x7ff80000, 0],
    [0xfff00000, 0x12345],
    [0x80000000, 0],
  ),
  fc.tuple(fc.constantFrom(0x7ff00000, 0xfff00000, 0x7ff80000), u32), // NaNs and infinities
);
const text = fc.string({ unit: 'binary', maxLength: 12 });
const labels = fc
  .uniqueArray(fc.record({ name: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), value: text }), {
    selector: (l) => l.name,
    maxLength: 6,
  })
  .map((pairs) => Labels.from(pairs));

export const seriesRecord: fc.Arbitrary<GenRecord> = fc
  .array(fc.record({ ref, labels }), { maxLength: 5 })
  .map((series) => ({
    payload: encodeSeries(series),
    events: series.map((s): Event => ['series', s.ref, s.labels.key]),
  }));

export const samplesRecord: fc.Arbitrary<GenRecord> = fc
  .array(fc.tuple(ref, timestamp, valueBits), { maxLength: 40 })
  .map((rows) => {
    const n = rows.length;
    const refs = new Float64Array(n);
    const ts = new Float64Array(n);
    const values = new Float64Array(n);
    const bits = new Uint32Array(values.buffer);
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    rows.forEach(([r, t, [hi, lo]], i) => {
      refs[i] = r;
      ts[i] = t;
      bits[2 * i + (little ? 1 : 0)] = hi;
      bits[2 * i + (little ? 0 : 1)] = lo;
    });
    return {
      payload: encodeSamples(refs, ts, values, n),
      events: rows.map(([r, t, [hi, lo]]): Event => ['sample', r, t, hi, lo]),
    };
  });

export const tombstonesRecord: fc.Arbitrary<GenRecord> = fc
  .array(fc.record({ ref, minT: timestamp, maxT: timestamp }), { maxLength: 5 })
  .map((list) => ({
    payload: encodeTombstones(list),
    events: list.map((t): Event => ['tombstone', t.ref, t.minT, t.maxT]),
  }));

export const metadataRecord: fc.Arbitrary<GenRecord> = fc
  .array(
    fc.record<WalMetadata>({
      metricFamily: text,
      type: fc.constantFrom('counter', 'gauge', 'histogram', 'summary', 'untyped', ''),
      help: fc.string({ unit: 'binary', maxLength: 40 }),
      unit: text,
    }),
    { maxLength: 4 },
  )
  .map((list) => ({
    payload: encodeMetadata(list),
    events: list.map((m): Event => ['metadata', m.metricFamily, m.type, m.help, m.unit]),
  }));

export const anyRecord: fc.Arbitrary<GenRecord> = fc.oneof(
  { arbitrary: samplesRecord, weight: 3 },
  seriesRecord,
  tombstonesRecord,
  metadataRecord,
);

/** Records grouped into commits. */
export const commits: fc.Arbitrary<GenRecord[][]> = fc.array(
  fc.array(anyRecord, { minLength: 1, maxLength: 4 }),
  {
    minLength: 1,
    maxLength: 25,
  },
);

export function eventsOf(records: readonly GenRecord[]): Event[] {
  return records.flatMap((r) => r.events);
}
