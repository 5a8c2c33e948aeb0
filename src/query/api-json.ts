// Reads the `data` of a Prometheus HTTP API answer into telemux's values: label sets, sample values
// (strings, with NaN and ±Inf spelled as Go spells them), timestamps in float seconds → ms. A
// malformed answer is an `internal` QueryError that says what was wrong, never a TypeError.

import { Labels } from '../model/labels.ts';
import { isMetricType, type MetricMetadata } from '../model/metadata.ts';
import type { MatrixSeries, QueryOutcome, QueryValue, VectorSample } from '../promql/value.ts';
import { QueryError } from './query-engine.ts';

const HISTOGRAMS_DROPPED =
  'telemux: native histogram samples from the upstream are not supported and were left out';

/** A sample value as the API writes it: Go's float syntax, `NaN`, `+Inf`, `-Inf` (any case). */
export function parseSampleValue(s: unknown): number {
  if (typeof s !== 'string') throw malformed(`sample value ${JSON.stringify(s)} is not a string`);
  const t = s.toLowerCase();
  if (t === 'nan') return Number.NaN;
  if (t === '+inf' || t === 'inf' || t === '+infinity' || t === 'infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  const v = s.trim() === '' ? Number.NaN : Number(s);
  if (Number.isNaN(v)) throw malformed(`sample value "${s}" is not a number`);
  return v;
}

/** A timestamp in float seconds (a JSON number) as ms, rounded as Prometheus rounds to ms. */
export function parseTimestamp(x: unknown): number {
  const sec = typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : Number.NaN;
  if (!Number.isFinite(sec)) throw malformed(`timestamp ${JSON.stringify(x)} is not a number`);
  return Math.round(sec * 1000);
}

export function parseQueryData(
  data: unknown,
  warnings: readonly string[],
  infos: readonly string[],
): QueryOutcome {
  const d = object(data, 'query data');
  const result = d.result;
  const extra: string[] = [];
  let value: QueryValue;
  switch (d.resultType) {
    case 'vector': {
      const out: VectorSample[] = [];
      for (const item of array(result, 'vector result')) {
        const s = object(item, 'vector sample');
        if (s.value === undefined && s.histogram !== undefined) {
          extra.push(HISTOGRAMS_DROPPED);
          continue;
        }
        const [t, v] = pair(s.value, 'vector sample value');
        out.push({ labels: labels(s.metric), t: parseTimestamp(t), v: parseSampleValue(v) });
      }
      value = { resultType: 'vector', result: out };
      break;
    }
    case 'matrix': {
      const out: MatrixSeries[] = [];
      for (const item of array(result, 'matrix result')) {
        const s = object(item, 'matrix series');
        if (s.histograms !== undefined) extra.push(HISTOGRAMS_DROPPED);
        const points = s.values === undefined ? [] : array(s.values, 'matrix values');
        if (points.length === 0 && s.histograms !== undefined) continue;
        const ts = new Float64Array(points.length);
        const vs = new Float64Array(points.length);
        for (let i = 0; i < points.length; i++) {
          const [t, v] = pair(points[i], 'matrix point');
          ts[i] = parseTimestamp(t);
          vs[i] = parseSampleValue(v);
        }
        out.push({ labels: labels(s.metric), ts, vs });
      }
      value = { resultType: 'matrix', result: out };
      break;
    }
    case 'scalar': {
      const [t, v] = pair(result, 'scalar');
      value = { resultType: 'scalar', result: { t: parseTimestamp(t), v: parseSampleValue(v) } };
      break;
    }
    case 'string': {
      const [t, v] = pair(result, 'string');
      if (typeof v !== 'string') throw malformed('string result is not a string');
      value = { resultType: 'string', result: { t: parseTimestamp(t), value: v } };
      break;
    }
    default:
      throw malformed(`unknown resultType ${JSON.stringify(d.resultType)}`);
  }
  const allWarnings = extra.length === 0 ? warnings : [...new Set([...warnings, ...extra])];
  return { value, warnings: allWarnings, infos, samplesLoaded: 0 };
}

/** `/api/v1/series`: a list of label sets. */
export function parseSeriesData(data: unknown): Labels[] {
  return array(data, 'series').map(labels);
}

/** `/api/v1/labels`, `/api/v1/label/<name>/values`: a list of strings. */
export function parseStringList(data: unknown, what: string): string[] {
  return array(data ?? [], what).map((x) => {
    if (typeof x !== 'string') throw malformed(`${what}: ${JSON.stringify(x)} is not a string`);
    return x;
  });
}

/** `/api/v1/metadata`: metric → [{type, help, unit}]; `unknown` is telemux's `untyped`. */
export function parseMetadataData(data: unknown): Map<string, MetricMetadata[]> {
  const out = new Map<string, MetricMetadata[]>();
  for (const [name, entries] of Object.entries(object(data ?? {}, 'metadata'))) {
    out.set(
      name,
      array(entries, `metadata of ${name}`).map((e) => {
        const m = object(e, `metadata of ${name}`);
        const type = typeof m.type === 'string' && isMetricType(m.type) ? m.type : 'untyped';
        return {
          type,
          help: typeof m.help === 'string' ? m.help : '',
          unit: typeof m.unit === 'string' ? m.unit : '',
        };
      }),
    );
  }
  return out;
}

function labels(x: unknown): Labels {
  const rec = object(x ?? {}, 'label set');
  for (const v of Object.values(rec))
    if (typeof v !== 'string') throw malformed(`label value ${JSON.stringify(v)} is not a string`);
  return Labels.from(rec as Record<string, string>);
}

function object(x: unknown, what: string): Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw malformed(`${what} is not an object`);
  return x as Record<string, unknown>;
}

function array(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw malformed(`${what} is not a list`);
  return x;
}

function pair(x: unknown, what: string): [unknown, unknown] {
  if (!Array.isArray(x) || x.length !== 2) throw malformed(`${what} is not a [time, value] pair`);
  return x as [unknown, unknown];
}

function malformed(what: string): QueryError {
  return new QueryError('internal', `upstream answered with a malformed result: ${what}`);
}
