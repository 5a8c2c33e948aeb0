// A series line of a promqltest script: a label set written like a selector with `=` only —
// `metric`, `metric{a="b"}`, `{__name__="x", a='b'}`, `{"utf8.name", "quoted label"="v"}`, `{}` —
// followed by its points in the expanding notation (sequence.ts). Load commands give data this way,
// eval commands the expected result.

import { LabelError, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import { unquoteString } from '../parser/strings.ts';
import { NotationError, parseSequence, type SampleSequence } from './sequence.ts';

export interface SeriesDescription {
  readonly labels: Labels;
  readonly points: SampleSequence;
}

const METRIC_IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/** Parses a whole series line; throws NotationError. */
export function parseSeriesDescription(line: string): SeriesDescription {
  const { labels, end } = parseSeriesLabels(line);
  const rest = line.slice(end);
  if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t')
    throw new NotationError(`unexpected ${JSON.stringify(rest)} after the series' labels`);
  return { labels, points: parseSequence(rest) };
}

/** Parses the label set at the start of `line`; `end` is where it stops. */
export function parseSeriesLabels(line: string): { labels: Labels; end: number } {
  const s = new Scanner(line);
  const name = s.match(METRIC_IDENTIFIER);
  const pairs: { name: string; value: string }[] = [];
  let quotedName: string | undefined;
  if (s.peek() === '{') {
    s.advance();
    s.skipSpace();
    while (s.peek() !== '}') {
      let labelName: string;
      if (s.peek() === '"' || s.peek() === "'" || s.peek() === '`') {
        const str = s.string();
        s.skipSpace();
        if (s.peek() !== '=') {
          // A quoted string on its own is the metric name.
          if (quotedName !== undefined || name !== undefined) throw s.fail('metric name given twice');
          quotedName = str;
          s.endOfItem();
          continue;
        }
        labelName = str;
      } else {
        const n = s.match(LABEL_NAME);
        if (n === undefined) throw s.fail('expected a label name');
        labelName = n;
        s.skipSpace();
      }
      if (s.peek() !== '=') throw s.fail(`expected "=" after label name ${JSON.stringify(labelName)}`);
      s.advance();
      s.skipSpace();
      if (s.peek() !== '"' && s.peek() !== "'" && s.peek() !== '`')
        throw s.fail('expected a quoted label value');
      pairs.push({ name: labelName, value: s.string() });
      s.skipSpace();
      s.endOfItem();
    }
    s.advance();
  } else if (name === undefined) {
    throw s.fail('expected a metric name or "{"');
  }
  const metricName = name ?? quotedName;
  // Like Prometheus, a name before the braces wins over a `__name__` inside them.
  const rest = metricName === undefined ? pairs : pairs.filter((p) => p.name !== METRIC_NAME_LABEL);
  if (metricName !== undefined) rest.push({ name: METRIC_NAME_LABEL, value: metricName });
  try {
    return { labels: Labels.from(rest), end: s.pos };
  } catch (err) {
    if (err instanceof LabelError) throw new NotationError(err.message);
    throw err;
  }
}

class Scanner {
  pos = 0;
  readonly #s: string;

  constructor(s: string) {
    this.#s = s;
  }

  /** The character at the scan position ('' at the end); a method, so comparisons do not narrow it. */
  peek(): string {
    return this.#s[this.pos] ?? '';
  }

  advance(): void {
    this.pos++;
  }

  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.#s);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** After a label: `,` (then maybe `}`) or `}`. */
  endOfItem(): void {
    if (this.peek() === ',') {
      this.pos++;
      this.skipSpace();
    } else if (this.peek() !== '}') throw this.fail('expected "," or "}"');
  }

  /** A quoted string (Go escapes in "…" and '…', none in `…`), returned unquoted. */
  string(): string {
    const quote = this.peek();
    const start = this.pos;
    let i = start + 1;
    for (; i < this.#s.length; i++) {
      const c = this.#s[i];
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) break;
    }
    if (i >= this.#s.length) throw this.fail('unterminated quoted string');
    this.pos = i + 1;
    return unquoteString(this.#s.slice(start, i + 1));
  }

  fail(message: string): NotationError {
    const at =
      this.pos < this.#s.length
        ? `at ${JSON.stringify(this.#s.slice(this.pos, this.pos + 20))}`
        : 'at the end';
    return new NotationError(`${message} ${at} in series ${JSON.stringify(this.#s)}`);
  }
}
