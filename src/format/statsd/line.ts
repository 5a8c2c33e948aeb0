// The StatsD line grammar as prometheus/statsd_exporter reads it (pkg/line), written from its
// documented behaviour:
//
//   line    = name [nametags] ":" sample *( ":" sample )          (samples: only without DogStatsD tags)
//           | name ":" value *( ":" value ) "|" ("ms"|"h"|"d") *section   (DogStatsD extended aggregation)
//   sample  = value "|" type *( "|" section )
//   type    = "c" | "g" | "ms" | "h" | "d" | "s"
//   section = "@" rate | "#" tag *( "," tag ) | "c:" container-id | "T" unix-seconds
//           | "e:" external-data | "card:" cardinality      (DogStatsD 1.x; accepted and ignored)
//
// A line without `|#` is split on every `:` into samples, so (as in statsd_exporter) a `|c:id`
// container section only works on a line that also has DogStatsD tags.
//
// Tags come in four styles: DogStatsD `|#k:v,k2:v2`, InfluxDB `name,k=v,k2=v2`, Librato
// `name#k=v,k2=v2` and SignalFX `name[k=v,k2=v2]` (looked for first). DogStatsD tags mixed with a
// name style are refused. A tag without a key or value is ignored (as statsd_exporter does), and so
// is one whose key starts with `__` (reserved in Prometheus). Tag keys are escaped like metric names.
//
// What we refuse that statsd_exporter lets through (each with a reason, see errors.ts):
// - a sample rate that does not parse (statsd_exporter counts an error but then applies the sample
//   as if unsampled), or is outside [0, 1] (a rate above 1 made it repeat a timer int(1/rate) = 0
//   times, i.e. silently lose it), or would repeat a timer more than MAX_REPETITIONS times (a rate
//   of 1e-9 made it loop a billion times per line);
// - values that are NaN, ±Inf, hexadecimal or use `_` separators (Go's ParseFloat takes them all).
// And one thing we accept that it refuses: the DogStatsD `|e:` and `|card:` sections that clients
// (hot-shots, datadog-go) add in Datadog mode; they are ignored.
//
// The parser works on strings (the input decodes UTF-8 strictly first) and only throws
// StatsdParseError.

import { StatsdParseError } from './errors.ts';

export type StatsdType = 'c' | 'g' | 'ms' | 'h' | 'd';

/** One parsed sample, as sent: no sampling or unit conversion applied (see the helpers below). */
export interface StatsdSample {
  /** The metric name with any name tags removed, not escaped. */
  readonly name: string;
  readonly type: StatsdType;
  /** The value as sent (milliseconds for `ms`); for a relative gauge, the signed change. */
  readonly value: number;
  /** A gauge value written with a leading `+` or `-`: a change, not a new value. */
  readonly relative: boolean;
  /** `@rate`, 1 when absent (and a rate of 0 means 1, as in statsd_exporter). */
  readonly sampleRate: number;
  /** Tags, keys escaped; `container_id` from a DogStatsD `|c:` section. Shared by a line's samples. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface StatsdParseOptions {
  /** Each tag style can be turned off (all on by default, as in statsd_exporter). */
  readonly dogstatsd?: boolean;
  readonly influxdb?: boolean;
  readonly librato?: boolean;
  readonly signalfx?: boolean;
}

/** Most observations one timer/histogram/distribution sample may turn into (1/rate). */
export const MAX_REPETITIONS = 10_000;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^[+-]?\d+$/;
const EMPTY_TAGS: Readonly<Record<string, string>> = Object.freeze({});
const ALL_ON: StatsdParseOptions = {};

/**
 * statsd_exporter's name escaping: every character outside `[a-zA-Z0-9_]` becomes `_` (one per code
 * point), and a leading digit gets a `_` in front. Used for unmapped names, mapped names and tag keys.
 */
export function escapeMetricName(name: string): string {
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return name;
  let out = '';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    const ok =
      ch.length === 1 &&
      ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f);
    out += ok ? ch : '_';
  }
  const c0 = out.charCodeAt(0);
  return c0 >= 0x30 && c0 <= 0x39 ? `_${out}` : out;
}

/** A value or rate as the grammar allows it (decimal, finite); undefined otherwise. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** 10^k for k ≤ 22: every one exactly a double. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * parseNumber of the ASCII text `buf[start, end)`, without making a string of it when it has no
 * exponent and at most 15 digits (the value of every StatsD client): the digits as an integer, then
 * one division by a power of ten. Both are exact doubles (below 2^53, and 10^k for k ≤ 22) and the
 * division rounds correctly, so the result is the double nearest the decimal — what Number() gives.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const sign = i < end ? buf[i] : 0;
  if (sign === 0x2b || sign === 0x2d) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = buf[i];
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 0x2e && fraction < 0) fraction = 0;
    else break;
  }
  if (i < end || digits > 15) {
    // An exponent, many digits, or no number at all: the grammar decides on the text.
    let text = '';
    for (let j = start; j < end; j++) text += String.fromCharCode(buf[j]);
    return parseNumber(text);
  }
  if (digits === 0) return undefined;
  const value = fraction > 0 ? mantissa / EXACT_POWERS_OF_TEN[fraction] : mantissa;
  return sign === 0x2d ? -value : value;
}

/** One `k<sep>v` tag into `tags`; empty keys or values and reserved keys are ignored. */
function addTag(tags: Record<string, string>, tag: string, sep: string): void {
  const i = tag.indexOf(sep);
  if (i <= 0 || i === tag.length - 1) return;
  const key = escapeMetricName(tag.slice(0, i));
  if (key.startsWith('__')) return;
  tags[key] = tag.slice(i + 1);
}

function addNameTags(tags: Record<string, string>, list: string): void {
  for (const tag of list.split(',')) addTag(tags, tag, '=');
}

function addDogTags(tags: Record<string, string>, list: string): void {
  for (const tag of list.split(',')) addTag(tags, tag.startsWith('#') ? tag.slice(1) : tag, ':');
}

function parseType(t: string): StatsdType {
  switch (t) {
    case 'c':
    case 'g':
    case 'ms':
    case 'h':
    case 'd':
      return t;
    case 's':
      throw new StatsdParseError('unsupported_set', 'sets (type "s") are not supported');
    default:
      throw new StatsdParseError('unknown_type', `unknown type ${JSON.stringify(t.slice(0, 32))}`);
  }
}

/**
 * Parse one line (no newline) into its samples, appended to `out` (returned). An empty line gives
 * none. Throws StatsdParseError naming what is wrong; on a throw, `out` may hold some of the line's
 * samples already (callers that care pass a fresh array).
 */
export function parseLine(
  line: string,
  out: StatsdSample[] = [],
  opts: StatsdParseOptions = ALL_ON,
): StatsdSample[] {
  if (line === '') return out;
  const colon = line.indexOf(':');
  if (colon < 0) throw new StatsdParseError('malformed', 'no ":" between name and value');
  if (colon === 0) throw new StatsdParseError('malformed', 'empty metric name');
  let name = line.slice(0, colon);
  const rest = line.slice(colon + 1);

  // Name tags: SignalFX first, then the first `#` (Librato) or `,` (InfluxDB).
  let tags: Record<string, string> | undefined;
  const open = opts.signalfx === false ? -1 : name.indexOf('[');
  const close = opts.signalfx === false ? -1 : name.indexOf(']');
  if (open >= 0 && close >= 0) {
    tags = {};
    addNameTags(tags, name.slice(open + 1, close));
    name = name.slice(0, open) + name.slice(close + 1);
  } else if (open < 0 && close < 0) {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if ((c === 0x23 && opts.librato !== false) || (c === 0x2c && opts.influxdb !== false)) {
        tags = {};
        addNameTags(tags, name.slice(i + 1));
        name = name.slice(0, i);
        break;
      }
    }
  }
  // One bracket alone: statsd_exporter leaves the name as it is (and escaping turns it into `_`).
  if (name === '') throw new StatsdParseError('malformed', 'empty metric name (only tags before ":")');

  const dog = opts.dogstatsd !== false && rest.includes('|#');
  // As in statsd_exporter, only name tags that were valid make the mix an error.
  if (dog && tags !== undefined && Object.keys(tags).length > 0) {
    throw new StatsdParseError('bad_tags', 'DogStatsD tags (|#) mixed with tags in the name');
  }
  const bar = rest.indexOf('|');
  if (bar < 0) throw new StatsdParseError('malformed', 'no "|type" after the value');
  const head = rest.slice(0, bar);
  let samples: string[];
  if (head.includes(':')) {
    // DogStatsD extended aggregation: `name:1:2:3|ms…`, only for observer types.
    const bar2 = rest.indexOf('|', bar + 1);
    const type = rest.slice(bar + 1, bar2 < 0 ? undefined : bar2);
    if (type !== 'ms' && type !== 'h' && type !== 'd') {
      throw new StatsdParseError(
        'malformed',
        `several values before "|" are only allowed for ms, h and d, not ${JSON.stringify(type.slice(0, 32))}`,
      );
    }
    const suffix = rest.slice(bar);
    samples = head.split(':').map((v) => v + suffix);
  } else if (dog) {
    samples = [rest];
  } else {
    samples = rest.split(':');
  }

  tags ??= dog || rest.includes('|c:') ? {} : undefined;
  for (const sample of samples) {
    const parts = sample.split('|');
    if (parts.length < 2) throw new StatsdParseError('malformed', `no "|type" in sample ${preview(sample)}`);
    if (parts.length > 8) throw new StatsdParseError('malformed', 'more than 8 "|" sections in a sample');
    const type = parseType(parts[1]);
    const valueText = parts[0];
    const value = parseNumber(valueText);
    if (value === undefined) {
      throw new StatsdParseError('bad_value', `value ${preview(valueText)} is not a finite number`);
    }
    const c0 = valueText.charCodeAt(0);
    const relative = type === 'g' && (c0 === 0x2b || c0 === 0x2d);
    let rate = 1;
    for (let i = 2; i < parts.length; i++) {
      const section = parts[i];
      switch (section.charCodeAt(0)) {
        case 0x40: {
          // @rate
          const r = parseNumber(section.slice(1));
          if (r === undefined || r < 0 || r > 1) {
            throw new StatsdParseError(
              'bad_sample_rate',
              `sample rate ${preview(section.slice(1))} is not a number in [0, 1]`,
            );
          }
          rate = r === 0 ? 1 : r;
          if ((type === 'ms' || type === 'h' || type === 'd') && Math.floor(1 / rate) > MAX_REPETITIONS) {
            throw new StatsdParseError(
              'bad_sample_rate',
              `sample rate ${rate} would repeat the observation more than ${MAX_REPETITIONS} times`,
            );
          }
          break;
        }
        case 0x23: // #tags
          if (opts.dogstatsd === false)
            throw new StatsdParseError('malformed', 'DogStatsD tags are disabled');
          addDogTags(tags!, section.slice(1));
          break;
        case 0x63: // c:container, or card:<cardinality> (DogStatsD 1.x, accepted and ignored)
          if (section.startsWith('card:')) break;
          if (section.length <= 2 || section.charCodeAt(1) !== 0x3a) {
            throw new StatsdParseError('malformed', `bad container id section ${preview(section)}`);
          }
          tags!.container_id = section.slice(2);
          break;
        case 0x65: // e:<external data> (DogStatsD 1.x origin detection): accepted and ignored
          if (!section.startsWith('e:')) {
            throw new StatsdParseError('malformed', `unknown section ${preview(section)}`);
          }
          break;
        case 0x54: // T<unix seconds>: accepted and ignored, as statsd_exporter does
          if (!TIMESTAMP.test(section.slice(1))) {
            throw new StatsdParseError('malformed', `bad timestamp section ${preview(section)}`);
          }
          break;
        default:
          throw new StatsdParseError(
            'malformed',
            section === '' ? 'empty "|" section' : `unknown section ${preview(section)}`,
          );
      }
    }
    out.push({ name, type, value, relative, sampleRate: rate, tags: tags ?? EMPTY_TAGS });
  }
  return out;
}

/** Parse newline-separated lines (a datagram's text); throws on the first bad line. */
export function parsePacket(text: string, opts?: StatsdParseOptions): StatsdSample[] {
  const out: StatsdSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    parseLine(line, out, opts);
  }
  return out;
}

function preview(s: string): string {
  return JSON.stringify(s.length > 32 ? `${s.slice(0, 32)}…` : s);
}

/** What a counter sample adds: the value scaled by 1/rate. */
export function counterIncrement(s: StatsdSample): number {
  return s.sampleRate === 1 ? s.value : s.value / s.sampleRate;
}

/** What an observer sample observes: seconds for `ms`, the value as is for `h` and `d`. */
export function observedValue(s: StatsdSample): number {
  return s.type === 'ms' ? s.value / 1000 : s.value;
}

/** How many times an observer sample is observed: int(1/rate), as statsd_exporter does. */
export function observationCount(s: StatsdSample): number {
  return s.sampleRate === 1 ? 1 : Math.floor(1 / s.sampleRate);
}

export type TagStyle = 'dogstatsd' | 'influxdb' | 'librato' | 'signalfx';

/** A number the parser reads back exactly (JavaScript's shortest round-trip form). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`StatsD values must be finite, got ${n}`);
  return String(n);
}

/**
 * One sample as a line. Tags go where `style` puts them (DogStatsD by default). A non-relative gauge
 * cannot carry a negative value (the sign would make it a change); that throws a RangeError.
 */
export function formatSample(s: StatsdSample, style: TagStyle = 'dogstatsd'): string {
  let value = formatNumber(s.value);
  if (s.type === 'g') {
    if (s.relative && !value.startsWith('-')) value = `+${value}`;
    else if (!s.relative && value.startsWith('-')) {
      throw new RangeError('a negative absolute gauge value cannot be written in StatsD');
    }
  }
  const entries = Object.entries(s.tags);
  let name = s.name;
  let suffix = '';
  if (entries.length > 0) {
    if (style === 'dogstatsd') suffix = `|#${entries.map(([k, v]) => `${k}:${v}`).join(',')}`;
    else {
      const list = entries.map(([k, v]) => `${k}=${v}`).join(',');
      name = style === 'signalfx' ? `${name}[${list}]` : `${name}${style === 'influxdb' ? ',' : '#'}${list}`;
    }
  }
  const rate = s.sampleRate === 1 ? '' : `|@${formatNumber(s.sampleRate)}`;
  return `${name}:${value}|${s.type}${rate}${suffix}`;
}
