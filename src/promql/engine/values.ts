// The values nodes evaluate to, columnar over the steps of their grid. Labels are computed once per
// output series, never per step; NaN is a legitimate value, so presence is a separate mask.

import type { Labels } from '../../model/labels.ts';

/** An instant vector over the grid: one entry per series, `values[i]` valid where `present[i]` is 1. */
export interface InstantSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
  /**
   * The metric name is to be removed from the output (delayed name removal): set by the operations
   * that drop it, cleared by label_replace/label_join writing `__name__`.
   */
  dropName: boolean;
}

/** Samples of one series in ascending time, as a range vector holds them. */
export interface RangeSeries {
  labels: Labels;
  /** ms */
  ts: Float64Array;
  vs: Float64Array;
  dropName: boolean;
}

export interface ScalarValue {
  readonly type: 'scalar';
  /** One value per step (a scalar is defined at every step). */
  readonly values: Float64Array;
}

export interface VectorValue {
  readonly type: 'vector';
  readonly series: InstantSeries[];
}

/** A range vector: only the result of a bare range selector or subquery of an instant query. */
export interface MatrixValue {
  readonly type: 'matrix';
  readonly series: RangeSeries[];
}

export interface StringValue {
  readonly type: 'string';
  readonly value: string;
}

export type Value = ScalarValue | VectorValue | MatrixValue | StringValue;

export function newSeries(labels: Labels, steps: number, dropName = false): InstantSeries {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps), dropName };
}

/**
 * Makes many series over the same steps, their columns carved from shared blocks: one typed-array
 * view per column instead of an array and its buffer each (an instant query over thousands of
 * series makes thousands of one-step columns).
 */
export class SeriesAllocator {
  readonly #steps: number;
  readonly #perBlock: number;
  #values = new Float64Array(0);
  #present = new Uint8Array(0);
  #used = 0;

  constructor(steps: number) {
    this.#steps = steps;
    this.#perBlock = Math.max(1, Math.floor(4096 / Math.max(1, steps)));
  }

  next(labels: Labels, dropName = false): InstantSeries {
    const steps = this.#steps;
    if (this.#used === this.#values.length) {
      this.#values = new Float64Array(this.#perBlock * steps);
      this.#present = new Uint8Array(this.#perBlock * steps);
      this.#used = 0;
    }
    const from = this.#used;
    this.#used += steps;
    return {
      labels,
      values: this.#values.subarray(from, from + steps),
      present: this.#present.subarray(from, from + steps),
      dropName,
    };
  }
}

/** Points present in a vector (what the sample limit counts). */
export function pointCount(series: readonly InstantSeries[]): number {
  let n = 0;
  for (const s of series) {
    const p = s.present;
    for (let i = 0; i < p.length; i++) n += p[i];
  }
  return n;
}

export function hasAnyPoint(s: InstantSeries): boolean {
  const p = s.present;
  for (let i = 0; i < p.length; i++) if (p[i] === 1) return true;
  return false;
}

/** Series that are present at least once (Prometheus never keeps an empty series in a result). */
export function dropEmpty(series: InstantSeries[]): InstantSeries[] {
  let all = true;
  for (const s of series)
    if (!hasAnyPoint(s)) {
      all = false;
      break;
    }
  return all ? series : series.filter(hasAnyPoint);
}

export function expectVector(v: Value, what: string): VectorValue {
  if (v.type !== 'vector') throw new Error(`internal: ${what} evaluated to a ${v.type}, not a vector`);
  return v;
}

export function expectScalar(v: Value, what: string): ScalarValue {
  if (v.type !== 'scalar') throw new Error(`internal: ${what} evaluated to a ${v.type}, not a scalar`);
  return v;
}
