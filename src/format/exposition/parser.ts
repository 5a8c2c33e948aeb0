// Parser for Prometheus text (0.0.4, and 1.0.0's quoted UTF-8 names) and OpenMetrics 1.0 into
// MetricFamily[]. The first problem ends the parse with an ExpositionParseError naming its line:
// OpenMetrics says a partial or invalid exposition is invalid as a whole, and the Pushgateway and
// promtool treat text the same way.
//
// Text follows expfmt (what the Pushgateway and promtool use): blanks anywhere between tokens,
// comments, optional HELP/TYPE (HELP and TYPE at most once, TYPE before the samples), histogram and
// summary series put together by their labels. Stricter than expfmt in one respect the format
// documentation states: all lines of a family must be together, so a family that appears again
// after another one is an error (expfmt would merge it silently).
//
// OpenMetrics is checked against the whole spec, not just the ABNF: `# EOF`, metadata before
// samples, no interleaved families or series, name clashes between families' sample names, units
// as name suffixes, counter/histogram/summary value rules, histogram bucket structure, stateset and
// info values, exemplar placement and size, timestamps that only go forward within a series.
//
// Duplicate samples (same series, same timestamp) are dropped with a warning, keeping the first, as
// the Python reference parser does; they are not errors in either format.

import { Labels } from '../../model/labels.ts';
import type { MetricType } from '../../model/metadata.ts';
import { decodeExposition } from './decode.ts';
import { ExpositionParseError, type Problem } from './errors.ts';
import type { Bucket, Exemplar, Metric, MetricFamily, Quantile } from './family.ts';
import { LineScanner, type MetadataLine, type RawLabel, type SampleLine } from './line-scanner.ts';
import {
  formatCanonicalLabelNumber,
  type NumberProblem,
  parseIntegerMs,
  parseNumber,
  parseSecondsToMs,
} from './numbers.ts';
import {
  bucketOrderProblem,
  histogramPointProblem,
  type SampleRole as Role,
  sampleValueProblem,
} from './openmetrics-rules.ts';

export interface ParseOptions {
  /** Parse OpenMetrics 1.0 (strict) rather than Prometheus text. Default false. */
  readonly openMetrics?: boolean;
}

export interface ParseResult {
  readonly families: MetricFamily[];
  /** The line each family starts on, index for index with `families`. */
  readonly familyLines: number[];
  /** Findings that do not make the exposition invalid (dropped duplicates, a missing final newline). */
  readonly warnings: Problem[];
}

/** Parse an exposition. Throws only {@link ExpositionParseError}. */
export function parseExposition(input: string | Uint8Array, opts: ParseOptions = {}): MetricFamily[] {
  return parseExpositionDetailed(input, opts).families;
}

/** Like {@link parseExposition}, with family line numbers and warnings (for `check`). */
export function parseExpositionDetailed(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const parser = new Parser(opts.openMetrics === true);
  try {
    return parser.run(input);
  } catch (e) {
    if (e instanceof ExpositionParseError) throw e;
    // A bug, not the input's fault; still honour the contract of throwing only our error type.
    throw new ExpositionParseError(
      parser.line,
      `internal parser error: ${(e as Error)?.message ?? String(e)}`,
    );
  }
}

function roles(entries: Record<string, Role>): ReadonlyMap<string, Role> {
  return new Map(Object.entries(entries));
}

const VALUE_ONLY = roles({ '': 'value' });

/** The sample names (as suffixes of the family name) each OpenMetrics type has. */
const OM_ROLES: Record<MetricType, ReadonlyMap<string, Role>> = {
  counter: roles({ _total: 'total', _created: 'created' }),
  gauge: VALUE_ONLY,
  untyped: VALUE_ONLY,
  stateset: VALUE_ONLY,
  info: roles({ _info: 'info' }),
  summary: roles({ '': 'quantile', _count: 'count', _sum: 'sum', _created: 'created' }),
  histogram: roles({ _bucket: 'bucket', _count: 'count', _sum: 'sum', _created: 'created' }),
  gaugehistogram: roles({ _bucket: 'bucket', _gcount: 'gcount', _gsum: 'gsum' }),
};

const TEXT_ROLES: Record<MetricType, ReadonlyMap<string, Role>> = {
  ...OM_ROLES,
  counter: VALUE_ONLY,
  summary: roles({ '': 'quantile', _count: 'count', _sum: 'sum' }),
  histogram: roles({ _bucket: 'bucket', _count: 'count', _sum: 'sum' }),
};

const OM_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['gaugehistogram', 'gaugehistogram'],
  ['stateset', 'stateset'],
  ['info', 'info'],
  ['summary', 'summary'],
  ['unknown', 'untyped'],
]);

const TEXT_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['summary', 'summary'],
  ['untyped', 'untyped'],
]);

const VALID_UNIT = /^[a-zA-Z0-9_:]*$/;
const SEP = '\xfe';

/** A sample timestamp as the model keeps it (ms) and as OpenMetrics orders it (the seconds written). */
interface Timestamp {
  readonly ms: number;
  readonly order: number;
  readonly raw: string;
}

/** One MetricPoint being assembled from several samples (counters, histograms, summaries). */
interface Point {
  readonly labels: Labels;
  readonly line: number;
  readonly timestampMs: number | undefined;
  value?: number;
  exemplar?: Exemplar;
  createdMs?: number;
  readonly buckets: Bucket[];
  readonly quantiles: Quantile[];
  count?: number;
  countLine: number;
  sum?: number;
  sumLine: number;
  lastLine: number;
  negativeBucket: boolean;
}

interface FamilyState {
  readonly name: string;
  readonly line: number;
  type: MetricType;
  roles: ReadonlyMap<string, Role>;
  help: string;
  helpSeen: boolean;
  typeSeen: boolean;
  unit: string;
  unitSeen: boolean;
  unitLine: number;
  hasSamples: boolean;
  readonly metrics: Metric[];
  // OpenMetrics: series must not interleave, and timestamps only go forward within one.
  readonly seenGroups: Set<string>;
  groupKey: string | undefined;
  groupHasTs: boolean;
  groupTs: number;
  /** Identities of the samples in the current series at the current timestamp. */
  readonly runSeen: Set<string>;
  point: Point | undefined;
  // Text: series are assembled by label set, in any order within the family.
  readonly textPoints: Map<string, Point>;
  readonly textSeen: Set<string>;
}

class Parser {
  readonly om: boolean;
  line = 0;
  private scanner!: LineScanner;
  private readonly families: MetricFamily[] = [];
  private readonly familyLines: number[] = [];
  private readonly warnings: Problem[] = [];
  private cur: FamilyState | undefined;
  /** Every family name seen, with its first line. */
  private readonly familyNames = new Map<string, number>();
  /** OpenMetrics: every sample name some family may use, and that family. */
  private readonly sampleNames = new Map<string, string>();
  /** Text: families already finished, to tell a re-appearing family (by any of its sample names). */
  private readonly closed = new Map<string, FamilyState>();

  constructor(om: boolean) {
    this.om = om;
  }

  fail(line: number, reason: string): never {
    throw new ExpositionParseError(line, reason);
  }

  run(input: string | Uint8Array): ParseResult {
    const text = decodeExposition(input);
    this.scanner = new LineScanner(text, this.om);
    const sc = this.scanner;
    const n = text.length;
    let pos = 0;
    if (text.charCodeAt(0) === 0xfeff) {
      if (this.om) this.fail(1, 'byte order mark (BOM) is not allowed in OpenMetrics');
      pos = 1;
    }
    let eof = false;
    while (pos < n) {
      this.line++;
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? n : nl;
      sc.reset(this.line, pos, end);
      if (this.om) {
        eof = this.omLine(sc);
        if (eof) {
          if (nl >= 0 && nl + 1 < n) this.fail(this.line + 1, 'nothing may follow the "# EOF" line');
          break;
        }
      } else {
        this.textLine(sc);
        if (nl < 0 && /[^ \t]/.test(text.slice(pos, end))) {
          this.warnings.push({
            line: this.line,
            message: 'the last line does not end with a newline',
            severity: 'warning',
          });
        }
      }
      pos = end + 1;
    }
    if (this.om && !eof)
      this.fail(Math.max(this.line, 1), 'missing "# EOF" line at the end of the OpenMetrics exposition');
    this.close();
    return { families: this.families, familyLines: this.familyLines, warnings: this.warnings };
  }

  // ---- lines ----

  /** One OpenMetrics line; true for `# EOF`. */
  private omLine(sc: LineScanner): boolean {
    if (sc.atEnd()) this.fail(this.line, 'blank lines are not allowed in OpenMetrics');
    if (sc.peek() === 35) {
      const meta = sc.scanOpenMetricsMeta();
      if (meta === null) return true;
      this.omMetadata(meta);
      return false;
    }
    this.sample(sc.scanSample());
    return false;
  }

  private textLine(sc: LineScanner): void {
    sc.skipBlanks();
    if (sc.atEnd()) return;
    if (sc.peek() === 35) {
      const meta = sc.scanTextComment();
      if (meta !== null) this.textMetadata(meta);
      return;
    }
    this.sample(sc.scanSample());
  }

  // ---- families ----

  private open(name: string): FamilyState {
    const seen = this.familyNames.get(name);
    if (seen !== undefined) {
      this.fail(
        this.line,
        `metric family "${name}" already appeared at line ${seen}; all lines of a family must be together and a name used once`,
      );
    }
    this.familyNames.set(name, this.line);
    const rolesByType = this.om ? OM_ROLES : TEXT_ROLES;
    const f: FamilyState = {
      name,
      line: this.line,
      type: 'untyped',
      roles: rolesByType.untyped,
      help: '',
      helpSeen: false,
      typeSeen: false,
      unit: '',
      unitSeen: false,
      unitLine: 0,
      hasSamples: false,
      metrics: [],
      seenGroups: new Set(),
      groupKey: undefined,
      groupHasTs: false,
      groupTs: 0,
      runSeen: new Set(),
      point: undefined,
      textPoints: new Map(),
      textSeen: new Set(),
    };
    this.cur = f;
    return f;
  }

  private omMetadata(m: MetadataLine): void {
    let f = this.cur;
    if (f === undefined || f.name !== m.name) {
      this.close();
      f = this.open(m.name);
    } else if (f.hasSamples) {
      this.fail(this.line, `# ${m.kind} for "${m.name}" comes after its samples; metadata must come first`);
    }
    const rest = m.rest ?? '';
    switch (m.kind) {
      case 'HELP':
        if (f.helpSeen) this.fail(this.line, `second # HELP line for "${m.name}"`);
        f.helpSeen = true;
        f.help = this.scanner.unescapeHelp(rest);
        break;
      case 'TYPE': {
        if (f.typeSeen) this.fail(this.line, `second # TYPE line for "${m.name}"`);
        const type = OM_TYPES.get(rest);
        if (type === undefined) {
          this.fail(
            this.line,
            `invalid type "${rest}" for "${m.name}": use counter, gauge, histogram, gaugehistogram, stateset, info, summary or unknown`,
          );
        }
        f.typeSeen = true;
        f.type = type;
        f.roles = OM_ROLES[type];
        break;
      }
      case 'UNIT':
        if (f.unitSeen) this.fail(this.line, `second # UNIT line for "${m.name}"`);
        if (!VALID_UNIT.test(rest))
          this.fail(this.line, `invalid unit "${rest}": a unit may only contain [a-zA-Z0-9_:]`);
        f.unitSeen = true;
        f.unit = rest;
        f.unitLine = this.line;
        break;
    }
  }

  private textMetadata(m: MetadataLine): void {
    let f = this.cur;
    if (f === undefined || f.name !== m.name) {
      this.assertNotClosed(m.name);
      this.close();
      f = this.open(m.name);
    }
    if (m.rest === undefined || m.rest === '') return;
    if (m.kind === 'HELP') {
      if (f.helpSeen) this.fail(this.line, `second HELP line for metric name "${m.name}"`);
      f.helpSeen = true;
      f.help = this.scanner.unescapeHelp(m.rest);
      return;
    }
    if (f.typeSeen) this.fail(this.line, `second TYPE line for metric name "${m.name}"`);
    if (f.hasSamples) this.fail(this.line, `TYPE line for "${m.name}" comes after its samples`);
    const raw = m.rest.replace(/[ \t]+$/, '');
    const type = TEXT_TYPES.get(raw.toLowerCase());
    if (type === undefined) {
      this.fail(this.line, `unknown metric type "${raw}": use counter, gauge, histogram, summary or untyped`);
    }
    f.typeSeen = true;
    f.type = type;
    f.roles = TEXT_ROLES[type];
  }

  /** Text: a name that belongs to a finished family (itself or as its _sum/_count/_bucket). */
  private assertNotClosed(name: string): void {
    let f = this.closed.get(name);
    if (f === undefined) {
      for (const suffix of ['_bucket', '_count', '_sum']) {
        if (!name.endsWith(suffix)) continue;
        const g = this.closed.get(name.slice(0, -suffix.length));
        if (g?.roles.has(suffix)) f = g;
      }
    }
    if (f !== undefined) {
      this.fail(
        this.line,
        `metric family "${f.name}" appears again after other families (it started at line ${f.line}); all lines of a family must be together`,
      );
    }
  }

  private close(): void {
    const f = this.cur;
    if (f === undefined) return;
    this.cur = undefined;
    if (f.point !== undefined) this.finishPoint(f, f.point);
    for (const p of f.textPoints.values()) this.finishPoint(f, p);
    if (this.om) this.checkOpenMetricsFamily(f);
    else this.closed.set(f.name, f);
    // As expfmt does, text drops families that have no samples; OpenMetrics keeps them.
    if (!this.om && f.metrics.length === 0) return;
    this.families.push({
      name: modelName(f, this.om),
      type: f.type,
      help: f.help,
      unit: f.unit,
      metrics: f.metrics,
    });
    this.familyLines.push(f.line);
  }

  private checkOpenMetricsFamily(f: FamilyState): void {
    if (f.unit !== '') {
      if (f.type === 'info' || f.type === 'stateset') {
        this.fail(f.unitLine, `a ${f.type} must not have a unit ("${f.name}" has "${f.unit}")`);
      }
      if (!f.name.endsWith(`_${f.unit}`)) {
        this.fail(
          f.unitLine,
          `unit "${f.unit}" must be the suffix of the family name: "${f.name}" does not end in "_${f.unit}"`,
        );
      }
    }
    // No two families may be able to produce the same sample name (e.g. gauge foo_created and counter foo).
    const names = [f.name];
    for (const suffix of f.roles.keys()) if (suffix !== '') names.push(f.name + suffix);
    for (const n of names) {
      const other = this.sampleNames.get(n);
      if (other !== undefined) {
        this.fail(
          f.line,
          `metric family "${f.name}" clashes with family "${other}": both can have samples named "${n}"`,
        );
      }
    }
    for (const n of names) this.sampleNames.set(n, f.name);
  }

  // ---- samples ----

  private sample(s: SampleLine): void {
    const [f, role] = this.familyOf(s.name);
    f.hasSamples = true;
    const line = this.line;
    const { labels, le, quantile } = this.sampleLabels(f, role, s, line);

    let value = 0;
    let createdMs: number | undefined;
    if (role === 'created') createdMs = this.createdValue(s, line);
    else value = this.numberValue(s, line);
    const ts = s.tsRaw === undefined ? undefined : this.timestamp(s.tsRaw, line);
    const exemplar = s.exemplar === undefined ? undefined : this.exemplar(s, role, line);
    if (this.om) {
      const problem = sampleValueProblem(f.type, role, s.name, value, s.valueRaw);
      if (problem !== undefined) this.fail(line, problem);
    }
    const upperBound = le === undefined ? undefined : this.parseLabelNumber('le', le, line);
    const q = quantile === undefined ? undefined : this.parseLabelNumber('quantile', quantile, line);
    if (role === 'bucket' && upperBound === undefined)
      this.fail(line, `bucket "${s.name}" needs an "le" label`);
    if (role === 'quantile' && q === undefined)
      this.fail(line, `summary sample "${s.name}" needs a "quantile" label`);

    if (f.type === 'stateset' && this.om) {
      this.addState(f, s, labels, value, ts, line);
      return;
    }
    const histogram = f.type === 'histogram' || f.type === 'gaugehistogram';
    if (!histogram && f.type !== 'summary' && !(f.type === 'counter' && this.om)) {
      this.addSimple(f, s, labels, f.type === 'info' ? 1 : value, ts, line);
      return;
    }
    const point = this.pointFor(f, s, role, le ?? quantile ?? '', labels, ts, line);
    if (point === undefined) return;
    point.lastLine = line;
    switch (role) {
      case 'total':
        point.value = value;
        if (exemplar !== undefined) point.exemplar = exemplar;
        break;
      case 'created':
        point.createdMs = createdMs;
        break;
      case 'bucket':
        this.addBucket(point, upperBound!, le!, value, exemplar, line);
        break;
      case 'quantile':
        point.quantiles.push({ quantile: q!, value });
        break;
      case 'count':
      case 'gcount':
        point.count = value;
        point.countLine = line;
        break;
      case 'sum':
      case 'gsum':
        point.sum = value;
        point.sumLine = line;
        break;
      default:
        break;
    }
  }

  /** The family a sample name belongs to (the current one, or a new one), and the sample's role in it. */
  private familyOf(name: string): [FamilyState, Role] {
    const f = this.cur;
    const role = f === undefined ? undefined : roleOf(f, name);
    if (f !== undefined && role !== undefined) return [f, role];
    if (f !== undefined && name === f.name) {
      const names = [...f.roles.keys()].map((suffix) => f.name + suffix).join(', ');
      this.fail(this.line, `"${name}" is not a sample name ${f.type} "${f.name}" can have (it has ${names})`);
    }
    if (!this.om) this.assertNotClosed(name);
    this.close();
    return [this.open(name), 'value'];
  }

  /**
   * The sample's label set, without `le` / `quantile` where they are structure (bucket bound,
   * quantile). Duplicate names and `__name__` are refused; in OpenMetrics so is a structural label
   * where it does not belong (`le` on `_sum`).
   */
  private sampleLabels(
    f: FamilyState,
    role: Role,
    s: SampleLine,
    line: number,
  ): { labels: Labels; le?: string; quantile?: string } {
    const raw = s.labels;
    checkLabelNames(this, raw, line);
    const histogram = f.type === 'histogram' || f.type === 'gaugehistogram';
    if (!histogram && f.type !== 'summary') return { labels: toLabels(raw) };
    const special = histogram ? 'le' : 'quantile';
    const structural = histogram ? role === 'bucket' : role === 'quantile';
    const at = raw.findIndex((l) => l.name === special);
    if (at < 0) return { labels: toLabels(raw) };
    if (this.om && !structural) this.fail(line, `label "${special}" is not allowed on "${s.name}"`);
    const labels = toLabels(raw.filter((_, i) => i !== at));
    return histogram ? { labels, le: raw[at].value } : { labels, quantile: raw[at].value };
  }

  private numberValue(s: SampleLine, line: number): number {
    const v = parseNumber(s.valueRaw);
    if (typeof v === 'string')
      this.fail(line, numberMessage(`value "${s.valueRaw}" for "${s.name}"`, v, s.valueRaw));
    return v;
  }

  private createdValue(s: SampleLine, line: number): number {
    const ms = parseSecondsToMs(s.valueRaw);
    if (typeof ms === 'string') {
      this.fail(
        line,
        `invalid value "${s.valueRaw}" for "${s.name}": _created must be a timestamp in seconds`,
      );
    }
    return ms;
  }

  /** A sample timestamp: milliseconds for the model, and (OpenMetrics) full-precision seconds to order by. */
  private timestamp(raw: string, line: number): Timestamp {
    const ms = this.om ? parseSecondsToMs(raw) : parseIntegerMs(raw);
    if (typeof ms === 'string') {
      const want = this.om ? 'a real number of seconds' : 'an integer number of milliseconds';
      this.fail(line, numberMessage(`timestamp "${raw}" (expected ${want})`, ms, raw));
    }
    return { ms, order: this.om ? Number(raw) : ms, raw };
  }

  /** A stateset sample: one metric per state, at most one sample per state in a MetricPoint. */
  private addState(
    f: FamilyState,
    s: SampleLine,
    labels: Labels,
    value: number,
    ts: Timestamp | undefined,
    line: number,
  ): void {
    const state = labels.get(f.name);
    if (state === '')
      this.fail(line, `stateset sample "${s.name}" needs a label named like the family ("${f.name}")`);
    if (this.enterGroup(f, labels.without(f.name).key, ts, line)) f.runSeen.clear();
    if (f.runSeen.has(state)) {
      this.duplicate(s, line);
      return;
    }
    f.runSeen.add(state);
    f.metrics.push(simpleMetric(labels, value, ts?.ms));
  }

  /** A sample that is a whole metric by itself (gauge, unknown, info; in text also counters). */
  private addSimple(
    f: FamilyState,
    s: SampleLine,
    labels: Labels,
    value: number,
    ts: Timestamp | undefined,
    line: number,
  ): void {
    if (this.om) {
      if (!this.enterGroup(f, labels.key, ts, line)) {
        this.duplicate(s, line);
        return;
      }
    } else {
      const id = ts === undefined ? labels.key : labels.key + SEP + ts.ms;
      if (f.textSeen.has(id)) {
        this.duplicate(s, line);
        return;
      }
      f.textSeen.add(id);
    }
    f.metrics.push(simpleMetric(labels, value, ts?.ms));
  }

  /**
   * The MetricPoint a sample of a counter (OpenMetrics), histogram or summary goes into; undefined
   * when it duplicates a sample already there. OpenMetrics points are consecutive samples of one
   * series and timestamp; text assembles them by label set from anywhere in the family.
   */
  private pointFor(
    f: FamilyState,
    s: SampleLine,
    role: Role,
    structural: string,
    labels: Labels,
    ts: Timestamp | undefined,
    line: number,
  ): Point | undefined {
    const identity = role + SEP + structural;
    if (this.om) {
      if (this.enterGroup(f, labels.key, ts, line)) {
        if (f.point !== undefined) this.finishPoint(f, f.point);
        f.point = newPoint(labels, line, ts?.ms);
        f.runSeen.clear();
      }
      if (f.runSeen.has(identity)) return this.duplicate(s, line);
      f.runSeen.add(identity);
      return f.point;
    }
    const key = ts === undefined ? labels.key : labels.key + SEP + ts.ms;
    let p = f.textPoints.get(key);
    if (p === undefined) {
      p = newPoint(labels, line, ts?.ms);
      f.textPoints.set(key, p);
    }
    const id = identity + SEP + key;
    if (f.textSeen.has(id)) return this.duplicate(s, line);
    f.textSeen.add(id);
    return p;
  }

  /** Record a dropped duplicate sample (always returns undefined, for `return this.duplicate(…)`). */
  private duplicate(s: SampleLine, line: number): undefined {
    const labels = s.labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',');
    this.warnings.push({
      line,
      message: `duplicate sample ${s.name}{${labels}}${s.tsRaw === undefined ? '' : ` at ${s.tsRaw}`} ignored (the first one is kept)`,
      severity: 'warning',
    });
  }

  /**
   * OpenMetrics: move to the series `key`; true when this starts a new MetricPoint (a new series,
   * or a later timestamp of the current one), false when the sample joins the current point.
   */
  private enterGroup(f: FamilyState, key: string, ts: Timestamp | undefined, line: number): boolean {
    const hasTs = ts !== undefined;
    if (f.groupKey !== key) {
      if (f.seenGroups.has(key)) {
        this.fail(
          line,
          `series ${describeKey(f.name, key)} appears again after other series; the samples of a series must be together`,
        );
      }
      f.seenGroups.add(key);
      f.groupKey = key;
      f.groupHasTs = hasTs;
      f.groupTs = ts?.order ?? 0;
      return true;
    }
    if (hasTs !== f.groupHasTs) {
      this.fail(line, `series ${describeKey(f.name, key)} mixes samples with and without timestamps`);
    }
    if (ts === undefined || ts.order === f.groupTs) return false;
    if (ts.order < f.groupTs) {
      this.fail(
        line,
        `timestamp ${ts.raw} goes backwards within series ${describeKey(f.name, key)}; timestamps must increase`,
      );
    }
    f.groupTs = ts.order;
    return true;
  }

  private exemplar(s: SampleLine, role: Role, line: number): Exemplar {
    const e = s.exemplar!;
    if (role !== 'total' && role !== 'bucket') {
      this.fail(
        line,
        `"${s.name}" cannot have an exemplar: only counter _total and histogram _bucket samples can`,
      );
    }
    checkLabelNames(this, e.labels, line);
    let size = 0;
    for (const l of e.labels) size += codePointLength(l.name) + codePointLength(l.value);
    if (size > 128) this.fail(line, `exemplar labels are ${size} code points long; at most 128 are allowed`);
    const v = parseNumber(e.valueRaw);
    if (typeof v === 'string')
      this.fail(line, numberMessage(`exemplar value "${e.valueRaw}"`, v, e.valueRaw));
    const labels = toLabels(e.labels);
    if (e.tsRaw === undefined) return { labels, value: v };
    const ts = parseSecondsToMs(e.tsRaw);
    if (typeof ts === 'string') {
      this.fail(
        line,
        numberMessage(`exemplar timestamp "${e.tsRaw}" (expected a real number of seconds)`, ts, e.tsRaw),
      );
    }
    return { labels, value: v, timestampMs: ts };
  }

  /** `le` / `quantile`: a number (OpenMetrics infinities exactly `+Inf`/`-Inf`), quantiles in [0, 1]. */
  private parseLabelNumber(name: 'le' | 'quantile', raw: string, line: number): number {
    const v = parseNumber(raw);
    if (typeof v === 'string') this.fail(line, `label ${name}="${raw}" is not a number`);
    if (
      this.om &&
      (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) &&
      raw !== '+Inf' &&
      raw !== '-Inf'
    ) {
      this.fail(line, `label ${name}="${raw}" must be written "${v > 0 ? '+Inf' : '-Inf'}"`);
    }
    if (name === 'quantile' && (Number.isNaN(v) || (this.om && !(v >= 0 && v <= 1)))) {
      this.fail(line, `quantile="${raw}" must be between 0 and 1`);
    }
    if (this.om && !Number.isNaN(v)) {
      const canonical = formatCanonicalLabelNumber(v);
      if (raw !== canonical) {
        this.warnings.push({
          line,
          message: `${name}="${raw}" is not in canonical form ("${canonical}")`,
          severity: 'warning',
        });
      }
    }
    return v;
  }

  private addBucket(
    p: Point,
    upperBound: number,
    leRaw: string,
    count: number,
    e: Exemplar | undefined,
    line: number,
  ): void {
    if (Number.isNaN(upperBound)) this.fail(line, 'bucket bound le must not be NaN');
    const last = p.buckets.length === 0 ? undefined : p.buckets[p.buckets.length - 1];
    if (this.om && last !== undefined) {
      const problem = bucketOrderProblem(last, upperBound, count, leRaw);
      if (problem !== undefined) this.fail(line, problem);
    }
    if (upperBound < 0) p.negativeBucket = true;
    if (e !== undefined && e.value > upperBound) {
      this.warnings.push({
        line,
        message: `exemplar value ${e.value} is above its bucket's bound le="${leRaw}"`,
        severity: 'warning',
      });
    }
    p.buckets.push(
      e === undefined
        ? { upperBound, cumulativeCount: count }
        : { upperBound, cumulativeCount: count, exemplar: e },
    );
  }

  private finishPoint(f: FamilyState, p: Point): void {
    switch (f.type) {
      case 'counter': {
        if (p.value === undefined) {
          this.fail(
            p.line,
            `counter "${f.name}" has a _created sample but no _total sample in the same series`,
          );
        }
        const m: { -readonly [K in keyof Metric]: Metric[K] } = { labels: p.labels, value: p.value };
        if (p.timestampMs !== undefined) m.timestampMs = p.timestampMs;
        if (p.createdMs !== undefined) m.createdMs = p.createdMs;
        if (p.exemplar !== undefined) m.exemplar = p.exemplar;
        f.metrics.push(m);
        return;
      }
      case 'histogram':
      case 'gaugehistogram':
        if (this.om) this.checkOpenMetricsHistogram(f, p);
        else if (!isSorted(p.buckets)) p.buckets.sort((a, b) => a.upperBound - b.upperBound);
        break;
      case 'summary':
        break;
      default:
        return;
    }
    const m: { -readonly [K in keyof Metric]: Metric[K] } = { labels: p.labels };
    if (f.type === 'summary') m.quantiles = p.quantiles;
    else m.buckets = p.buckets;
    if (p.count !== undefined) m.count = p.count;
    if (p.sum !== undefined) m.sum = p.sum;
    if (p.timestampMs !== undefined) m.timestampMs = p.timestampMs;
    if (p.createdMs !== undefined) m.createdMs = p.createdMs;
    f.metrics.push(m);
  }

  private checkOpenMetricsHistogram(f: FamilyState, p: Point): void {
    const problem = histogramPointProblem(f.type === 'gaugehistogram', describeKey(f.name, p.labels.key), p);
    if (problem === undefined) return;
    const line = problem.part === 'count' ? p.countLine : problem.part === 'sum' ? p.sumLine : p.lastLine;
    this.fail(line, problem.reason);
  }
}

// ---- helpers ----

function newPoint(labels: Labels, line: number, timestampMs: number | undefined): Point {
  return {
    labels,
    line,
    timestampMs,
    buckets: [],
    quantiles: [],
    countLine: line,
    sumLine: line,
    lastLine: line,
    negativeBucket: false,
  };
}

function simpleMetric(labels: Labels, value: number, timestampMs: number | undefined): Metric {
  return timestampMs === undefined ? { labels, value } : { labels, value, timestampMs };
}

/** A Labels for parsed pairs (already checked for duplicate names); empty values mean "no label". */
function toLabels(pairs: RawLabel[]): Labels {
  const n = pairs.length;
  if (n === 0) return Labels.EMPTY;
  // Expositions usually list labels sorted (writers sort them): take the pairs as they are then.
  let sorted = pairs[0].value !== '';
  for (let i = 1; sorted && i < n; i++) sorted = pairs[i - 1].name < pairs[i].name && pairs[i].value !== '';
  return sorted ? Labels.fromSorted(pairs) : Labels.from(pairs);
}

function roleOf(f: FamilyState, sampleName: string): Role | undefined {
  if (sampleName === f.name) return f.roles.get('');
  if (!sampleName.startsWith(f.name)) return undefined;
  return f.roles.get(sampleName.slice(f.name.length));
}

/** The model name for a family (family.ts): OpenMetrics counters get `_total`, infos `_info` back. */
function modelName(f: FamilyState, om: boolean): string {
  if (om && f.type === 'counter') return `${f.name}_total`;
  if (om && f.type === 'info') return `${f.name}_info`;
  return f.name;
}

function checkLabelNames(p: Parser, labels: readonly RawLabel[], line: number): void {
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const name = labels[i].name;
    if (name === '__name__')
      p.fail(line, 'label name "__name__" is reserved (give the metric name outside the labels)');
    for (let j = i + 1; j < n; j++) {
      if (labels[j].name === name) p.fail(line, `duplicate label name "${name}"`);
    }
  }
}

function isSorted(buckets: readonly Bucket[]): boolean {
  for (let i = 1; i < buckets.length; i++)
    if (buckets[i - 1].upperBound > buckets[i].upperBound) return false;
  return true;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function numberMessage(what: string, problem: NumberProblem, raw: string): string {
  if (problem === 'range') return `${what} is out of the float64 range`;
  if (raw.endsWith('\r')) return `invalid ${what}: lines must end with \\n, not \\r\\n`;
  return `invalid ${what}`;
}

function describeKey(name: string, key: string): string {
  if (key === '') return `"${name}"`;
  const parts = key.split('\xff');
  const out: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push(`${parts[i]}=${JSON.stringify(parts[i + 1])}`);
  return `${name}{${out.join(',')}}`;
}
