// Asks a Prometheus-compatible HTTP API (`/api/v1/query`, `/api/v1/query_range`, form POST) and turns
// its JSON into one comparable shape: every result type as a list of series with points, values as
// numbers (NaN and ±Inf included), times in ms.

export interface ResultSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** The label set as one sortable string. */
  readonly key: string;
  readonly ts: readonly number[];
  readonly vs: readonly number[];
}

export type Answer =
  | {
      readonly ok: true;
      readonly resultType: 'vector' | 'matrix' | 'scalar';
      /** A vector: one point per series, in the API's order; a scalar: one series without labels. */
      readonly series: readonly ResultSeries[];
    }
  | { readonly ok: true; readonly resultType: 'string'; readonly t: number; readonly text: string }
  | { readonly ok: false; readonly status: number; readonly errorType: string; readonly error: string };

export type Evaluation =
  | { readonly kind: 'instant'; readonly timeMs: number }
  | { readonly kind: 'range'; readonly startMs: number; readonly endMs: number; readonly stepMs: number };

export function describeEvaluation(e: Evaluation): string {
  return e.kind === 'instant'
    ? `instant @ ${seconds(e.timeMs)}`
    : `range ${seconds(e.startMs)}..${seconds(e.endMs)} step ${e.stepMs / 1000}s`;
}

/** ms → the API's seconds with milliseconds. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export async function query(baseUrl: string, expr: string, e: Evaluation): Promise<Answer> {
  const params = new URLSearchParams({ query: expr });
  if (e.kind === 'instant') params.set('time', seconds(e.timeMs));
  else {
    params.set('start', seconds(e.startMs));
    params.set('end', seconds(e.endMs));
    params.set('step', String(e.stepMs / 1000));
  }
  const path = e.kind === 'instant' ? '/api/v1/query' : '/api/v1/query_range';
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
  });
  const text = await res.text();
  let body: ApiBody;
  try {
    body = JSON.parse(text) as ApiBody;
  } catch {
    return { ok: false, status: res.status, errorType: 'not-json', error: text.slice(0, 500) };
  }
  if (body.status !== 'success')
    return { ok: false, status: res.status, errorType: body.errorType ?? '', error: body.error ?? '' };
  const data = body.data!;
  switch (data.resultType) {
    case 'vector':
      return {
        ok: true,
        resultType: 'vector',
        series: (data.result as VectorItem[]).map((r) => series(r.metric, [r.value])),
      };
    case 'matrix':
      return {
        ok: true,
        resultType: 'matrix',
        series: (data.result as MatrixItem[]).map((r) => series(r.metric, r.values)),
      };
    case 'scalar':
      return { ok: true, resultType: 'scalar', series: [series({}, [data.result as ApiPoint])] };
    case 'string': {
      const [t, s] = data.result as [number, string];
      return { ok: true, resultType: 'string', t: Math.round(t * 1000), text: s };
    }
    default:
      throw new Error(`unknown resultType in ${text.slice(0, 200)}`);
  }
}

type ApiPoint = [number, string];
interface VectorItem {
  metric: Record<string, string>;
  value: ApiPoint;
}
interface MatrixItem {
  metric: Record<string, string>;
  values: ApiPoint[];
}
interface ApiBody {
  status: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

function series(metric: Record<string, string>, points: readonly ApiPoint[]): ResultSeries {
  return {
    labels: metric,
    key: labelKey(metric),
    ts: points.map((p) => Math.round(p[0] * 1000)),
    vs: points.map((p) => parseSampleValue(p[1])),
  };
}

/** `{a="1", b="2"}` with names sorted: a stable identity for a label set. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}

/** The API writes values as strings: Go's float formatting, with NaN, +Inf and -Inf. */
export function parseSampleValue(s: string): number {
  if (s === 'NaN') return Number.NaN;
  if (s === '+Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`not a sample value: ${s}`);
  return v;
}
