// What the parser and the checker report: always with the 1-based line it is about.

/** A problem found in an exposition. Errors make it invalid; warnings are lints. */
export interface Problem {
  readonly line: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** The only error the exposition parser throws. `message` is `line N: reason`. */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  /** 1-based line number the problem is on. */
  readonly line: number;
  /** What is wrong, without the line prefix. */
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.line = line;
    this.reason = reason;
  }

  toProblem(): Problem {
    return { line: this.line, message: this.reason, severity: 'error' };
  }
}
