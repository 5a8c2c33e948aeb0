// The API's JSON for query results and long lists, written by hand into byte chunks: a matrix of
// millions of points is never one giant string (V8 caps strings at ~512 MB) nor a tree of objects.
// Numbers are spelled exactly as Prometheus spells them (util/jsonutil): values as strings in Go's
// shortest form ('e' notation below 1e-6 and from 1e21, else 'f'), with NaN, +Inf and -Inf;
// timestamps as seconds with the milliseconds after a point, e.g. 1435781451.781 or 1435781451.

import type { Labels } from '../../model/labels.ts';
import type { MetricMetadata } from '../../model/metadata.ts';
import type { QueryOutcome } from '../../promql/value.ts';
import { JsonBytes } from './json-bytes.ts';

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

/** A whole success envelope around a query's value, in chunks. */
export function* queryEnvelopeChunks(outcome: QueryOutcome): Generator<Buffer> {
  const w = new JsonBytes();
  const v = outcome.value;
  w.ascii(`{"status":"success","data":{"resultType":"${v.resultType}","result":`);
  switch (v.resultType) {
    case 'vector': {
      w.ascii('[');
      for (let i = 0; i < v.result.length; i++) {
        const x = v.result[i];
        if (i > 0) w.ascii(',');
        w.ascii('{"metric":');
        w.text(labelsJson(x.labels));
        w.ascii(',"value":');
        point(w, x.t, x.v);
        w.ascii('}');
        if (w.full) yield w.take();
      }
      w.ascii(']');
      break;
    }
    case 'matrix': {
      w.ascii('[');
      for (let i = 0; i < v.result.length; i++) {
        const { labels, ts, vs } = v.result[i];
        if (i > 0) w.ascii(',');
        w.ascii('{"metric":');
        w.text(labelsJson(labels));
        w.ascii(',"values":[');
        for (let j = 0; j < ts.length; j++) {
          if (j > 0) w.ascii(',');
          point(w, ts[j], vs[j]);
          if (w.full) yield w.take();
        }
        w.ascii(']}');
      }
      w.ascii(']');
      break;
    }
    case 'scalar':
      point(w, v.result.t, v.result.v);
      break;
    case 'string':
      w.ascii('[');
      w.timestamp(v.result.t);
      w.ascii(',');
      w.text(JSON.stringify(v.result.value));
      w.ascii(']');
      break;
  }
  w.ascii('}');
  w.text(annotations(outcome.warnings, outcome.infos));
  w.ascii('}');
  yield w.take();
}

/** `[seconds,"value"]`; integral values are written digit by digit, others as formatSampleValue. */
function point(w: JsonBytes, t: number, v: number): void {
  w.ascii('[');
  w.timestamp(t);
  w.ascii(',"');
  if (Number.isSafeInteger(v) && v !== 0) {
    if (v < 0) w.ascii('-');
    w.uint(Math.abs(v));
  } else {
    w.ascii(formatSampleValue(v));
  }
  w.ascii('"]');
}

/** A success envelope whose data is a list, each item written by `item`, in chunks. */
export function* listEnvelopeChunks<T>(
  items: readonly T[],
  item: (x: T) => string,
  warnings: readonly string[] = [],
): Generator<Buffer> {
  const w = new JsonBytes();
  w.ascii('{"status":"success","data":[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) w.ascii(',');
    w.text(item(items[i]));
    if (w.full) yield w.take();
  }
  w.ascii(']');
  w.text(annotations(warnings, []));
  w.ascii('}');
  yield w.take();
}

function annotations(warnings: readonly string[], infos: readonly string[]): string {
  let s = '';
  if (warnings.length > 0) s += `,"warnings":${JSON.stringify(warnings)}`;
  if (infos.length > 0) s += `,"infos":${JSON.stringify(infos)}`;
  return s;
}
