// The `influx:` section of the configuration (the lead mounts it in src/config/schema.ts).

import { z } from 'zod';

export const DEFAULT_INFLUX_MAX_LINE_BYTES = 256 * 1024;

/** Zod shape of the `influx:` section; every key has a default, so `{}` is a valid section. */
export const influxConfigShape = {
  /** Serve the InfluxDB write endpoints (`/write`, `/api/v2/write`, `/ping`, `/health`). */
  enabled: z.boolean().default(true),
  /** v1 user (`u=` or basic auth). With `password`, turns authentication on. */
  username: z.string().default(''),
  password: z.string().default(''),
  /** API token (`Authorization: Token …`). '' (and no username/password) means no authentication. */
  token: z.string().default(''),
  /** Longest accepted line, in bytes (VictoriaMetrics' -influx.maxLineSize default). */
  max_line_bytes: z.number().int().positive().default(DEFAULT_INFLUX_MAX_LINE_BYTES),
};

export const influxConfigSchema = z.strictObject(influxConfigShape).prefault({});

export type InfluxConfig = z.output<typeof influxConfigSchema>;
