// The `statsd:` configuration section (the lead mounts it in src/config/schema.ts).

import { z } from 'zod';
import { parseListenAddress } from '../../config/address.ts';

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

export const statsdConfigShape = {
  /** UDP listener ('' turns it off). statsd_exporter listens on :9125; StatsD's own port is 8125. */
  listen_udp: listen('127.0.0.1:8125'),
  /** TCP listener, newline-delimited lines ('' turns it off). */
  listen_tcp: listen('127.0.0.1:8125'),
  /** statsd_exporter mapping file (YAML); '' maps every name by escaping it. */
  mapping_file: z.string().default(''),
  /** Most live series the StatsD input creates; new series beyond are dropped as `series_limit`. */
  max_series: z.number().int().positive().default(100_000),
  /** Datagrams (and TCP lines) longer than this are dropped as `oversized`. */
  max_datagram_bytes: z.number().int().min(64).max(65507).default(65507),
  /** Receive UDP on a thread of its own: it keeps reading while the main thread is busy (block cuts); false: on the main thread. */
  receive_thread: z.boolean().default(true),
};

/** The section, strict (unknown keys are errors), every key defaulted. */
export const statsdConfigSchema = z.strictObject(statsdConfigShape).prefault({} as never);

export type StatsdConfig = z.infer<typeof statsdConfigSchema>;
