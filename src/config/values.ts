// Value types shared by every config section: Prometheus durations and byte sizes, parsed at load
// time so a bad value is reported with its key and origin like any other config error.

import { z } from 'zod';
import { parseByteSize, parseDuration } from '../model/duration.ts';

/** A Prometheus duration (`15s`, `1h30m`, `15d`), parsed to milliseconds; at least `min` ms. */
export const duration = (def: string, min = 0) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (typeof ms === 'string') {
        ctx.addIssue({ code: 'custom', message: ms });
        return z.NEVER;
      }
      if (ms < min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${min} ms, got "${v}"` });
        return z.NEVER;
      }
      return ms;
    });

/** Bytes as a number or a string with a unit (`512MB`, `10GB`); 0 means no limit. */
export const byteSize = z
  .union([z.number().int().min(0), z.string()])
  .default(0)
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const n = parseByteSize(v);
    if (typeof n === 'string') {
      ctx.addIssue({ code: 'custom', message: n });
      return z.NEVER;
    }
    return n;
  });
