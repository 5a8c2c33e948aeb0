// The API's JSON for query results and long lists, written by hand and in chunks: a matrix of
// millions of points is never one giant string (V8 caps strings at ~512 MB) nor a tree of objects.
// Numbers are spelled exactly as Prometheus spells them (util/jsonutil): values as strings in Go's
// shortest form ('e' notation below 1e-6 and from 1e21, else 'f'), with NaN, +Inf and -Inf;
// timestamps as seconds with the milliseconds after a point, e.g. 1435781451.781 or 1435781451.

import type { Labels } from '../../model/labels.ts';
import type { MetricMetadata } from '../../model/metadata.ts';
import type { QueryOutcome } from '../../promql/value.ts';

/** Characters gathered before a chunk is handed out. */
const CHUNK_CHARS = 64 * 1024;

/** A sample value as Prometheus writes it (without the quotes). */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // JS switches to exponent notation at the same bounds as Prometheus (1e-6, 1e21) and picks the
  // same shortest digits as Go; only Go's exponent has at least two digits.
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const digits = s.slice(e + 2);
  return digits.length === 1 ? `${s.slice(0, e + 2)}0${digits}` : s;
}

/** A time in ms as seconds: integer part, then `.` and three digits unless they are all zero. */
export function formatTimestamp(ms: number): string {
  let t = Math.round(ms);
  let sign = '';
  if (t < 0) {
    sign = '-';
    t = -t;
  }
  const frac = t % 1000;
  const whole = (t - frac) / 1000;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** `{"name":"value",…}` in the label set's (sorted) order. */
export function labelsJson(labels: Labels): string {
  let s = '{';
  const pairs = labels.pairs;
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) s += ',';
    s += `${JSON.stringify(pairs[i].name)}:${JSON.stringify(pairs[i].value)}`;
  }
  return `${s}}`;
}

/** The metadata endpoint's entry; telemux's `untyped` is the API's `unknown`. */
export function metadataJson(m: MetricMetadata): string {
  const type = m.type === 'untyped' ? 'unknown' : m.type;
  return `{"type":${JSON.stringify(type)},"help":${JSON.stringify(m.help)},"unit":${JSON.stringify(m.unit)}}`;
}

class Chunker {
  s = '';
  get full(): boolean {
    return this.s.length >= CHUNK_CHARS;
  }
  take(): string {
    const s = this.s;
    this.s = '';
    return s;
  }
}

/** A whole success envelope around a query's value, in chunks. */
export function* queryEnvelopeChunks(outcome: QueryOutcome): Generator<string> {
  const c = new Chunker();
  const v = outcome.value;
  c.s = `{"status":"success","data":{"resultType":"${v.resultType}","result":`;
  switch (v.resultType) {
    case 'vector': {
      c.s += '[';
      for (let i = 0; i < v.result.length; i++) {
        const x = v.result[i];
        c.s += `${i > 0 ? ',' : ''}{"metric":${labelsJson(x.labels)},"value":[${formatTimestamp(x.t)},"${formatSampleValue(x.v)}"]}`;
        if (c.full) yield c.take();
      }
      c.s += ']';
      break;
    }
    case 'matrix': {
      c.s += '[';
      for (let i = 0; i < v.result.length; i++) {
        const { labels, ts, vs } = v.result[i];
        c.s += `${i > 0 ? ',' : ''}{"metric":${labelsJson(labels)},"values":[`;
        for (let j = 0; j < ts.length; j++) {
          c.s += `${j > 0 ? ',' : ''}[${formatTimestamp(ts[j])},"${formatSampleValue(vs[j])}"]`;
          if ((j & 1023) === 1023 && c.full) yield c.take();
        }
        c.s += ']}';
        if (c.full) yield c.take();
      }
      c.s += ']';
      break;
    }
    case 'scalar':
      c.s += `[${formatTimestamp(v.result.t)},"${formatSampleValue(v.result.v)}"]`;
      break;
    case 'string':
      c.s += `[${formatTimestamp(v.result.t)},${JSON.stringify(v.result.value)}]`;
      break;
  }
  c.s += `}${annotations(outcome.warnings, outcome.infos)}}`;
  yield c.take();
}

/** A success envelope whose data is a list, each item written by `item`, in chunks. */
export function* listEnvelopeChunks<T>(
  items: readonly T[],
  item: (x: T) => string,
  warnings: readonly string[] = [],
): Generator<string> {
  const c = new Chunker();
  c.s = '{"status":"success","data":[';
  for (let i = 0; i < items.length; i++) {
    c.s += (i > 0 ? ',' : '') + item(items[i]);
    if (c.full) yield c.take();
  }
  c.s += `]${annotations(warnings, [])}}`;
  yield c.take();
}

function annotations(warnings: readonly string[], infos: readonly string[]): string {
  let s = '';
  if (warnings.length > 0) s += `,"warnings":${JSON.stringify(warnings)}`;
  if (infos.length > 0) s += `,"infos":${JSON.stringify(infos)}`;
  return s;
}
