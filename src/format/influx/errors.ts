/** A line of InfluxDB line protocol that cannot be parsed: its 1-based number and what is wrong. */
export class LineProtocolError extends Error {
  readonly line: number;
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'LineProtocolError';
    this.line = line;
    this.reason = reason;
  }
}
