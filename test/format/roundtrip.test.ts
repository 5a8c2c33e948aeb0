// Property tests: what the writers write, the parser reads back to the same families. Names legacy
// and UTF-8 (quoted with allow-utf-8), label values with quotes, backslashes, newlines and any
// Unicode, values bit for bit (NaN as NaN, -0 as -0), integer millisecond timestamps exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bucket, Exemplar, Metric, MetricFamily, Quantile } from '../../src/format/exposition/family.ts';
import { renderLabelName } from '../../src/format/exposition/name-style.ts';
import { writeOpenMetrics } from '../../src/format/exposition/openmetrics-writer.ts';
import { parseExposition } from '../../src/format/exposition/parser.ts';
import { writeText } from '../../src/format/exposition/text-writer.ts';
import { type Label, Labels } from '../../src/model/labels.ts';
import type { MetricType } from '../../src/model/metadata.ts';
import { isLegacyMetricName, type NameEscaping } from '../../src/model/names.ts';

// ---- arbitraries ----

const TRICKY = ['"', '\\', '\n', ' ', '\t', '{', '}', ',', '=', '#', '\\n', 'ü', '😀', '\0', '\r'];
const codePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));
const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 3, arbitrary: codePoint },
  {
    weight: 6,
    arbitrary: fc.constantFrom(...'abcxyz_:019.-/'),
  },
);
const unicodeString = (maxLength: number) => fc.array(char, { maxLength }).map((a) => a.join(''));

const legacyMetricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/);
const legacyLabelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
const utf8Name = unicodeString(12).filter((s) => s.length > 0);
const metricBase = fc.oneof({ weight: 3, arbitrary: legacyMetricName }, { weight: 1, arbitrary: utf8Name });
const labelName = fc
  .oneof({ weight: 3, arbitrary: legacyLabelName }, { weight: 1, arbitrary: utf8Name })
  .filter((n) => n !== '__name__' && n !== 'le' && n !== 'quantile');

/** Label sets without `forbidden` names. Empty values are left in: Labels drops them, as Prometheus does. */
const labelSet = (forbidden: readonly string[] = []) =>
  fc
    .uniqueArray(fc.tuple(labelName, unicodeString(10)), { maxLength: 4, selector: ([n]) => n })
    .map((pairs) =>
      Labels.from(
        pairs.filter(([n]) => !forbidden.includes(n)).map(([name, value]): Label => ({ name, value })),
      ),
    );

const specialValues = [
  0,
  -0,
  1,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 64,
  -(2 ** 63),
  1e21,
  5e-324,
  1e-7,
  0.1,
];
const anyValue = fc.oneof(
  fc.double(),
  fc.integer().map(Number),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  fc.constantFrom(...specialValues),
);
const counterValue = anyValue.filter((v) => !Number.isNaN(v) && v >= 0);
const timestamp = fc.option(fc.maxSafeInteger(), { nil: undefined });
const count = fc.nat({ max: 1_000_000 });
const noNegZero = (v: number) => (v === 0 ? 0 : v);

/** Series with distinct label sets. */
function series<T extends { labels: Labels }>(arb: fc.Arbitrary<T>, minLength: number): fc.Arbitrary<T[]> {
  return fc.uniqueArray(arb, { minLength, maxLength: 4, selector: (m) => m.labels.key });
}

function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

const exemplar = fc
  .record({
    labels: labelSet().filter(
      (l) => [...l.pairs].reduce((n, p) => n + [...p.name].length + [...p.value].length, 0) <= 128,
    ),
    value: anyValue,
    timestampMs: timestamp,
  })
  .map((e): Exemplar => withOptional({ labels: e.labels, value: e.value }, { timestampMs: e.timestampMs }));

/** Bounds ascending and unique, ending with +Inf; counts cumulative. */
function buckets(allowNegative: boolean): fc.Arbitrary<Bucket[]> {
  const bound = fc
    .double({ noNaN: true, noDefaultInfinity: true, min: allowNegative ? -1e9 : 0, max: 1e9 })
    .map(noNegZero);
  return fc
    .tuple(fc.uniqueArray(bound, { maxLength: 5 }), fc.array(count, { minLength: 6, maxLength: 6 }))
    .map(([bounds, increments]) => {
      const sorted = [...bounds].sort((a, b) => a - b);
      sorted.push(Number.POSITIVE_INFINITY);
      let c = 0;
      return sorted.map((upperBound, i) => {
        c += increments[i];
        return { upperBound, cumulativeCount: c };
      });
    });
}

// ---- families for each format ----

const om = true;
const text = false;

function metricsFor(type: MetricType, openMetrics: boolean, familyName: string): fc.Arbitrary<Metric[]> {
  const min = openMetrics ? 0 : 1; // text drops families without samples, as expfmt does
  switch (type) {
    case 'counter':
      return series(
        fc
          .record({
            labels: labelSet(),
            value: openMetrics ? counterValue : anyValue,
            timestampMs: timestamp,
            createdMs: timestamp,
            exemplar: fc.option(exemplar, { nil: undefined }),
          })
          .map((m) =>
            openMetrics
              ? withOptional(
                  { labels: m.labels, value: m.value },
                  { timestampMs: m.timestampMs, createdMs: m.createdMs, exemplar: m.exemplar },
                )
              : withOptional({ labels: m.labels, value: m.value }, { timestampMs: m.timestampMs }),
          ),
        min,
      );
    case 'gauge':
    case 'untyped':
      return series(
        fc
          .record({ labels: labelSet(), value: anyValue, timestampMs: timestamp })
          .map((m) => withOptional({ labels: m.labels, value: m.value }, { timestampMs: m.timestampMs })),
        min,
      );
    case 'info':
      return series(
        fc
          .record({ labels: labelSet(), timestampMs: timestamp })
          .map((m) => withOptional({ labels: m.labels, value: 1 }, { timestampMs: m.timestampMs })),
        min,
      );
    case 'stateset':
      // One metric per state; the state is in a label named like the family.
      return fc
        .tuple(
          labelSet([familyName]),
          fc.uniqueArray(
            unicodeString(6).filter((s) => s !== ''),
            { maxLength: 3 },
          ),
        )
        .chain(([labels, states]) =>
          fc
            .tuple(...states.map(() => fc.constantFrom(0, 1)))
            .map((values) =>
              states.map((state, i) => ({ labels: labels.with(familyName, state), value: values[i] })),
            ),
        );
    case 'histogram':
    case 'gaugehistogram': {
      const gauge = type === 'gaugehistogram';
      return series(
        fc
          .record({
            labels: labelSet(['le']),
            buckets: buckets(openMetrics),
            sum: fc.option(fc.double({ noNaN: true, min: gauge ? -1e12 : 0 }), { nil: undefined }),
            timestampMs: timestamp,
            createdMs: timestamp,
          })
          .map((m) => {
            const inf = m.buckets[m.buckets.length - 1].cumulativeCount;
            const negative = m.buckets[0].upperBound < 0;
            // What OpenMetrics allows: a sum (with its count) only without negative buckets, a
            // negative gauge sum only with them. Text always has a count.
            let sum = m.sum;
            if (openMetrics && sum !== undefined && (gauge ? sum < 0 && !negative : negative))
              sum = undefined;
            const hasCount = !openMetrics || sum !== undefined;
            return withOptional(
              { labels: m.labels, buckets: m.buckets },
              {
                count: hasCount ? inf : undefined,
                sum,
                timestampMs: m.timestampMs,
                createdMs: openMetrics && !gauge ? m.createdMs : undefined,
              },
            );
          }),
        min,
      );
    }
    case 'summary': {
      const quantile = fc.double({ noNaN: true, min: 0, max: 1 }).map(noNegZero);
      const qValue = openMetrics ? anyValue.filter((v) => Number.isNaN(v) || v >= 0) : anyValue;
      return series(
        fc
          .record({
            labels: labelSet(['quantile']),
            quantiles: fc.uniqueArray(fc.record({ quantile, value: qValue }), {
              maxLength: 3,
              selector: (q) => q.quantile,
            }),
            count: fc.option(count, { nil: undefined }),
            sum: fc.option(openMetrics ? fc.double({ noNaN: true, min: 0 }) : anyValue, { nil: undefined }),
            timestampMs: timestamp,
            createdMs: timestamp,
          })
          // A summary with nothing in it writes no sample at all.
          .filter((m) => m.quantiles.length > 0 || m.count !== undefined || m.sum !== undefined)
          .map((m) =>
            withOptional(
              {
                labels: m.labels,
                quantiles: m.quantiles.map((q): Quantile => ({ quantile: q.quantile, value: q.value })),
              },
              {
                count: m.count,
                sum: m.sum,
                timestampMs: m.timestampMs,
                createdMs: openMetrics ? m.createdMs : undefined,
              },
            ),
          ),
        min,
      );
    }
  }
}

const TEXT_TYPES: MetricType[] = ['counter', 'gauge', 'untyped', 'histogram', 'summary'];
const OM_TYPES: MetricType[] = [
  'counter',
  'gauge',
  'untyped',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];
const OM_SUFFIX: Partial<Record<MetricType, string>> = { counter: '_total', info: '_info' };

/**
 * Families with names that cannot clash: each gets `_f<i>` (and its unit) appended, so no family's
 * name is another's plus a sample suffix. OpenMetrics model names end in `_total` / `_info`.
 */
function families(openMetrics: boolean): fc.Arbitrary<MetricFamily[]> {
  const one = fc.record({
    base: metricBase,
    type: fc.constantFrom(...(openMetrics ? OM_TYPES : TEXT_TYPES)),
    help: unicodeString(20),
    unit: fc.constantFrom('', 'seconds', 'bytes'),
  });
  return fc.array(one, { maxLength: 5 }).chain((specs) =>
    fc.tuple(
      ...specs.map((s, i) => {
        const unit = openMetrics && s.type !== 'info' && s.type !== 'stateset' ? s.unit : '';
        const family = `${s.base}_f${i}${unit === '' ? '' : `_${unit}`}`;
        const name = openMetrics ? family + (OM_SUFFIX[s.type] ?? '') : family;
        return metricsFor(s.type, openMetrics, family).map(
          (metrics): MetricFamily => ({ name, type: s.type, help: s.help, unit, metrics }),
        );
      }),
    ),
  );
}

// ---- comparison ----

/** Plain data for deepStrictEqual (which compares numbers with Object.is: NaN = NaN, -0 ≠ 0). */
function plain(fs: readonly MetricFamily[]): unknown {
  return fs.map((f) => ({
    ...f,
    metrics: f.metrics.map((m) => {
      const out: Record<string, unknown> = { ...m, labels: m.labels.pairs.map((p) => [p.name, p.value]) };
      if (m.exemplar)
        out.exemplar = { ...m.exemplar, labels: m.exemplar.labels.pairs.map((p) => [p.name, p.value]) };
      if (m.buckets) {
        out.buckets = m.buckets.map((b) =>
          b.exemplar
            ? {
                ...b,
                exemplar: { ...b.exemplar, labels: b.exemplar.labels.pairs.map((p) => [p.name, p.value]) },
              }
            : b,
        );
      }
      return out;
    }),
  }));
}

/** What text keeps: no units; HELP loses leading blanks (expfmt skips them). */
function expectedFromText(fs: readonly MetricFamily[]): MetricFamily[] {
  return fs.map((f) => ({ ...f, unit: '', help: f.help.replace(/^[ \t]+/, '') }));
}

test('text (1.0.0, allow-utf-8): write → parse gives the same families', () => {
  fc.assert(
    fc.property(families(text), (fs) => {
      const out = writeText(fs, { escaping: 'allow-utf-8' });
      assert.deepStrictEqual(plain(parseExposition(out)), plain(expectedFromText(fs)), out);
    }),
    { numRuns: 400 },
  );
});

test('OpenMetrics (allow-utf-8): write → parse gives the same families', () => {
  fc.assert(
    fc.property(families(om), (fs) => {
      const out = writeOpenMetrics(fs, { escaping: 'allow-utf-8' });
      assert.deepStrictEqual(plain(parseExposition(out, { openMetrics: true })), plain(fs), out);
    }),
    { numRuns: 400 },
  );
});

test('with a name-escaping scheme, every name written is a legacy name and the output parses', () => {
  const schemes: NameEscaping[] = ['underscores', 'dots', 'values'];
  fc.assert(
    fc.property(families(om), fc.constantFrom(...schemes), (fs, scheme) => {
      // Escaping is lossy: two label names may become one. The writer then keeps the first name, so
      // two series can collapse into one; that is what escaping means, not what is tested here.
      for (const f of fs) {
        const names = new Set(f.metrics.flatMap((m) => m.labels.pairs.map((p) => p.name)));
        const escaped = new Set([...names].map((n) => renderLabelName(n, scheme)));
        fc.pre(escaped.size === names.size);
      }
      const t = writeText(fs, { escaping: scheme });
      const parsedText = parseExposition(t);
      const o = writeOpenMetrics(fs, { escaping: scheme });
      const parsedOm = parseExposition(o, { openMetrics: true });
      for (const f of [...parsedText, ...parsedOm]) {
        assert.ok(isLegacyMetricName(f.name), f.name);
        for (const m of f.metrics)
          for (const p of m.labels.pairs) assert.match(p.name, /^[a-zA-Z_][a-zA-Z0-9_]*$/);
      }
      assert.equal(parsedOm.length, fs.length);
    }),
    { numRuns: 200 },
  );
});
