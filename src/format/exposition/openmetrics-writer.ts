// OpenMetrics 1.0 text writer.
//
// A family's model name is the text 0.0.4 name (see family.ts); here the OpenMetrics family name is
// derived from it: a counter `foo_total` (or `foo`) is family `foo` with samples `foo_total` and
// `foo_created`; an info `foo_info` (or `foo`) is family `foo` with samples `foo_info`.
//
// The writer keeps its output valid OpenMetrics where the model could say something the format
// forbids: a UNIT that is not a suffix of the name is left out, a histogram's `_count`/`_sum` are
// left out when the sum is negative/NaN or there are negative buckets, exemplars over the 128 code
// point budget are dropped, and `_count` is always the +Inf bucket's count. Values themselves are
// written as they are.

import type { Labels } from '../../model/labels.ts';
import type { NameEscaping } from '../../model/names.ts';
import { ByteWriter, SizeHint } from './byte-writer.ts';
import { escapeOpenMetricsHelp } from './escape.ts';
import type { Exemplar, Metric, MetricFamily } from './family.ts';
import {
  labelBytesCache,
  labelText,
  type RenderedName,
  renderLabelName,
  renderMetricName,
  type SampleName,
  sampleName,
  suffixed,
  writeSampleHead,
} from './name-style.ts';
import { formatCanonicalLabelNumber, formatTimestampSeconds, formatValue } from './numbers.ts';

export interface OpenMetricsWriteOptions {
  /** How to write names that are not legacy names. Default `underscores`. */
  readonly escaping?: NameEscaping;
}

export const OPENMETRICS_EOF = '# EOF\n';

/** Output size of the previous render, to size the next one's buffer. */
const sizeHint = new SizeHint();

/** Render families as OpenMetrics 1.0 text ending with `# EOF`, as UTF-8 bytes. */
export function writeOpenMetricsBytes(
  families: Iterable<MetricFamily>,
  opts: OpenMetricsWriteOptions = {},
): Buffer {
  const scheme = opts.escaping ?? 'underscores';
  const w = ByteWriter.sizedLike(sizeHint);
  for (const f of families) writeFamily(w, f, scheme);
  w.ascii(OPENMETRICS_EOF);
  sizeHint.record(w);
  return w.toBuffer();
}

/** {@link writeOpenMetricsBytes} as a string. */
export function writeOpenMetrics(
  families: Iterable<MetricFamily>,
  opts: OpenMetricsWriteOptions = {},
): string {
  return writeOpenMetricsBytes(families, opts).toString('utf8');
}

/** The OpenMetrics family name for a model family (counters lose `_total`, infos lose `_info`). */
export function openMetricsFamilyName(f: Pick<MetricFamily, 'name' | 'type'>): string {
  const suffix = f.type === 'counter' ? '_total' : f.type === 'info' ? '_info' : '';
  if (suffix !== '' && f.name.endsWith(suffix) && f.name.length > suffix.length) {
    return f.name.slice(0, -suffix.length);
  }
  return f.name;
}

const VALID_UNIT = /^[a-zA-Z0-9_:]+$/;
const NL = 10;
const SPACE = 32;

function writeFamily(w: ByteWriter, f: MetricFamily, scheme: NameEscaping): void {
  const base = openMetricsFamilyName(f);
  // A stateset's state label is named like the family: escape both the same way (as a label name)
  // so they still match after escaping.
  const fam =
    f.type === 'stateset' && scheme !== 'allow-utf-8'
      ? { text: renderLabelName(base, scheme), quoted: false }
      : renderMetricName(base, scheme);
  w.text(`# TYPE ${fam.text} ${f.type === 'untyped' ? 'unknown' : f.type}\n`);
  const shownName = fam.quoted ? base : fam.text;
  if (
    f.unit !== '' &&
    f.type !== 'info' &&
    f.type !== 'stateset' &&
    VALID_UNIT.test(f.unit) &&
    shownName.endsWith(`_${f.unit}`)
  ) {
    w.text(`# UNIT ${fam.text} ${f.unit}\n`);
  }
  if (f.help !== '') w.text(`# HELP ${fam.text} ${escapeOpenMetricsHelp(f.help)}\n`);
  switch (f.type) {
    case 'counter':
      writeCounters(w, f, fam, base, scheme);
      return;
    case 'histogram':
    case 'gaugehistogram':
      writeHistograms(w, f, fam, base, scheme);
      return;
    case 'summary':
      writeSummaries(w, f, fam, base, scheme);
      return;
    case 'info':
      writeValues(w, f, suffixed(fam, base, '_info', scheme), scheme, true);
      return;
    default:
      writeValues(w, f, sampleName(fam), scheme, false);
      return;
  }
}

/** ` value[ timestamp]` without the line end (an exemplar may follow). */
function writeValue(w: ByteWriter, value: string, m: Metric): void {
  w.byte(SPACE);
  w.ascii(value);
  const ts = m.timestampMs;
  if (ts !== undefined && Number.isFinite(ts)) {
    w.byte(SPACE);
    w.ascii(formatTimestampSeconds(ts));
  }
}

/** The exemplar's combined label names (as written, after escaping) and values may not exceed 128 code points. */
function exemplarFits(labels: Labels, scheme: NameEscaping): boolean {
  let n = 0;
  for (const p of labels.pairs) {
    // Escaping schemes lengthen names; allow-utf-8 quotes them, and quotes do not count.
    const name = scheme === 'allow-utf-8' ? p.name : renderLabelName(p.name, scheme);
    n += codePoints(name) + codePoints(p.value);
  }
  return n <= 128;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const h = s.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && h >= 0xd800 && h <= 0xdbff) n--;
  }
  return n;
}

function writeExemplar(w: ByteWriter, e: Exemplar | undefined, scheme: NameEscaping): void {
  if (e === undefined || !exemplarFits(e.labels, scheme)) return;
  w.ascii(' # {');
  w.text(labelText(e.labels, scheme));
  w.ascii('} ');
  w.ascii(formatValue(e.value));
  if (e.timestampMs !== undefined && Number.isFinite(e.timestampMs)) {
    w.byte(SPACE);
    w.ascii(formatTimestampSeconds(e.timestampMs));
  }
}

function writeCreated(w: ByteWriter, m: Metric, created: SampleName, labels: Uint8Array): void {
  if (m.createdMs === undefined || !Number.isFinite(m.createdMs)) return;
  writeSampleHead(w, created, labels);
  writeValue(w, formatTimestampSeconds(m.createdMs), m);
  w.byte(NL);
}

function writeValues(
  w: ByteWriter,
  f: MetricFamily,
  name: SampleName,
  scheme: NameEscaping,
  alwaysOne: boolean,
): void {
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const v = alwaysOne ? 1 : m.value;
    if (v === undefined) continue;
    writeSampleHead(w, name, cache.get(m.labels));
    writeValue(w, formatValue(v), m);
    w.byte(NL);
  }
}

function writeCounters(
  w: ByteWriter,
  f: MetricFamily,
  fam: RenderedName,
  base: string,
  scheme: NameEscaping,
): void {
  const total = suffixed(fam, base, '_total', scheme);
  const created = suffixed(fam, base, '_created', scheme);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    if (m.value === undefined) continue;
    const labels = cache.get(m.labels);
    writeSampleHead(w, total, labels);
    writeValue(w, formatValue(m.value), m);
    writeExemplar(w, m.exemplar, scheme);
    w.byte(NL);
    writeCreated(w, m, created, labels);
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
  const countName = suffixed(fam, base, gauge ? '_gcount' : '_count', scheme);
  const sumName = suffixed(fam, base, gauge ? '_gsum' : '_sum', scheme);
  const created = suffixed(fam, base, '_created', scheme);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const labels = cache.get(m.labels);
    let infCount: number | undefined;
    let lastCount: number | undefined;
    let negative = false;
    for (const b of m.buckets ?? []) {
      writeSampleHead(w, bucketName, labels, 'le', formatCanonicalLabelNumber(b.upperBound));
      writeValue(w, formatValue(b.cumulativeCount), m);
      writeExemplar(w, b.exemplar, scheme);
      w.byte(NL);
      lastCount = b.cumulativeCount;
      if (b.upperBound < 0) negative = true;
      if (b.upperBound === Number.POSITIVE_INFINITY) infCount = b.cumulativeCount;
    }
    if (infCount === undefined) {
      infCount = m.count ?? lastCount ?? 0;
      writeSampleHead(w, bucketName, labels, 'le', '+Inf');
      writeValue(w, formatValue(infCount), m);
      w.byte(NL);
    }
    const sum = m.sum;
    // OpenMetrics: count iff sum; a histogram sum is a counter (not negative, not NaN, and absent
    // with negative buckets); a gauge histogram's sum may be negative only with negative buckets.
    const sumAllowed =
      sum !== undefined && (gauge ? !Number.isNaN(sum) && (sum >= 0 || negative) : sum >= 0 && !negative);
    if (sumAllowed) {
      writeSampleHead(w, countName, labels);
      writeValue(w, formatValue(infCount), m);
      w.byte(NL);
      writeSampleHead(w, sumName, labels);
      writeValue(w, formatValue(sum), m);
      w.byte(NL);
    }
    if (!gauge) writeCreated(w, m, created, labels);
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
  const countName = suffixed(fam, base, '_count', scheme);
  const sumName = suffixed(fam, base, '_sum', scheme);
  const created = suffixed(fam, base, '_created', scheme);
  const cache = labelBytesCache(scheme);
  for (const m of f.metrics) {
    const labels = cache.get(m.labels);
    for (const q of m.quantiles ?? []) {
      writeSampleHead(w, name, labels, 'quantile', formatCanonicalLabelNumber(q.quantile));
      writeValue(w, formatValue(q.value), m);
      w.byte(NL);
    }
    if (m.count !== undefined) {
      writeSampleHead(w, countName, labels);
      writeValue(w, formatValue(m.count), m);
      w.byte(NL);
    }
    if (m.sum !== undefined) {
      writeSampleHead(w, sumName, labels);
      writeValue(w, formatValue(m.sum), m);
      w.byte(NL);
    }
    writeCreated(w, m, created, labels);
  }
}
