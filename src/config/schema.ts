// The configuration schema: every key telemux understands, its default, and its documentation.
// Keys are snake_case like Prometheus' own files. Unknown keys are errors (strict objects), so a
// typo never silently falls back to a default.

import { z } from 'zod';
import { parseListenAddress } from './address.ts';

/** `host:port`, or '' to turn the listener off. */
const listen = (def: string) =>
  z
    .string()
    .default(def)
    .superRefine((v, ctx) => {
      if (v === '') return;
      const parsed = parseListenAddress(v);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    });

// `prefault({})` fills a missing section from its keys' defaults.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

export const configSchema = z.strictObject({
  http: section({
    /** Main HTTP listener: /metrics, health, and every HTTP surface. */
    listen: listen('127.0.0.1:9091'),
    /** Largest request body accepted (bytes); larger bodies get 413. */
    body_limit_bytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
  }),
  log: section({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** `auto`: pretty on a TTY, JSON otherwise. */
    format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  }),
  limits: section({
    /** Most live series (across all families) the registry holds; new ones beyond are dropped. */
    max_series: z.number().int().positive().default(1_000_000),
    /** Most live series in one family. */
    max_series_per_family: z.number().int().positive().default(100_000),
  }),
  hermes: section({
    /** UDP JSON listener of the Hermes push gateway ('' turns it off). */
    listen: listen('127.0.0.1:7789'),
    /** Hermes definitions file (JSON: service_name, gauges, counters, histograms, summaries). */
    definitions: z.string().default(''),
    /** Datagrams longer than this are dropped as `oversized` (Hermes itself reads 2048 bytes). */
    max_datagram_bytes: z.number().int().min(64).max(65507).default(65507),
    /** Drop-in listener serving only Hermes' metrics on `/metrics` (the original uses :8080). */
    metrics_listen: listen(''),
  }),
});

export type Config = z.output<typeof configSchema>;

/** The defaults, as a fully populated config. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
