// Config fragment of the Pushgateway-compatible push API (the `pushgateway:` section).

import { z } from 'zod';
import { duration } from '../../config/values.ts';

export const pushgatewayConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Where groups are kept across restarts; '' keeps them in memory only. */
    persistence_file: z.string().default(''),
    /** Minimum time between two writes of the persistence file (Prometheus duration). */
    persistence_interval: duration('5m', 1000),
    /** TTL of a group without an `X-Telemux-TTL` header; '0s' means groups never expire. */
    default_ttl: duration('0s'),
  })
  .strict()
  .prefault({});

export type PushgatewayConfig = z.output<typeof pushgatewayConfigSchema>;
