// The `scrape_configs` section: Prometheus' scrape_config, limited to static targets and to
// relabelling that rewrites `job` and `instance` (see docs/scrape.md for the exact subset). Keys and
// defaults follow Prometheus, so a job copied from a prometheus.yml either works the same way or is
// refused with a message naming the key (strict objects: nothing is silently ignored).

import { z } from 'zod';
import { byteSize } from '../../config/values.ts';
import { parseDuration } from '../../model/duration.ts';
import { isValidLabelName } from '../../model/names.ts';

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

function durationMs(v: string, ctx: z.RefinementCtx): number {
  const ms = parseDuration(v);
  if (typeof ms === 'string') {
    ctx.addIssue({ code: 'custom', message: ms });
    return z.NEVER;
  }
  if (ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be greater than 0, got "${v}"` });
    return z.NEVER;
  }
  return ms;
}

/** Target labels: valid names; `__`-names are reserved (they would steer the scrape in Prometheus). */
const targetLabels = z
  .record(z.string(), z.string())
  .default({})
  .superRefine((rec, ctx) => {
    for (const name of Object.keys(rec)) {
      if (!isValidLabelName(name) || name.startsWith('__'))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" is not a valid target label name (names starting with "__" are reserved)`,
        });
    }
  });

/** `host`, `host:port` or `[v6]:port`: what Prometheus calls `__address__`, without scheme or path. */
const address = z.string().refine((a) => /^(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#@[\]:]+)(?::\d{1,5})?$/.test(a), {
  message: 'must be "host:port" (no scheme, no path)',
});

/** Go's regexp syntax for named groups, `(?P<name>…)`, as JavaScript spells it. */
export function compileRelabelRegex(source: string): RegExp {
  // Anchored at both ends and with `.` matching newlines, as Prometheus compiles relabel regexes.
  return new RegExp(`^(?:${source.replaceAll('(?P<', '(?<')})$`, 's');
}

const relabelConfig = z.strictObject({
  /** Only `replace` (the default) is supported. */
  action: z.literal('replace').default('replace'),
  source_labels: z.array(z.string()).default([]),
  separator: z.string().default(';'),
  regex: z
    .string()
    .default('(.*)')
    .superRefine((r, ctx) => {
      try {
        compileRelabelRegex(r);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `invalid regex: ${(e as Error).message}` });
      }
    }),
  replacement: z.string().default('$1'),
  /** Only the target's `job` and `instance` labels can be rewritten. */
  target_label: z.enum(['job', 'instance']),
});

const staticConfig = z.strictObject({
  targets: z.array(address).default([]),
  labels: targetLabels,
});

const scrapeConfigObject = z
  .strictObject({
    /** The scrape pool's name and the default `job` label. Unique among scrape_configs. */
    job_name: z.string().min(1),
    scrape_interval: z.string().default('15s').transform(durationMs),
    /** Default 10s, or the interval when that is shorter; never longer than the interval. */
    scrape_timeout: z.string().transform(durationMs).optional(),
    metrics_path: z
      .string()
      .default('/metrics')
      .refine((p) => p.startsWith('/'), { message: 'must start with "/"' }),
    scheme: z.enum(['http', 'https']).default('http'),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    /** URL query parameters; a single string is taken as a one-element list. */
    params: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .default({})
      .transform((p) => {
        const out: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'string' ? [v] : v;
        return out;
      }),
    basic_auth: z.strictObject({ username: z.string().min(1), password: z.string().default('') }).optional(),
    bearer_token: z.string().min(1).optional(),
    /** Largest uncompressed body accepted; a bigger one fails the scrape. 0 = no limit. */
    body_size_limit: byteSize,
    static_configs: z.array(staticConfig).default([]),
    relabel_configs: z.array(relabelConfig).default([]),
  })
  .transform((c, ctx) => {
    const timeout = c.scrape_timeout ?? Math.min(DEFAULT_SCRAPE_TIMEOUT_MS, c.scrape_interval);
    if (timeout > c.scrape_interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_timeout'],
        message: `scrape_timeout (${timeout} ms) must not be greater than scrape_interval (${c.scrape_interval} ms)`,
      });
      return z.NEVER;
    }
    if (c.basic_auth !== undefined && c.bearer_token !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of basic_auth and bearer_token may be set' });
      return z.NEVER;
    }
    return { ...c, scrape_timeout: timeout };
  });

export const scrapeConfigSchema = scrapeConfigObject;

/** The fragment the lead mounts at the top level as `scrape_configs`. */
export const scrapeConfigsSchema = z
  .array(scrapeConfigObject)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.job_name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'job_name'],
          message: `duplicate job_name "${c.job_name}"`,
        });
      seen.add(c.job_name);
    });
  });

/** One job, after defaults: durations in ms, sizes in bytes, params as lists. */
export type ScrapeConfig = z.output<typeof scrapeConfigSchema>;
/** One job as written in the config file. */
export type ScrapeConfigInput = z.input<typeof scrapeConfigSchema>;
export type RelabelConfig = ScrapeConfig['relabel_configs'][number];

/** Parse one job (throws a ZodError on invalid input); handy for tests and programmatic use. */
export function parseScrapeConfig(input: ScrapeConfigInput): ScrapeConfig {
  return scrapeConfigSchema.parse(input);
}
