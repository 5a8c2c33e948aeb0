// The `query:` section of the configuration (mounted in src/config/schema.ts): the local PromQL
// engine's limits, and the upstream Prometheus-compatible server that replaces it when `url` is set.

import { z } from 'zod';
import { duration } from '../config/values.ts';

const upstreamTlsShape = {
  /** PEM file of the CA(s) that sign the upstream's certificate ('' = the system's CAs). */
  ca_file: z.string().default(''),
  /** Client certificate and key (PEM) for mutual TLS; both or neither. */
  cert_file: z.string().default(''),
  key_file: z.string().default(''),
  /** Accept any certificate (testing only). */
  insecure_skip_verify: z.boolean().default(false),
  /** The name the certificate must carry, when it is not the URL's host. */
  server_name: z.string().default(''),
};

const sigv4Shape = {
  /** AWS region ('' = AWS_REGION / AWS_DEFAULT_REGION); setting it (or `access_key`) turns signing on. */
  region: z.string().default(''),
  /** '' = AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the environment. */
  access_key: z.string().default(''),
  secret_key: z.string().default(''),
  session_token: z.string().default(''),
  /** `aps` is Amazon Managed Service for Prometheus. */
  service: z.string().default('aps'),
};

const upstreamShape = {
  /** Base URL of a Prometheus-compatible API (`https://host:9090`, `…/workspaces/ws-1`); '' = the local engine. */
  url: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      if (v === '') return;
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `not a URL: "${v}"` });
        return;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        ctx.addIssue({ code: 'custom', message: `must be http:// or https://, got "${v}"` });
    }),
  /** `Authorization: Bearer …`. */
  bearer_token: z.string().default(''),
  basic_auth: z
    .strictObject({ username: z.string().default(''), password: z.string().default('') })
    .prefault({}),
  tls: z.strictObject(upstreamTlsShape).prefault({}),
  /** Longest a request to the upstream may take (connect to last byte). */
  timeout: duration('2m', 1),
  /** Largest upstream answer read (bytes, after gzip); larger ones fail the query. */
  max_response_bytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  sigv4: z.strictObject(sigv4Shape).prefault({}),
};

export const queryConfigShape = {
  /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). */
  lookback_delta: duration('5m', 1),
  /** Most samples one query may hold in memory (Prometheus' --query.max-samples). */
  max_samples: z.number().int().positive().default(50_000_000),
  /** Default and longest time a query may run (Prometheus' --query.timeout). */
  timeout: duration('2m', 1),
  /** Queries evaluated at once; more wait their turn (Prometheus' --query.max-concurrency). */
  max_concurrency: z.number().int().positive().default(20),
  upstream: z.strictObject(upstreamShape).prefault({}),
};

export const queryConfigSchema = z
  .strictObject(queryConfigShape)
  .prefault({})
  .superRefine((v, ctx) => {
    const tls = v.upstream.tls;
    if ((tls.cert_file === '') !== (tls.key_file === ''))
      ctx.addIssue({
        code: 'custom',
        path: ['upstream', 'tls', tls.cert_file === '' ? 'cert_file' : 'key_file'],
        message: 'cert_file and key_file go together',
      });
    const auths = [
      v.upstream.bearer_token !== '',
      v.upstream.basic_auth.username !== '',
      isSigv4On(v.upstream),
    ];
    if (auths.filter(Boolean).length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['upstream'],
        message: 'at most one of bearer_token, basic_auth and sigv4 may be set',
      });
  });

export type QueryConfig = z.output<typeof queryConfigSchema>;
export type UpstreamConfig = QueryConfig['upstream'];

/** SigV4 signing is on when a region or an access key is configured. */
export function isSigv4On(upstream: Pick<UpstreamConfig, 'sigv4'>): boolean {
  return upstream.sigv4.region !== '' || upstream.sigv4.access_key !== '';
}
