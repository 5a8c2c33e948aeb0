// Prometheus text format writer: version 0.0.4 (legacy names) and 1.0.0 (quoted UTF-8 names when
// the negotiated escaping is `allow-utf-8`). Output matches client_golang's: `le="0.005"`, `+Inf`,
// counters under the name they were registered with, timestamps as integer milliseconds.
//
// Types text 0.0.4 does not have are written (much as client_python does) so that the series names
// are the ones a Prometheus scraping our OpenMetrics output would store:
// - info → a gauge named `<name>_info` with value 1;
// - stateset → a gauge (one sample per state, 1 or 0);
// - gaugehistogram → `# TYPE <name> histogram` with only the `<name>_bucket` samples, followed by
//   gauge families `<name>_gcount` and `<name>_gsum` (the closest shape text 0.0.4 has; the `_g*`
//   names keep it apart from a real histogram's, and each family stays in one piece).
// OpenMetrics-only data (units, `_created`, exemplars) has no place in this format and is left out.

import type { NameEscaping } from '../../model/names.ts';
import { ByteWriter, SizeHint } from './byte-writer.ts';
import { escapeTextHelp } from './escape.ts';
import type { Metric, MetricFamily } from './family.ts';
import {
  labelBytesCache,
  type RenderedName,
  renderMetricName,
  type SampleName,
  sampleName,
  suffixed,
  writeSampleHead,
} from './name-style.ts';
import { formatTextLabelNumber, formatTimestampMs, formatValue } from './numbers.ts';

export interface TextWriteOptions {
  /** How to write names that are not legacy names; `allow-utf-8` gives text 1.0.0. Default `underscores`. */
  readonly escaping?: NameEscaping;
}

/** Output size of the previous render, to size the next one's buffer. */
const sizeHint = new SizeHint();

/** Render families as Prometheus text (0.0.4, or 1.0.0 with `escaping: 'allow-utf-8'`), as UTF-8 bytes. */
export function writeTextBytes(families: Iterable<MetricFamily>, opts: TextWriteOptions = {}): Buffer {
  const scheme = opts.escaping ?? 'underscores';
  const w = ByteWriter.sizedLike(sizeHint);
  for (const f of families) writeFamily(w, f, scheme);
  sizeHint.record(w);
  return w.toBuffer();
}

/** {@link writeTextBytes} as a string. */
export function writeText(families: Iterable<MetricFamily>, opts: TextWriteOptions = {}): string {
  return writeTextBytes(families, opts).toString('utf8');
}

const TEXT_TYPE: Record<MetricFamily['type'], string> = {
  counter: 'counter',
  gauge: 'gauge',
  untyped: 'untyped',
  summary: 'summary',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  info: 'gauge',
  stateset: 'gauge',
};

const NL = 10;
const SPACE = 32;

/** ` value[ timestamp]\n` */
function writeValueEnd(w: ByteWriter, value: number, m: Metric): void {
  w.byte(SPACE);
  w.ascii(formatValue(value));
  const ts = m.timestampMs;
  if (ts !== undefined && Number.isFinite(ts)) {
    w.byte(SPACE);
    w.ascii(formatTimestampMs(ts));
  }
  w.byte(NL);
}

function writeFamily(w: ByteWriter, f: MetricFamily, scheme: NameEscaping): void {
  const base = f.type === 'info' && !f.name.endsWith('_info') ? `${f.name}_info` : f.name;
  const fam = renderMetricName(base, scheme);
  if (f.help !== '') w.text(`# HELP ${fam.text} ${escapeTextHelp(f.help)}\n`);
  w.text(`# TYPE ${fam.text} ${TEXT_TYPE[f.type]}\n`);
  switch (f.type) {
    case 'histogram':
    case 'gaugehistogram':
      writeHistograms(w, f, fam, base, scheme);
      return;
    case 'summary':
      writeSummaries(w, f, fam, base, scheme);
      return;
    default:
      writeValues(w, f, fam, scheme);
      return;
  }
}

function writeValues(w: ByteWriter, f: MetricFamily, fam: RenderedName, scheme: NameEscaping): void {
  const name = sampleName(fam);
  const info = f.type === 'info';
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const v = info ? 1 : m.value;
    if (v === undefined) continue;
    writeSampleHead(w, name, cache.get(m.labels));
    writeValueEnd(w, v, m);
  }
}

function writeHistograms(
  w: ByteWriter,
  f: MetricFamily,
  fam: RenderedName,
  base: string,
  scheme: NameEscaping,
): void {
  const gauge = f.type === 'gaugehistogram';
  const bucketName = suffixed(fam, base, '_bucket', scheme);
  const sumName = suffixed(fam, base, '_sum', scheme);
  const countName = suffixed(fam, base, '_count', scheme);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const labels = cache.get(m.labels);
    const infCount = writeBuckets(w, m, bucketName, labels);
    if (gauge) continue;
    if (m.sum !== undefined) {
      writeSampleHead(w, sumName, labels);
      writeValueEnd(w, m.sum, m);
    }
    writeSampleHead(w, countName, labels);
    writeValueEnd(w, m.count ?? infCount, m);
  }
  if (gauge) {
    // `_gcount` / `_gsum` are no histogram samples in text: each is a gauge family of its own,
    // written after the buckets so that every family stays in one piece.
    writeGaugeHistogramPart(w, f, fam, base, '_gcount', scheme, (m) => m.count ?? infBucketCount(m));
    writeGaugeHistogramPart(w, f, fam, base, '_gsum', scheme, (m) => m.sum);
  }
}

/** The buckets of one histogram, with a +Inf bucket even if the model has none; returns its count. */
function writeBuckets(w: ByteWriter, m: Metric, bucketName: SampleName, labels: Uint8Array): number {
  let infCount: number | undefined;
  let lastCount: number | undefined;
  for (const b of m.buckets ?? []) {
    writeSampleHead(w, bucketName, labels, 'le', formatTextLabelNumber(b.upperBound));
    writeValueEnd(w, b.cumulativeCount, m);
    lastCount = b.cumulativeCount;
    if (b.upperBound === Number.POSITIVE_INFINITY) infCount = b.cumulativeCount;
  }
  // Like client_golang: a histogram always shows its +Inf bucket.
  if (infCount === undefined) {
    infCount = m.count ?? lastCount ?? 0;
    writeSampleHead(w, bucketName, labels, 'le', '+Inf');
    writeValueEnd(w, infCount, m);
  }
  return infCount;
}

function infBucketCount(m: Metric): number {
  const b = m.buckets ?? [];
  const last = b[b.length - 1];
  return last?.upperBound === Number.POSITIVE_INFINITY
    ? last.cumulativeCount
    : (m.count ?? last?.cumulativeCount ?? 0);
}

function writeGaugeHistogramPart(
  w: ByteWriter,
  f: MetricFamily,
  fam: RenderedName,
  base: string,
  suffix: string,
  scheme: NameEscaping,
  value: (m: Metric) => number | undefined,
): void {
  if (!f.metrics.some((m) => value(m) !== undefined)) return;
  const name = suffixed(fam, base, suffix, scheme);
  const head = fam.quoted ? renderMetricName(base + suffix, scheme).text : fam.text + suffix;
  if (f.help !== '') w.text(`# HELP ${head} ${escapeTextHelp(f.help)}\n`);
  w.text(`# TYPE ${head} gauge\n`);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const v = value(m);
    if (v === undefined) continue;
    writeSampleHead(w, name, cache.get(m.labels));
    writeValueEnd(w, v, m);
  }
}

function writeSummaries(
  w: ByteWriter,
  f: MetricFamily,
  fam: RenderedName,
  base: string,
  scheme: NameEscaping,
): void {
  const name = sampleName(fam);
  const sumName = suffixed(fam, base, '_sum', scheme);
  const countName = suffixed(fam, base, '_count', scheme);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const labels = cache.get(m.labels);
    for (const q of m.quantiles ?? []) {
      writeSampleHead(w, name, labels, 'quantile', formatTextLabelNumber(q.quantile));
      writeValueEnd(w, q.value, m);
    }
    if (m.sum !== undefined) {
      writeSampleHead(w, sumName, labels);
      writeValueEnd(w, m.sum, m);
    }
    if (m.count !== undefined) {
      writeSampleHead(w, countName, labels);
      writeValueEnd(w, m.count, m);
    }
  }
}
