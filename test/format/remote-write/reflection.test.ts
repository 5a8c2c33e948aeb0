// Cross-check against protobufjs' reflection API and an inline .proto: a body it encodes (and
// snappyjs compresses) decodes to the same data, and it reads our encoder's output back identically.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import {
  decodeWriteRequest,
  encodeWriteRequestProto,
  metricTypeToWire,
  type WriteRequestInput,
} from '../../../src/format/remote-write/index.ts';
import { Labels } from '../../../src/model/labels.ts';
import { metadata } from './arbitraries.ts';

const PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message TimeSeries {
  repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message Histogram { uint64 count_int = 1; double sum = 3; int64 timestamp = 15; }
message MetricMetadata {
  enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
  MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5;
}
`;
const WriteRequest = protobuf.parse(PROTO).root.lookupType('prometheus.WriteRequest');

// Reflection passes values through JS numbers, so NaNs are left out here (the round-trip test covers them).
const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 10 });
const plainSeries = fc.record({
  labels: fc.uniqueArray(fc.tuple(name, name), { minLength: 1, maxLength: 4, selector: ([n]) => n }),
  samples: fc.array(fc.record({ value: fc.double({ noNaN: true }), timestamp: fc.maxSafeInteger() }), {
    maxLength: 5,
  }),
  exemplars: fc.array(
    fc.record({
      labels: fc.uniqueArray(fc.tuple(name, name), { maxLength: 2, selector: ([n]) => n }),
      value: fc.double({ noNaN: true }),
      timestamp: fc.maxSafeInteger(),
    }),
    { maxLength: 2 },
  ),
  histograms: fc.array(
    fc.record({ countInt: fc.nat(), sum: fc.double({ noNaN: true }), timestamp: fc.nat() }),
    {
      maxLength: 2,
    },
  ),
});
const plainRequest = fc.record({
  series: fc.array(plainSeries, { maxLength: 5 }),
  metadata: fc.array(metadata, { maxLength: 3 }),
});

type Plain = typeof plainRequest extends fc.Arbitrary<infer T> ? T : never;

const toPairs = (l: [string, string][]) => l.map(([n, v]) => ({ name: n, value: v }));

function toReflection(req: Plain): Record<string, unknown> {
  return {
    timeseries: req.series.map((s) => ({
      labels: toPairs(s.labels),
      samples: s.samples,
      exemplars: s.exemplars.map((e) => ({ ...e, labels: toPairs(e.labels) })),
      histograms: s.histograms,
    })),
    metadata: req.metadata.map((m) => ({
      type: metricTypeToWire(m.type),
      metricFamilyName: m.metricFamilyName,
      help: m.help,
      unit: m.unit,
    })),
  };
}

test('bodies encoded by protobufjs reflection decode identically', () => {
  fc.assert(
    fc.property(plainRequest, (req) => {
      const proto = WriteRequest.encode(WriteRequest.fromObject(toReflection(req))).finish();
      const out = decodeWriteRequest(compress(proto), { maxDecompressedBytes: 1 << 20 });
      assert.equal(out.series.length, req.series.length);
      req.series.forEach((s, i) => {
        const d = out.series[i];
        assert.ok(d.labels.equals(Labels.from(toPairs(s.labels))));
        assert.deepEqual(
          [...d.values],
          s.samples.map((p) => p.value),
        );
        assert.deepEqual(
          [...d.timestamps],
          s.samples.map((p) => p.timestamp),
        );
        assert.equal(d.histogramCount, s.histograms.length);
        assert.deepEqual(
          [...d.exemplars.values],
          s.exemplars.map((e) => e.value),
        );
        assert.deepEqual(
          [...d.exemplars.timestamps],
          s.exemplars.map((e) => e.timestamp),
        );
        for (const [j, e] of s.exemplars.entries())
          assert.ok(d.exemplars.labels[j].equals(Labels.from(toPairs(e.labels))));
      });
      assert.deepEqual(
        out.metadata.map((m) => ({ ...m })),
        req.metadata.map((m) => ({ ...m })),
      );
    }),
    { numRuns: 300 },
  );
});

test('protobufjs reflection reads our encoder output identically', () => {
  fc.assert(
    fc.property(plainRequest, (req) => {
      const input: WriteRequestInput = {
        series: req.series.map((s) => ({
          labels: Labels.from(toPairs(s.labels)),
          timestamps: Float64Array.from(s.samples.map((p) => p.timestamp)),
          values: Float64Array.from(s.samples.map((p) => p.value)),
        })),
        metadata: req.metadata,
      };
      const msg = WriteRequest.toObject(WriteRequest.decode(encodeWriteRequestProto(input)), {
        longs: Number,
        enums: Number,
        defaults: true,
        arrays: true,
      }) as {
        timeseries: { labels: unknown[]; samples: { value: number; timestamp: number }[] }[];
        metadata: unknown[];
      };
      input.series.forEach((s, i) => {
        const t = msg.timeseries[i];
        assert.deepEqual(
          t.labels,
          (s.labels as Labels).pairs.map((p) => ({ ...p })),
        );
        assert.deepEqual(
          t.samples.map((p) => p.value),
          [...s.values],
        );
        assert.deepEqual(
          t.samples.map((p) => p.timestamp),
          [...s.timestamps],
        );
      });
      assert.deepEqual(
        msg.metadata,
        req.metadata.map((m) => ({
          type: metricTypeToWire(m.type),
          metricFamilyName: m.metricFamilyName,
          help: m.help,
          unit: m.unit,
        })),
      );
    }),
    { numRuns: 300 },
  );
});
