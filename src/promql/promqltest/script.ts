// The commands of a promqltest script, as parsed (script-parser.ts) and run (runner.ts). Line numbers
// are 1-based lines of the script file. Times are ms since the Unix epoch (a script's time 0).

import type { Labels } from '../../model/labels.ts';
import type { TextMatcher } from './expectations.ts';
import type { SampleSequence } from './sequence.ts';

export interface LoadedSeries {
  readonly line: number;
  readonly labels: Labels;
  readonly points: SampleSequence;
  /** Loaded with `@st` start timestamps (an engine feature telemux does not have). */
  readonly startTimestamps: boolean;
}

/** `load[_with_nhcb] <interval>`: series with one point per interval from time 0. */
export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  /** Classic histogram series are also converted to native histograms with custom buckets. */
  readonly withNhcb: boolean;
  readonly series: readonly LoadedSeries[];
}

export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

export interface ExpectedSeries {
  readonly line: number;
  readonly labels: Labels;
  readonly points: SampleSequence;
  /** 1-based position among the result lines, for `expect ordered`. */
  readonly position: number;
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly query: string;
  readonly isRange: boolean;
  /** The instant query's time, or the range query's start; the start of an expected range vector. */
  readonly startMs: number;
  /** The range query's end, or the end of an expected range vector; -Infinity when neither. */
  readonly endMs: number;
  /** The range query's step, or the expected range vector's; 0 for a plain instant query. */
  readonly stepMs: number;
  /** When an instant query is evaluated (the end of an expected range vector, if one is given). */
  readonly evalMs: number;

  /** `expect fail` (or the deprecated `eval_fail`), with what the error must say. */
  readonly fail: TextMatcher | undefined;
  /** `expect warn|info` lines; with any, every annotation of that kind must match one of them. */
  readonly warn: readonly TextMatcher[];
  readonly info: readonly TextMatcher[];
  /** Deprecated `eval_warn` / `eval_info`: at least one such annotation. */
  readonly anyWarn: boolean;
  readonly anyInfo: boolean;
  readonly noWarn: boolean;
  readonly noInfo: boolean;
  readonly ordered: boolean;

  /** `expect string "…"`; undefined when not given (the result must then be the empty string). */
  readonly expectedString: string | undefined;
  /** The expected scalar result (a line holding only a number); STALE/FLOAT kind in `points`. */
  readonly expectedScalar: SampleSequence | undefined;
  readonly expectedSeries: readonly ExpectedSeries[];
  /** Instant evals with `expect range vector` or `expect string` skip the range-mode check. */
  readonly excludeFromRangeCheck: boolean;
}

/** A command whose lines could not be parsed: it counts as a failure where it stands. */
export interface BrokenCommand {
  readonly kind: 'broken';
  readonly line: number;
  readonly what: 'load' | 'eval' | 'command';
  /** The query of a broken eval, when it could be read. */
  readonly query: string;
  readonly message: string;
}

export type Command = LoadCommand | ClearCommand | EvalCommand | BrokenCommand;
