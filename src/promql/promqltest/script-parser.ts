// Reads a promqltest script into commands, the way Prometheus' promql/promqltest does: lines are
// trimmed, `#` lines are blank, a blank line ends a command's block. A command that cannot be parsed
// becomes a BrokenCommand at its line (and the parser goes on after its block), so one bad block
// fails that block only.

import { parseDuration } from '../parser/durations.ts';
import { unquoteString } from '../parser/strings.ts';
import { MATCH_ANY, parseExpectLine, regexMatcher, type TextMatcher } from './expectations.ts';
import type {
  BrokenCommand,
  Command,
  EvalCommand,
  ExpectedSeries,
  LoadCommand,
  LoadedSeries,
} from './script.ts';
import { FLOAT, NotationError, parseScalarLine, type SampleSequence } from './sequence.ts';
import { parseSeriesDescription, parseSeriesLabels } from './series-description.ts';

// Go's \s, which the harness' patterns use.
const S = '[\\t\\n\\f\\r ]';
const LOAD = new RegExp(`^load(?:_(with_nhcb))?${S}+(.+?)$`);
const EVAL_INSTANT = new RegExp(
  `^eval(?:_(fail|warn|ordered|info))?${S}+instant${S}+(?:at${S}+(.+?))?${S}+(.+)$`,
);
const EVAL_RANGE = new RegExp(
  `^eval(?:_(fail|warn|info))?${S}+range${S}+from${S}+(.+)${S}+to${S}+(.+)${S}+step${S}+(.+?)${S}+(.+)$`,
);
const EXPECT_RANGE_VECTOR = new RegExp(
  `^expect range vector${S}+from${S}+(.+)${S}+to${S}+(.+)${S}+step${S}+(.+)$`,
);
const RANGE_VECTOR_PREFIX = 'expect range vector';
const STRING_PREFIX = 'expect string';
// One item of an `@st` start-timestamp sequence: `_`, `_xN`, `*`, `*xN`, `<dur>`, `<dur>xN`, `<dur>±<dur>xN`.
const DUR = '[0-9]+(?:ms|[smhdwy])?(?:[0-9]+(?:ms|[smhdwy]))*';
const ST_ITEM = new RegExp(`^(?:_(?:x[0-9]+)?|\\*(?:x[0-9]+)?|[-+]?${DUR}(?:x[0-9]+|[-+]${DUR}x[0-9]+)?)$`);

class ScriptError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

export function parseScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') continue;
    const word = l.split(/[\t ]+/, 1)[0].toLowerCase();
    let what: BrokenCommand['what'] = 'command';
    try {
      if (word === 'clear') {
        commands.push({ kind: 'clear', line: i + 1 });
      } else if (word.startsWith('load')) {
        what = 'load';
        const parsed = parseLoad(lines, i);
        commands.push(parsed.command);
        i = parsed.last;
      } else if (word.startsWith('eval')) {
        what = 'eval';
        const parsed = parseEval(lines, i);
        commands.push(parsed.command);
        i = parsed.last;
      } else {
        throw new ScriptError(i + 1, `invalid command ${JSON.stringify(l)}`);
      }
    } catch (err) {
      if (!(err instanceof ScriptError)) throw err;
      const query = what === 'eval' ? queryOf(l) : '';
      commands.push({
        kind: 'broken',
        line: i + 1,
        what,
        query,
        message: `line ${err.line}: ${err.message}`,
      });
      // Go on after the block the error is in.
      while (i + 1 < lines.length && lines[i + 1] !== '') i++;
    }
  }
  return commands;
}

function queryOf(evalLine: string): string {
  const m = EVAL_INSTANT.exec(evalLine) ?? EVAL_RANGE.exec(evalLine);
  if (m === null) return '';
  return m[m.length - 1];
}

function duration(text: string | undefined, line: number, what: string): number {
  const d = parseDuration(text ?? '');
  if ('error' in d) throw new ScriptError(line, `invalid ${what} ${JSON.stringify(text ?? '')}: ${d.error}`);
  return d.ms;
}

/** Runs `fn`, turning a notation error into a ScriptError at `line`. */
function at<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NotationError) throw new ScriptError(line, err.message);
    throw err;
  }
}

function parseLoad(lines: readonly string[], i: number): { command: LoadCommand; last: number } {
  const line = i + 1;
  const m = LOAD.exec(lines[i]);
  if (m === null) throw new ScriptError(line, 'invalid load command. (load[_with_nhcb] <step:duration>)');
  const intervalMs = duration(m[2], line, 'step definition');
  // Within one load a series given twice keeps its last line, as in Prometheus.
  const series = new Map<string, LoadedSeries>();
  let defaultStartTimestamps = false;
  let pendingSt: { key: string; line: number } | undefined;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i];
    const defLine = i + 1;
    const st = startTimestampLine(def, defLine);
    if (st !== undefined) {
      if (pendingSt !== undefined)
        throw new ScriptError(pendingSt.line, '@st line has no following sample line');
      if (st.key === undefined) defaultStartTimestamps = st.hasValues;
      else if (st.hasValues) pendingSt = { key: st.key, line: defLine };
      continue;
    }
    const { labels, points } = at(defLine, () => parseSeriesDescription(def));
    if (pendingSt !== undefined && pendingSt.key !== labels.key)
      throw new ScriptError(pendingSt.line, '@st metric does not match the following sample line metric');
    const startTimestamps = pendingSt !== undefined || defaultStartTimestamps;
    pendingSt = undefined;
    series.set(labels.key, { line: defLine, labels, points, startTimestamps });
  }
  if (pendingSt !== undefined) throw new ScriptError(pendingSt.line, '@st line has no following sample line');
  return {
    command: { kind: 'load', line, intervalMs, withNhcb: m[1] === 'with_nhcb', series: [...series.values()] },
    last: i,
  };
}

/**
 * A start-timestamp line, `metric{…}@st <offsets>` or `@st <offsets>` (the default for the following
 * lines of the load); undefined for other lines. Only whether it gives any offset matters here.
 */
function startTimestampLine(
  def: string,
  line: number,
): { key: string | undefined; hasValues: boolean } | undefined {
  const space = def.search(/[\t ]/);
  if (space < 0 || !def.slice(0, space).endsWith('@st')) return undefined;
  const metric = def.slice(0, space - 3);
  const items = def
    .slice(space + 1)
    .trim()
    .split(/[\t ]+/);
  for (const item of items)
    if (!ST_ITEM.test(item))
      throw new ScriptError(line, `invalid @st sequence: invalid ST item ${JSON.stringify(item)}`);
  const hasValues = items.some((item) => !item.startsWith('_'));
  if (metric === '') return { key: undefined, hasValues };
  const { labels, end } = at(line, () => parseSeriesLabels(metric));
  if (end !== metric.length) throw new ScriptError(line, `invalid @st line metric ${JSON.stringify(metric)}`);
  return { key: labels.key, hasValues };
}

interface EvalDraft {
  fail: TextMatcher | undefined;
  warn: TextMatcher[];
  info: TextMatcher[];
  anyWarn: boolean;
  anyInfo: boolean;
  noWarn: boolean;
  noInfo: boolean;
  ordered: boolean;
  rangeVector: { startMs: number; endMs: number; stepMs: number } | undefined;
  expectedString: string | undefined;
  expectedScalar: SampleSequence | undefined;
  expectedSeries: Map<string, ExpectedSeries>;
}

function parseEval(lines: readonly string[], i: number): { command: EvalCommand; last: number } {
  const line = i + 1;
  const instant = EVAL_INSTANT.exec(lines[i]);
  const range = instant === null ? EVAL_RANGE.exec(lines[i]) : null;
  if (instant === null && range === null)
    throw new ScriptError(
      line,
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
    );
  const modifier = (instant ?? range)![1];
  const query = instant !== null ? instant[3] : range![5];
  let startMs: number;
  let endMs = Number.NEGATIVE_INFINITY;
  let stepMs = 0;
  if (instant !== null) {
    startMs = duration(instant[2], line, 'timestamp definition');
  } else {
    ({ startMs, endMs, stepMs } = rangeOf(range![2], range![3], range![4], line));
  }
  const isRange = range !== null;

  const draft: EvalDraft = {
    fail: modifier === 'fail' ? MATCH_ANY : undefined,
    warn: [],
    info: [],
    anyWarn: modifier === 'warn',
    anyInfo: modifier === 'info',
    noWarn: false,
    noInfo: false,
    ordered: modifier === 'ordered',
    rangeVector: undefined,
    expectedString: undefined,
    expectedScalar: undefined,
    expectedSeries: new Map(),
  };
  const deprecatedFail = modifier === 'fail';
  let failLines = 0;
  let excludeFromRangeCheck = false;
  // Result lines are numbered for `expect ordered`; `expect <type>` lines do not count.
  let position = 0;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    position++;
    const def = lines[i];
    const defLine = i + 1;
    if (deprecatedFail && def.startsWith('expected_fail_message')) {
      draft.fail = { kind: 'message', text: def.slice('expected_fail_message'.length).trim() };
      break;
    }
    if (deprecatedFail && def.startsWith('expected_fail_regexp')) {
      const source = def.slice('expected_fail_regexp'.length).trim();
      draft.fail = at(defLine, () => regexMatcher(source, 'expected_fail_regexp'));
      break;
    }
    if (def.startsWith(RANGE_VECTOR_PREFIX)) {
      const m = EXPECT_RANGE_VECTOR.exec(def);
      if (m === null)
        throw new ScriptError(defLine, `invalid range vector definition ${JSON.stringify(def)}`);
      draft.rangeVector = rangeOf(m[1], m[2], m[3], defLine);
      excludeFromRangeCheck = true;
      continue;
    }
    if (def.startsWith(STRING_PREFIX)) {
      draft.expectedString = parseExpectedString(def, defLine);
      excludeFromRangeCheck = true;
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      position--;
      const { type, matcher } = at(defLine, () => parseExpectLine(def));
      if (type === 'fail') {
        failLines++;
        draft.fail = matcher;
      } else if (type === 'warn') draft.warn.push(matcher);
      else if (type === 'info') draft.info.push(matcher);
      else if (type === 'no_warn') draft.noWarn = true;
      else if (type === 'no_info') draft.noInfo = true;
      else draft.ordered = true;
      if (draft.info.length > 0 && draft.noInfo)
        throw new ScriptError(defLine, 'invalid expect lines, info and no_info cannot be used together');
      if (draft.warn.length > 0 && draft.noWarn)
        throw new ScriptError(defLine, 'invalid expect lines, warn and no_warn cannot be used together');
      if (failLines > 1)
        throw new ScriptError(defLine, 'invalid expect lines, multiple expect fail lines are not allowed');
      continue;
    }
    const scalar = parseScalarLine(def);
    if (scalar !== undefined) {
      // A scalar result ends the block.
      draft.expectedScalar = {
        kinds: Uint8Array.of(FLOAT),
        values: Float64Array.of(scalar),
      };
      draft.expectedSeries.clear();
      break;
    }
    const { labels, points } = at(defLine, () => parseSeriesDescription(def));
    if (points.kinds.length > 1 && !isRange && draft.rangeVector === undefined)
      throw new ScriptError(
        defLine,
        "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query",
      );
    draft.expectedScalar = undefined;
    draft.expectedSeries.set(labels.key, { line: defLine, labels, points, position });
  }

  let evalMs = startMs;
  if (draft.rangeVector !== undefined && !isRange) {
    ({ startMs, endMs, stepMs } = draft.rangeVector);
    evalMs = endMs;
  }
  return {
    command: {
      kind: 'eval',
      line,
      query,
      isRange,
      startMs,
      endMs,
      stepMs,
      evalMs,
      fail: draft.fail,
      warn: draft.warn,
      info: draft.info,
      anyWarn: draft.anyWarn,
      anyInfo: draft.anyInfo,
      noWarn: draft.noWarn,
      noInfo: draft.noInfo,
      ordered: draft.ordered,
      expectedString: draft.expectedString,
      expectedScalar: draft.expectedScalar,
      expectedSeries: [...draft.expectedSeries.values()],
      excludeFromRangeCheck,
    },
    last: i,
  };
}

function rangeOf(from: string, to: string, step: string, line: number) {
  const startMs = duration(from, line, 'start timestamp definition');
  const endMs = duration(to, line, 'end timestamp definition');
  if (endMs < startMs)
    throw new ScriptError(
      line,
      `invalid test definition, end timestamp (${to}) is before start timestamp (${from})`,
    );
  const stepMs = duration(step, line, 'step definition');
  return { startMs, endMs, stepMs };
}

/** `expect string "…"` (or `…`): the literal must be quoted as a whole Go string literal. */
function parseExpectedString(def: string, line: number): string {
  const literal = def.startsWith(`${STRING_PREFIX} `) ? def.slice(STRING_PREFIX.length + 1) : '';
  if (literal === '')
    throw new ScriptError(line, 'expected string literal not valid - a quoted string literal is required');
  const quote = literal[0];
  const body = literal.slice(1, -1);
  const wellFormed =
    literal.length >= 2 &&
    literal.endsWith(quote) &&
    ((quote === '`' && !body.includes('`')) || (quote === '"' && !/(^|[^\\])(\\\\)*"/.test(body)));
  if (!wellFormed)
    throw new ScriptError(
      line,
      'expected string literal not valid - check that the string is correctly quoted',
    );
  return unquoteString(literal);
}
