// fast-check generators for remote_write requests in the codec's columnar shape. Values come from
// random bytes, so every float64 bit pattern (NaN payloads, -0, subnormals) is exercised.

import fc from 'fast-check';
import type {
  DecodedExemplars,
  RemoteWriteMetadata,
  SeriesInput,
  WriteRequestInput,
} from '../../../src/format/remote-write/index.ts';
import { type Label, Labels } from '../../../src/model/labels.ts';
import { METRIC_TYPES } from '../../../src/model/metadata.ts';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });

/** Float64Arrays of exactly `n` values built from random bytes. */
export function float64s(n: number): fc.Arbitrary<Float64Array> {
  return fc
    .uint8Array({ minLength: 8 * n, maxLength: 8 * n })
    .map((b) => new Float64Array(b.buffer, b.byteOffset, n).slice());
}

export function timestamps(n: number): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1e13, max: 1e13 })), {
      minLength: n,
      maxLength: n,
    })
    .map((a) => Float64Array.from(a));
}

/** A valid label set (UTF-8 names, non-empty values, unique names), always with `__name__`. */
export const labelSet: fc.Arbitrary<Labels> = fc
  .tuple(nonEmpty, fc.uniqueArray(fc.tuple(nonEmpty, nonEmpty), { maxLength: 5, selector: ([n]) => n }))
  .map(([name, rest]) => {
    const pairs: Label[] = [{ name: '__name__', value: name }];
    for (const [n, v] of rest) if (n !== '__name__') pairs.push({ name: n, value: v });
    return Labels.from(pairs);
  });

const exemplarLabels: fc.Arbitrary<Labels> = fc
  .uniqueArray(fc.tuple(nonEmpty, nonEmpty), { maxLength: 3, selector: ([n]) => n })
  .map((pairs) => Labels.from(pairs.map(([name, value]) => ({ name, value }))));

const exemplars: fc.Arbitrary<DecodedExemplars> = fc.integer({ min: 0, max: 3 }).chain((n) =>
  fc.record({
    labels: fc.array(exemplarLabels, { minLength: n, maxLength: n }),
    timestamps: timestamps(n),
    values: float64s(n),
  }),
);

export const series: fc.Arbitrary<SeriesInput> = fc.integer({ min: 0, max: 20 }).chain((n) =>
  fc.record({
    labels: labelSet,
    timestamps: timestamps(n),
    values: float64s(n),
    exemplars,
    histogramCount: fc.integer({ min: 0, max: 2 }),
  }),
);

export const metadata: fc.Arbitrary<RemoteWriteMetadata> = fc.record({
  metricFamilyName: text,
  type: fc.constantFrom(...METRIC_TYPES),
  help: text,
  unit: text,
});

export const writeRequest: fc.Arbitrary<WriteRequestInput> = fc.record({
  series: fc.array(series, { maxLength: 8 }),
  metadata: fc.array(metadata, { maxLength: 4 }),
});

/** Bit-level equality of two Float64Arrays. */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}
