// AWS Signature Version 4 for requests to an upstream such as Amazon Managed Service for
// Prometheus, signed by `aws4`. Credentials come from the config or, as every AWS tool reads them,
// from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; the region from the config or
// AWS_REGION / AWS_DEFAULT_REGION.

import aws4 from 'aws4';

export interface Sigv4Settings {
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly sessionToken: string;
  readonly service: string;
}

/** A request about to be sent: exactly the headers and body that will go on the wire. */
export interface SignableRequest {
  readonly method: string;
  /** `host` or `host:port`, as the Host header will carry it. */
  readonly host: string;
  /** Path and query string, already encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export class Sigv4ConfigError extends Error {}

export class Sigv4Signer {
  readonly region: string;
  readonly service: string;
  readonly #credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

  constructor(settings: Sigv4Settings, env: NodeJS.ProcessEnv = process.env) {
    this.region = settings.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
    if (this.region === '')
      throw new Sigv4ConfigError('query.upstream.sigv4: no region (set region, or AWS_REGION)');
    this.service = settings.service;
    const fromConfig = settings.accessKey !== '';
    const accessKeyId = fromConfig ? settings.accessKey : (env.AWS_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY ?? '');
    const secretAccessKey = fromConfig
      ? settings.secretKey
      : (env.AWS_SECRET_ACCESS_KEY ?? env.AWS_SECRET_KEY ?? '');
    const sessionToken = fromConfig ? settings.sessionToken : (env.AWS_SESSION_TOKEN ?? '');
    if (accessKeyId === '' || secretAccessKey === '')
      throw new Sigv4ConfigError(
        'query.upstream.sigv4: no credentials (set access_key and secret_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
      );
    this.#credentials = { accessKeyId, secretAccessKey, ...(sessionToken !== '' ? { sessionToken } : {}) };
  }

  /**
   * The request's headers plus Authorization, X-Amz-Date (unless given, e.g. by a test) and
   * X-Amz-Security-Token when there is a session token.
   */
  sign(req: SignableRequest): Record<string, string> {
    const headers: Record<string, string> = { ...req.headers, Host: req.host };
    const signed = aws4.sign(
      {
        method: req.method,
        host: req.host,
        path: req.path,
        headers,
        body: req.body,
        service: this.service,
        region: this.region,
      },
      this.#credentials,
    );
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers ?? {})) if (v !== undefined) out[k] = String(v);
    return out;
  }
}
