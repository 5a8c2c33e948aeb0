// What a PromQL query evaluates to, as the API renders it: an instant vector, a matrix (a range
// query, or a range vector from an instant query), a scalar or a string. Timestamps are ms.

import type { Labels } from '../model/labels.ts';

export interface VectorSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

export interface MatrixSeries {
  readonly labels: Labels;
  /** Sample times in ms, ascending; `vs[i]` is the value at `ts[i]`. */
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

export type QueryValue =
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'scalar'; readonly result: { readonly t: number; readonly v: number } }
  | { readonly resultType: 'string'; readonly result: { readonly t: number; readonly value: string } };

/** A finished query: its value and the annotations Prometheus would attach (warnings, infos). */
export interface QueryOutcome {
  readonly value: QueryValue;
  /** Rendered as the API does: "PromQL warning: … (line:col)". */
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
  /** Samples the query loaded (what the max-samples limit counts). */
  readonly samplesLoaded: number;
}
