// Hermes' metric definitions file: which gauges, counters, histograms and summaries exist, with
// their HELP text and label names. Same JSON schema as PSauerborn/hermes, plus two optional
// extensions: `buckets` on histograms and `quantiles` on summaries.
//
// Checks match what client_golang would refuse when Hermes registers the metrics (invalid or
// reserved names, duplicate labels, `le`/`quantile`), and a name declared twice (in one kind or
// across kinds) is an error naming every place; Hermes would panic on all of these at start.
// Every problem is reported at once, each with its JSON path.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLegacyLabelName, isLegacyMetricName } from '../../model/names.ts';
import { normaliseBuckets } from '../../registry/buckets.ts';
import { normaliseQuantiles, type QuantileSpec } from '../../registry/summary.ts';

export interface HermesMetricDefinition {
  readonly metric_name: string;
  readonly metric_description: string;
  readonly labels: readonly string[];
}

export interface HermesHistogramDefinition extends HermesMetricDefinition {
  /** Extension: bucket upper bounds (default client_golang's DefBuckets, as Hermes). */
  readonly buckets?: readonly number[];
}

export interface HermesSummaryDefinition extends HermesMetricDefinition {
  /** Extension: quantiles to estimate (default none, as Hermes: only `_sum` and `_count`). */
  readonly quantiles?: readonly QuantileSpec[];
}

export interface HermesDefinitions {
  /** Parsed but unused, as in Hermes. */
  readonly service_name: string;
  readonly gauges: readonly HermesMetricDefinition[];
  readonly counters: readonly HermesMetricDefinition[];
  readonly histograms: readonly HermesHistogramDefinition[];
  readonly summaries: readonly HermesSummaryDefinition[];
}

export type HermesKind = 'counter' | 'gauge' | 'histogram' | 'summary';

/** The definitions' sections, in Hermes' registration order. */
export const HERMES_SECTIONS = [
  ['gauges', 'gauge'],
  ['counters', 'counter'],
  ['histograms', 'histogram'],
  ['summaries', 'summary'],
] as const;

export class HermesDefinitionsError extends Error {
  override name = 'HermesDefinitionsError';
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(`invalid Hermes definitions in ${source}:\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

/** Anything with pino's `warn(obj, msg)` shape. */
interface WarnLogger {
  warn(obj: object, msg?: string): void;
}

export interface DefinitionsOptions {
  /** Named in error messages (default '<definitions>', or the file path when loading a file). */
  readonly source?: string;
  /** Told about keys telemux does not know (Hermes ignores them, so they are not errors). */
  readonly logger?: WarnLogger;
}

// Go's encoding/json leaves a missing or null field at its zero value, so those are accepted.
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

const entryShape = {
  metric_name: z.string(),
  metric_description: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  labels: list(z.string()),
};

const quantileSchema = z.union([z.number(), z.strictObject({ quantile: z.number(), error: z.number() })]);

const schema = z.looseObject({
  service_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  gauges: list(z.looseObject(entryShape)),
  counters: list(z.looseObject(entryShape)),
  histograms: list(z.looseObject({ ...entryShape, buckets: z.array(z.number()).optional() })),
  summaries: list(z.looseObject({ ...entryShape, quantiles: z.array(quantileSchema).optional() })),
});

const KNOWN_TOP_LEVEL = new Set(['service_name', 'gauges', 'counters', 'histograms', 'summaries']);
// Hermes v0.1.0 files could carry these; v1 ignores them, and so do we (without a warning).
const LEGACY_TOP_LEVEL = new Set(['listen_address', 'listen_port']);
const KNOWN_ENTRY: Record<HermesKind, Set<string>> = {
  gauge: new Set(['metric_name', 'metric_description', 'labels']),
  counter: new Set(['metric_name', 'metric_description', 'labels']),
  histogram: new Set(['metric_name', 'metric_description', 'labels', 'buckets']),
  summary: new Set(['metric_name', 'metric_description', 'labels', 'quantiles']),
};
/** Label names a kind generates itself. */
const KIND_RESERVED_LABEL: Partial<Record<HermesKind, string>> = { histogram: 'le', summary: 'quantile' };

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(top level)' : out;
}

/** Validate a parsed definitions document; throws {@link HermesDefinitionsError} listing every problem. */
export function parseHermesDefinitions(value: unknown, opts: DefinitionsOptions = {}): HermesDefinitions {
  const source = opts.source ?? '<definitions>';
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HermesDefinitionsError(
      source,
      parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    );
  }
  const doc = parsed.data;
  const issues: string[] = [];
  const unknownKeys: string[] = [];
  for (const key of Object.keys(doc)) {
    if (!KNOWN_TOP_LEVEL.has(key) && !LEGACY_TOP_LEVEL.has(key)) unknownKeys.push(key);
  }
  const places = new Map<string, string[]>();
  const out = {
    service_name: doc.service_name,
    gauges: [] as HermesMetricDefinition[],
    counters: [] as HermesMetricDefinition[],
    histograms: [] as HermesHistogramDefinition[],
    summaries: [] as HermesSummaryDefinition[],
  };

  for (const [section, kind] of HERMES_SECTIONS) {
    doc[section].forEach((entry: Record<string, unknown> & z.infer<z.ZodObject<typeof entryShape>>, i) => {
      const at = `${section}[${i}]`;
      const name = entry.metric_name;
      for (const key of Object.keys(entry)) if (!KNOWN_ENTRY[kind].has(key)) unknownKeys.push(`${at}.${key}`);
      if (!isLegacyMetricName(name)) {
        issues.push(
          `${at}.metric_name: ${JSON.stringify(name)} is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`,
        );
      }
      places.set(name, [...(places.get(name) ?? []), at]);
      const seen = new Set<string>();
      entry.labels.forEach((label, j) => {
        const lat = `${at}.labels[${j}]`;
        if (!isLegacyLabelName(label)) {
          issues.push(`${lat}: ${JSON.stringify(label)} is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
        } else if (label.startsWith('__')) {
          issues.push(`${lat}: "${label}" is reserved (label names starting with "__" are Prometheus' own)`);
        } else if (label === KIND_RESERVED_LABEL[kind]) {
          issues.push(
            `${lat}: "${label}" cannot be used on a ${kind} (the ${kind} writes that label itself)`,
          );
        }
        if (seen.has(label)) issues.push(`${lat}: label "${label}" is listed twice`);
        seen.add(label);
      });
      const base = { metric_name: name, metric_description: entry.metric_description, labels: entry.labels };
      if (kind === 'histogram') {
        const buckets = entry.buckets as number[] | undefined;
        if (buckets !== undefined) {
          try {
            normaliseBuckets(name, buckets);
          } catch (err) {
            issues.push(`${at}.buckets: ${stripPrefix((err as Error).message)}`);
          }
        }
        out.histograms.push(buckets === undefined ? base : { ...base, buckets });
      } else if (kind === 'summary') {
        const quantiles = entry.quantiles as QuantileSpec[] | undefined;
        if (quantiles !== undefined) {
          try {
            normaliseQuantiles(name, quantiles);
          } catch (err) {
            issues.push(`${at}.quantiles: ${stripPrefix((err as Error).message)}`);
          }
        }
        out.summaries.push(quantiles === undefined ? base : { ...base, quantiles });
      } else {
        out[section].push(base);
      }
    });
  }
  for (const [name, at] of places) {
    if (at.length > 1) issues.push(`metric "${name}" is declared more than once: ${at.join(', ')}`);
  }
  if (issues.length > 0) throw new HermesDefinitionsError(source, issues);
  if (unknownKeys.length > 0) {
    opts.logger?.warn({ source, keys: unknownKeys }, 'hermes definitions: ignoring unknown keys');
  }
  return out;
}

/** Read and validate a definitions file (synchronously: it is read once, at start). */
export function loadHermesDefinitions(
  path: string,
  opts: Omit<DefinitionsOptions, 'source'> = {},
): HermesDefinitions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HermesDefinitionsError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HermesDefinitionsError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseHermesDefinitions(value, { ...opts, source: path });
}

/** `histogram "x": message` → `message` (the path already names the metric). */
function stripPrefix(message: string): string {
  return message.replace(/^\w+ "[^"]*": /, '');
}
