// Query errors, each mapping to one error type of the Prometheus HTTP API.

/** A syntax or type error in the query text: `bad_data` (400). */
export class PromqlParseError extends Error {
  /** 0-based offsets into the query text of the offending part. */
  readonly start: number;
  readonly end: number;
  constructor(message: string, start: number, end: number) {
    super(message);
    this.start = start;
    this.end = end;
  }
}

/**
 * A query that Prometheus 3.x accepts only with an experimental feature telemux does not implement
 * (`anchored`/`smoothed` range selectors, binop fill modifiers, `[range::step]` subqueries, ...). Still a
 * `bad_data` parse error for API callers; the PromQL test runner counts it as a skipped case.
 */
export class PromqlUnsupportedError extends PromqlParseError {
  /** What is not supported, e.g. `anchored range selectors`. */
  readonly feature: string;
  constructor(message: string, start: number, end: number, feature: string) {
    super(message, start, end);
    this.feature = feature;
  }
}

/** Evaluation failed (e.g. duplicate series, many-to-many matching, too many samples): `execution` (422). */
export class PromqlEvalError extends Error {}

/** The query exceeded its time limit: `timeout` (503). */
export class PromqlTimeoutError extends Error {
  constructor(what = 'query timed out in query execution') {
    super(what);
  }
}

/** The query was cancelled by its caller (the client went away): `canceled` (499). */
export class PromqlCanceledError extends Error {
  constructor(what = 'query was canceled in query execution') {
    super(what);
  }
}
