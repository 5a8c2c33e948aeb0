import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricFamily } from '../../src/format/exposition/family.ts';
import { writeOpenMetrics } from '../../src/format/exposition/openmetrics-writer.ts';
import { parseExposition } from '../../src/format/exposition/parser.ts';
import { writeText, writeTextBytes } from '../../src/format/exposition/text-writer.ts';
import { Labels } from '../../src/model/labels.ts';

const L = (r: Record<string, string>) => Labels.from(r);

const requests: MetricFamily = {
  name: 'http_requests_total',
  type: 'counter',
  help: 'Requests "served".\nSecond \\ line',
  unit: '',
  metrics: [
    {
      labels: L({ code: '200', path: '/a"b\\c\nd' }),
      value: 1027,
      createdMs: 1520430000123,
      exemplar: { labels: L({ trace_id: 'abc' }), value: 0.67, timestampMs: 1520879607789 },
    },
    { labels: L({ code: '500' }), value: 3, timestampMs: 1520879607789 },
  ],
};

const latency: MetricFamily = {
  name: 'rpc_duration_seconds',
  type: 'histogram',
  help: 'Latency.',
  unit: 'seconds',
  metrics: [
    {
      labels: L({ method: 'GET' }),
      buckets: [
        { upperBound: 0.005, cumulativeCount: 1 },
        { upperBound: 1, cumulativeCount: 5, exemplar: { labels: L({ t: '1' }), value: 0.5 } },
        { upperBound: 1e6, cumulativeCount: 6 },
        { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 7 },
      ],
      count: 7,
      sum: 12.5,
      createdMs: 1000,
    },
  ],
};

const summary: MetricFamily = {
  name: 'gc_seconds',
  type: 'summary',
  help: '',
  unit: '',
  metrics: [
    {
      labels: Labels.EMPTY,
      quantiles: [
        { quantile: 0.5, value: 1 },
        { quantile: 1e-5, value: Number.NaN },
      ],
      count: 10,
      sum: 20,
    },
  ],
};

test('text 0.0.4 is written as client_golang writes it', () => {
  assert.equal(
    writeText([requests, latency, summary]),
    [
      '# HELP http_requests_total Requests "served".\\nSecond \\\\ line',
      '# TYPE http_requests_total counter',
      'http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027',
      'http_requests_total{code="500"} 3 1520879607789',
      '# HELP rpc_duration_seconds Latency.',
      '# TYPE rpc_duration_seconds histogram',
      'rpc_duration_seconds_bucket{method="GET",le="0.005"} 1',
      'rpc_duration_seconds_bucket{method="GET",le="1"} 5',
      'rpc_duration_seconds_bucket{method="GET",le="1e+06"} 6',
      'rpc_duration_seconds_bucket{method="GET",le="+Inf"} 7',
      'rpc_duration_seconds_sum{method="GET"} 12.5',
      'rpc_duration_seconds_count{method="GET"} 7',
      '# TYPE gc_seconds summary',
      'gc_seconds{quantile="0.5"} 1',
      'gc_seconds{quantile="1e-05"} NaN',
      'gc_seconds_sum 20',
      'gc_seconds_count 10',
      '',
    ].join('\n'),
  );
});

test('OpenMetrics: family without _total, _created, units, exemplars, seconds, canonical le, # EOF', () => {
  assert.equal(
    writeOpenMetrics([requests, latency, summary]),
    [
      '# TYPE http_requests counter',
      '# HELP http_requests Requests \\"served\\".\\nSecond \\\\ line',
      'http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 # {trace_id="abc"} 0.67 1520879607.789',
      'http_requests_created{code="200",path="/a\\"b\\\\c\\nd"} 1520430000.123',
      'http_requests_total{code="500"} 3 1520879607.789',
      '# TYPE rpc_duration_seconds histogram',
      '# UNIT rpc_duration_seconds seconds',
      '# HELP rpc_duration_seconds Latency.',
      'rpc_duration_seconds_bucket{method="GET",le="0.005"} 1',
      'rpc_duration_seconds_bucket{method="GET",le="1.0"} 5 # {t="1"} 0.5',
      'rpc_duration_seconds_bucket{method="GET",le="1e+06"} 6',
      'rpc_duration_seconds_bucket{method="GET",le="+Inf"} 7',
      'rpc_duration_seconds_count{method="GET"} 7',
      'rpc_duration_seconds_sum{method="GET"} 12.5',
      'rpc_duration_seconds_created{method="GET"} 1',
      '# TYPE gc_seconds summary',
      'gc_seconds{quantile="0.5"} 1',
      'gc_seconds{quantile="1e-05"} NaN',
      'gc_seconds_count 10',
      'gc_seconds_sum 20',
      '# EOF',
      '',
    ].join('\n'),
  );
});

test('an empty exposition is empty in text and just "# EOF" in OpenMetrics', () => {
  assert.equal(writeText([]), '');
  assert.equal(writeOpenMetrics([]), '# EOF\n');
});

const dotted: MetricFamily = {
  name: 'my.dotted.metric',
  type: 'gauge',
  help: 'h',
  unit: '',
  metrics: [
    { labels: L({ 'error.message': 'Not Found', code: '404' }), value: 1 },
    { labels: Labels.EMPTY, value: 2 },
  ],
};

test('UTF-8 names are quoted when the negotiated escaping allows UTF-8', () => {
  assert.equal(
    writeText([dotted], { escaping: 'allow-utf-8' }),
    [
      '# HELP "my.dotted.metric" h',
      '# TYPE "my.dotted.metric" gauge',
      '{"my.dotted.metric",code="404","error.message"="Not Found"} 1',
      '{"my.dotted.metric"} 2',
      '',
    ].join('\n'),
  );
  const hist: MetricFamily = {
    name: 'a.b',
    type: 'histogram',
    help: '',
    unit: '',
    metrics: [
      {
        labels: Labels.EMPTY,
        buckets: [{ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 1 }],
        count: 1,
        sum: 2,
      },
    ],
  };
  assert.equal(
    writeOpenMetrics([hist], { escaping: 'allow-utf-8' }),
    [
      '# TYPE "a.b" histogram',
      '{"a.b_bucket",le="+Inf"} 1',
      '{"a.b_count"} 1',
      '{"a.b_sum"} 2',
      '# EOF',
      '',
    ].join('\n'),
  );
});

test('UTF-8 names are escaped with the negotiated scheme otherwise (default underscores)', () => {
  assert.equal(
    writeText([dotted]),
    [
      '# HELP my_dotted_metric h',
      '# TYPE my_dotted_metric gauge',
      'my_dotted_metric{code="404",error_message="Not Found"} 1',
      'my_dotted_metric 2',
      '',
    ].join('\n'),
  );
  const dots = writeText([dotted], { escaping: 'dots' });
  assert.match(dots, /^my_dot_dotted_dot_metric\{code="404",error_dot_message="Not Found"\} 1$/m);
  const values = writeText([dotted], { escaping: 'values' });
  assert.match(values, /^U__my_2e_dotted_2e_metric\{code="404",U__error_2e_message="Not Found"\} 1$/m);
  // The same Labels instance renders per scheme (the cache is per scheme).
  assert.match(writeText([dotted], { escaping: 'allow-utf-8' }), /"error\.message"="Not Found"/);
});

test('escaping never writes a label name twice, even when two names escape to the same one', () => {
  const f: MetricFamily = {
    name: 'm',
    type: 'gauge',
    help: '',
    unit: '',
    metrics: [{ labels: L({ 'a.b': '1', 'a-b': '2', a_b: '3' }), value: 1 }],
  };
  assert.equal(writeText([f]), '# TYPE m gauge\nm{a_b="3"} 1\n');
  assert.equal(
    writeText([f], { escaping: 'allow-utf-8' }),
    '# TYPE m gauge\nm{"a-b"="2","a.b"="1",a_b="3"} 1\n',
  );
});

test('types text 0.0.4 lacks: info and stateset as gauges, gaugehistogram as histogram-like', () => {
  const families: MetricFamily[] = [
    {
      name: 'build',
      type: 'info',
      help: 'Build.',
      unit: '',
      metrics: [{ labels: L({ version: '1.2' }), value: 1 }],
    },
    {
      name: 'door',
      type: 'stateset',
      help: '',
      unit: '',
      metrics: [
        { labels: L({ door: 'open' }), value: 1 },
        { labels: L({ door: 'closed' }), value: 0 },
      ],
    },
    {
      name: 'queue_seconds',
      type: 'gaugehistogram',
      help: '',
      unit: 'seconds',
      metrics: [
        {
          labels: Labels.EMPTY,
          buckets: [
            { upperBound: 1, cumulativeCount: 2 },
            { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 3 },
          ],
          count: 3,
          sum: 4,
        },
      ],
    },
    { name: 'thing', type: 'untyped', help: '', unit: '', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
  ];
  assert.equal(
    writeText(families),
    [
      '# HELP build_info Build.',
      '# TYPE build_info gauge',
      'build_info{version="1.2"} 1',
      '# TYPE door gauge',
      'door{door="open"} 1',
      'door{door="closed"} 0',
      '# TYPE queue_seconds histogram',
      'queue_seconds_bucket{le="1"} 2',
      'queue_seconds_bucket{le="+Inf"} 3',
      '# TYPE queue_seconds_gcount gauge',
      'queue_seconds_gcount 3',
      '# TYPE queue_seconds_gsum gauge',
      'queue_seconds_gsum 4',
      '# TYPE thing untyped',
      'thing 1',
      '',
    ].join('\n'),
  );
  assert.equal(
    writeOpenMetrics(families),
    [
      '# TYPE build info',
      '# HELP build Build.',
      'build_info{version="1.2"} 1',
      '# TYPE door stateset',
      'door{door="open"} 1',
      'door{door="closed"} 0',
      '# TYPE queue_seconds gaugehistogram',
      '# UNIT queue_seconds seconds',
      'queue_seconds_bucket{le="1.0"} 2',
      'queue_seconds_bucket{le="+Inf"} 3',
      'queue_seconds_gcount 3',
      'queue_seconds_gsum 4',
      '# TYPE thing unknown',
      'thing 1',
      '# EOF',
      '',
    ].join('\n'),
  );
});

test('a gauge histogram with several series is valid text: every family stays in one piece', () => {
  const gh: MetricFamily = {
    name: 'q',
    type: 'gaugehistogram',
    help: 'Queue.',
    unit: '',
    metrics: ['a', 'b'].map((x) => ({
      labels: L({ x }),
      buckets: [{ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 2 }],
      count: 2,
      sum: 5,
    })),
  };
  const parsed = parseExposition(writeText([gh]));
  assert.deepEqual(
    parsed.map((f) => [f.name, f.type, f.help, f.metrics.length]),
    [
      ['q', 'histogram', 'Queue.', 2],
      ['q_gcount', 'gauge', 'Queue.', 2],
      ['q_gsum', 'gauge', 'Queue.', 2],
    ],
  );
});

test('OpenMetrics output stays valid where the model could say something the format forbids', () => {
  const families: MetricFamily[] = [
    // A unit that is not the name's suffix is left out.
    { name: 'size', type: 'gauge', help: '', unit: 'bytes', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
    {
      name: 'temp',
      type: 'histogram',
      help: '',
      unit: '',
      metrics: [
        // Negative buckets: no _sum/_count. A missing +Inf bucket is added from the count.
        { labels: L({ a: '1' }), buckets: [{ upperBound: -5, cumulativeCount: 1 }], count: 2, sum: -3 },
        // A negative sum cannot be written in a histogram either.
        {
          labels: L({ a: '2' }),
          buckets: [{ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 2 }],
          count: 2,
          sum: -1,
        },
      ],
    },
    {
      name: 'c',
      type: 'counter',
      help: '',
      unit: '',
      metrics: [
        { labels: Labels.EMPTY, value: 1, exemplar: { labels: L({ id: 'x'.repeat(127) }), value: 1 } },
      ],
    },
  ];
  assert.equal(
    writeOpenMetrics(families),
    [
      '# TYPE size gauge',
      'size 1',
      '# TYPE temp histogram',
      'temp_bucket{a="1",le="-5.0"} 1',
      'temp_bucket{a="1",le="+Inf"} 2',
      'temp_bucket{a="2",le="+Inf"} 2',
      '# TYPE c counter',
      'c_total 1',
      '# EOF',
      '',
    ].join('\n'),
  );
});

test('OpenMetrics: the 128 code point exemplar limit counts label names as written after escaping', () => {
  // '€€€€' is 4 code points, but the "values" scheme writes it as U___20ac__20ac__20ac__20ac_ (27).
  const fam = (name: string): MetricFamily[] => [
    {
      name: 'c',
      type: 'counter',
      help: '',
      unit: '',
      metrics: [
        { labels: Labels.EMPTY, value: 1, exemplar: { labels: L({ [name]: 'x'.repeat(110) }), value: 1 } },
      ],
    },
  ];
  const utf8 = writeOpenMetrics(fam('€€€€'), { escaping: 'allow-utf-8' });
  assert.match(utf8, /# \{"€€€€"="x+"\} 1/);
  parseExposition(utf8, { openMetrics: true });
  const escaped = writeOpenMetrics(fam('€€€€'), { escaping: 'values' });
  assert.equal(escaped, '# TYPE c counter\nc_total 1\n# EOF\n');
});

test('histograms always show a +Inf bucket in text, derived from the count', () => {
  const h: MetricFamily = {
    name: 'h',
    type: 'histogram',
    help: '',
    unit: '',
    metrics: [{ labels: Labels.EMPTY, buckets: [{ upperBound: 1, cumulativeCount: 1 }], count: 4, sum: 1 }],
  };
  assert.equal(
    writeText([h]),
    '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 4\nh_sum 1\nh_count 4\n',
  );
});

test('escaping edge cases: label values and HELP', () => {
  const f: MetricFamily = {
    name: 'e',
    type: 'gauge',
    help: 'quote " backslash \\ newline \n tab \t',
    unit: '',
    metrics: [{ labels: L({ v: '\\"\n\\n # {}, ü 😀 \0' }), value: 1 }],
  };
  assert.equal(
    writeText([f]),
    '# HELP e quote " backslash \\\\ newline \\n tab \t\n# TYPE e gauge\ne{v="\\\\\\"\\n\\\\n # {}, ü 😀 \0"} 1\n',
  );
  assert.match(writeOpenMetrics([f]), /^# HELP e quote \\" backslash \\\\ newline \\n tab \t$/m);
  // Bytes are UTF-8.
  assert.ok(writeTextBytes([f]).includes(Buffer.from('ü 😀')));
});

test('metrics without a value are skipped rather than written as garbage', () => {
  const f: MetricFamily = {
    name: 'g',
    type: 'gauge',
    help: '',
    unit: '',
    metrics: [{ labels: Labels.EMPTY }],
  };
  assert.equal(writeText([f]), '# TYPE g gauge\n');
});
