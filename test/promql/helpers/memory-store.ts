// A Queryable held in memory for engine tests: series added with their samples, selected by label
// matchers over a time range like the tsdb's querier, plus the promqltest series notation
// (`0+10x5 _ stale 3`) to load them compactly.

import { Labels } from '../../../src/model/labels.ts';
import { STALE_NAN } from '../../../src/model/staleness.ts';
import type { PromqlQuerier, Queryable, SampleCursor, SelectedSeries } from '../../../src/promql/storage.ts';
import type { Matcher } from '../../../src/tsdb/index/matcher.ts';

interface StoredSeries {
  readonly labels: Labels;
  ts: number[];
  vs: Float64Array;
}

export class MemoryStore implements Queryable {
  readonly #series = new Map<string, StoredSeries>();
  /** Querier ranges asked for, for tests of what the engine selects. */
  readonly queried: { minT: number; maxT: number }[] = [];

  /** Adds samples (ascending times) to a series, creating it when new. */
  add(
    labels: Labels | Readonly<Record<string, string>>,
    samples: readonly (readonly [number, number | 'stale'])[],
  ): this {
    const ls = labels instanceof Labels ? labels : Labels.from(labels);
    let s = this.#series.get(ls.key);
    if (s === undefined) {
      s = { labels: ls, ts: [], vs: new Float64Array(0) };
      this.#series.set(ls.key, s);
    }
    // Values go through a Float64Array so a staleness marker's NaN payload survives.
    const vs = new Float64Array(s.vs.length + samples.length);
    vs.set(s.vs);
    samples.forEach(([t, v], i) => {
      s.ts.push(t);
      vs[s.vs.length + i] = v === 'stale' ? STALE_NAN : v;
    });
    s.vs = vs;
    return this;
  }

  /** Adds a series in promqltest notation, one value per `intervalMs` starting at `startMs`. */
  load(
    selectorLabels: Readonly<Record<string, string>>,
    notation: string,
    intervalMs: number,
    startMs = 0,
  ): this {
    const values = expandSeriesNotation(notation);
    const samples: [number, number | 'stale'][] = [];
    values.forEach((v, i) => {
      if (v !== undefined) samples.push([startMs + i * intervalMs, v]);
    });
    return this.add(selectorLabels, samples);
  }

  clear(): void {
    this.#series.clear();
  }

  querier(minT: number, maxT: number): PromqlQuerier {
    this.queried.push({ minT, maxT });
    const all = [...this.#series.values()];
    return {
      select: (matchers: readonly Matcher[]): SelectedSeries[] =>
        all
          .filter((s) => matchers.every((m) => m.matches(s.labels.get(m.name))))
          .sort((a, b) => Labels.compare(a.labels, b.labels))
          .map((s) => ({ labels: s.labels, iterator: () => cursor(s, minT, maxT) })),
    };
  }
}

function cursor(s: StoredSeries, minT: number, maxT: number): SampleCursor {
  let i = -1;
  const c: SampleCursor = {
    t: 0,
    v: 0,
    next(): boolean {
      for (i++; i < s.ts.length; i++) {
        if (s.ts[i] < minT) continue;
        if (s.ts[i] > maxT) return false;
        c.t = s.ts[i];
        c.v = s.vs[i];
        return true;
      }
      return false;
    },
  };
  return c;
}

/**
 * Expands promqltest's series notation into one entry per interval: `a+bxn` (n+1 values from a in
 * steps of b), `axn` (a, n+1 times), `_` (no sample), `_xn` (n missing), `stale` (a staleness
 * marker — kept as the string: a plain array would not keep the marker's NaN payload), plain
 * numbers, `Inf`, `-Inf`, `NaN`.
 */
export function expandSeriesNotation(notation: string): (number | 'stale' | undefined)[] {
  const out: (number | 'stale' | undefined)[] = [];
  for (const item of notation.trim().split(/\s+/)) {
    if (item === '') continue;
    if (item === '_') {
      out.push(undefined);
      continue;
    }
    if (item === 'stale') {
      out.push('stale');
      continue;
    }
    const blanks = /^_x(\d+)$/.exec(item);
    if (blanks !== null) {
      for (let i = 0; i < Number(blanks[1]); i++) out.push(undefined);
      continue;
    }
    const m = SERIES_ITEM.exec(item);
    if (m === null) throw new Error(`bad series notation item ${JSON.stringify(item)}`);
    const start = parseNumber(m[1]);
    if (m[3] === undefined) {
      out.push(start);
      continue;
    }
    const delta = m[2] === undefined ? 0 : parseNumber(m[2]);
    let v = start;
    for (let i = 0; i <= Number(m[3]); i++) {
      out.push(v);
      v += delta;
    }
  }
  return out;
}

const NUMBER = String.raw`(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|Inf|NaN)`;
// `start`, or `start[+-delta]xN`.
const SERIES_ITEM = new RegExp(String.raw`^([-+]?${NUMBER})(?:([-+]${NUMBER})?x(\d+))?$`, 'i');

function parseNumber(s: string): number {
  const lower = s.toLowerCase().replace(/^\+/, '');
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`bad number ${JSON.stringify(s)}`);
  return v;
}
