// Numbers and shapes of the query API's JSON, as Prometheus writes them (util/jsonutil): values in
// Go's shortest 'f' / 'e' form with NaN and ±Inf, timestamps as seconds with milliseconds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatSampleValue,
  formatTimestamp,
  listEnvelopeChunks,
  queryEnvelopeChunks,
} from '../../../src/api/prometheus/result-json.ts';
import { Labels } from '../../../src/model/labels.ts';
import type { QueryOutcome } from '../../../src/promql/value.ts';

test('sample values are spelled as Go strconv.FormatFloat with Prometheus format choice', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0, '0'],
    [-0, '-0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e-6, '0.000001'],
    [1e-7, '1e-07'],
    [-1.5e-10, '-1.5e-10'],
    [1.2345e-300, '1.2345e-300'],
    [5e-324, '5e-324'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [1.5e21, '1.5e+21'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [123456789.123, '123456789.123'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ];
  for (const [v, want] of cases) assert.equal(formatSampleValue(v), want, `value ${v}`);
});

test('every finite value round-trips and has Go syntax', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      const s = formatSampleValue(v);
      assert.ok(Object.is(Number(s), v), `${v} → ${s}`);
      assert.match(s, /^-?(\d+(\.\d+)?|\d(\.\d+)?e[+-]\d{2,3})$/);
      const abs = Math.abs(v);
      assert.equal(s.includes('e'), abs !== 0 && (abs < 1e-6 || abs >= 1e21), s);
    }),
  );
});

test('timestamps are seconds with the milliseconds after a point', () => {
  assert.equal(formatTimestamp(1435781451781), '1435781451.781');
  assert.equal(formatTimestamp(1435781451000), '1435781451');
  assert.equal(formatTimestamp(1500), '1.500');
  assert.equal(formatTimestamp(5), '0.005');
  assert.equal(formatTimestamp(50), '0.050');
  assert.equal(formatTimestamp(0), '0');
  assert.equal(formatTimestamp(-1500), '-1.500');
  assert.equal(formatTimestamp(-999), '-0.999');
});

const labels = Labels.from({ __name__: 'up', job: 'a "quoted" \\ job', instance: 'h:1' });

function body(outcome: QueryOutcome): unknown {
  return JSON.parse([...queryEnvelopeChunks(outcome)].join(''));
}

test('vector, matrix, scalar and string envelopes', () => {
  const base = { warnings: [], infos: [], samplesLoaded: 0 };
  assert.deepEqual(
    body({ ...base, value: { resultType: 'vector', result: [{ labels, t: 1000, v: Number.NaN }] } }),
    {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'up', instance: 'h:1', job: 'a "quoted" \\ job' }, value: [1, 'NaN'] },
        ],
      },
    },
  );
  assert.deepEqual(
    body({
      ...base,
      value: {
        resultType: 'matrix',
        result: [
          { labels, ts: Float64Array.of(1000, 1500), vs: Float64Array.of(1, Number.NEGATIVE_INFINITY) },
        ],
      },
      warnings: ['w'],
      infos: ['i'],
    }),
    {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { __name__: 'up', instance: 'h:1', job: 'a "quoted" \\ job' },
            values: [
              [1, '1'],
              [1.5, '-Inf'],
            ],
          },
        ],
      },
      warnings: ['w'],
      infos: ['i'],
    },
  );
  assert.deepEqual(body({ ...base, value: { resultType: 'scalar', result: { t: 2001, v: 3 } } }), {
    status: 'success',
    data: { resultType: 'scalar', result: [2.001, '3'] },
  });
  assert.deepEqual(body({ ...base, value: { resultType: 'string', result: { t: 0, value: 'a\nb' } } }), {
    status: 'success',
    data: { resultType: 'string', result: [0, 'a\nb'] },
  });
});

test('a large matrix comes out in many bounded chunks that join to valid JSON', () => {
  const n = 200_000;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = i * 15_000;
    vs[i] = i / 7;
  }
  const chunks = [
    ...queryEnvelopeChunks({
      value: { resultType: 'matrix', result: [{ labels, ts, vs }] },
      warnings: [],
      infos: [],
      samplesLoaded: n,
    }),
  ];
  assert.ok(chunks.length > 10, `${chunks.length} chunks`);
  // A chunk is handed out once it passes 64 Ki characters; 1,024 points at most are added past that.
  for (const c of chunks) assert.ok(c.length < 64 * 1024 + 1024 * 64, `chunk of ${c.length}`);
  const parsed = JSON.parse(chunks.join('')) as { data: { result: { values: [number, string][] }[] } };
  const values = parsed.data.result[0].values;
  assert.equal(values.length, n);
  assert.deepEqual(values[n - 1], [((n - 1) * 15_000) / 1000, String((n - 1) / 7)]);
});

test('list envelopes carry the warnings', () => {
  const text = [...listEnvelopeChunks(['a', 'b'], JSON.stringify, ['results truncated due to limit'])].join(
    '',
  );
  assert.deepEqual(JSON.parse(text), {
    status: 'success',
    data: ['a', 'b'],
    warnings: ['results truncated due to limit'],
  });
  assert.deepEqual(JSON.parse([...listEnvelopeChunks([], JSON.stringify)].join('')), {
    status: 'success',
    data: [],
  });
});
