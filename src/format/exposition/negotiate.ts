// Content negotiation for /metrics, as Prometheus' content_negotiation.md describes it: take the
// highest-weighted protocol we support from `Accept`, falling back to text 0.0.4; honour the
// `escaping=` parameter for names; answer with a Content-Type that names the version (and the
// escaping, for the ≥1.0.0 formats that can carry UTF-8 names). Protobuf is not offered.

import type { NameEscaping } from '../../model/names.ts';

export type ExpositionProtocol = 'text-0.0.4' | 'text-1.0.0' | 'openmetrics-0.0.1' | 'openmetrics-1.0.0';

export interface ExpositionFormat {
  readonly protocol: ExpositionProtocol;
  /** OpenMetrics (`# EOF`, `_total`/`_created`, seconds) rather than Prometheus text. */
  readonly openMetrics: boolean;
  /** How names that are not legacy names are written. */
  readonly escaping: NameEscaping;
  /** The exact Content-Type header to send. */
  readonly contentType: string;
}

const TEXT_MIME = 'text/plain';
const OPENMETRICS_MIME = 'application/openmetrics-text';
const ESCAPINGS: readonly NameEscaping[] = ['allow-utf-8', 'underscores', 'dots', 'values'];
const DEFAULT_ESCAPING: NameEscaping = 'underscores';

/** The format for a protocol and escaping; the escaping is downgraded where the format cannot quote names. */
export function expositionFormat(
  protocol: ExpositionProtocol,
  escaping: NameEscaping = DEFAULT_ESCAPING,
): ExpositionFormat {
  const utf8Capable = protocol === 'text-1.0.0' || protocol === 'openmetrics-1.0.0';
  const esc = !utf8Capable && escaping === 'allow-utf-8' ? DEFAULT_ESCAPING : escaping;
  const suffix = utf8Capable ? `; escaping=${esc}` : '';
  switch (protocol) {
    case 'text-0.0.4':
      return {
        protocol,
        openMetrics: false,
        escaping: esc,
        contentType: `${TEXT_MIME}; version=0.0.4; charset=utf-8`,
      };
    case 'text-1.0.0':
      return {
        protocol,
        openMetrics: false,
        escaping: esc,
        contentType: `${TEXT_MIME}; version=1.0.0; charset=utf-8${suffix}`,
      };
    case 'openmetrics-0.0.1':
      return {
        protocol,
        openMetrics: true,
        escaping: esc,
        contentType: `${OPENMETRICS_MIME}; version=0.0.1; charset=utf-8`,
      };
    case 'openmetrics-1.0.0':
      return {
        protocol,
        openMetrics: true,
        escaping: esc,
        contentType: `${OPENMETRICS_MIME}; version=1.0.0; charset=utf-8${suffix}`,
      };
  }
}

/** The fallback when nothing acceptable is offered: text 0.0.4. */
export const DEFAULT_FORMAT: ExpositionFormat = expositionFormat('text-0.0.4');

/** One media range of an Accept header. */
interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

/** Split a header list on commas outside quoted strings. */
function splitList(header: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted && i + 1 < header.length) {
      cur += ch + header[++i];
      continue;
    }
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/** q-values: 0…1; anything unparsable counts as 0 (not acceptable), as Go's goautoneg does. */
function parseQ(v: string): number {
  if (!/^\s*(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?|\.\d{1,3})\s*$/.test(v)) return 0;
  return Number(v);
}

function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of splitList(header, ',')) {
    const [mime, ...rawParams] = splitList(part, ';');
    const slash = mime.indexOf('/');
    if (slash < 0) continue;
    const type = mime.slice(0, slash).trim().toLowerCase();
    const subtype = mime
      .slice(slash + 1)
      .trim()
      .toLowerCase();
    if (type === '' || subtype === '') continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq < 0) continue;
      const key = raw.slice(0, eq).trim().toLowerCase();
      const value = unquote(raw.slice(eq + 1).trim());
      if (key === 'q') q = parseQ(value);
      else params.set(key, value);
    }
    out.push({ type, subtype, params, q });
  }
  return out;
}

/** Which of our protocols a media range asks for, if any. */
function protocolOf(r: MediaRange): ExpositionProtocol | undefined {
  const version = r.params.get('version');
  if (r.type === 'application' && r.subtype === 'openmetrics-text') {
    // No version means the oldest OpenMetrics version, 1.0.0 (the OpenMetrics spec).
    if (version === undefined || version === '1.0.0') return 'openmetrics-1.0.0';
    if (version === '0.0.1') return 'openmetrics-0.0.1';
    return undefined;
  }
  if (r.type === 'text' && r.subtype === 'plain') {
    if (version === undefined || version === '0.0.4') return 'text-0.0.4';
    if (version === '1.0.0') return 'text-1.0.0';
    return undefined;
  }
  if ((r.type === 'text' && r.subtype === '*') || (r.type === '*' && r.subtype === '*')) return 'text-0.0.4';
  return undefined;
}

function specificity(r: MediaRange): number {
  return r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2;
}

/**
 * Pick the exposition format for an `Accept` header. Prometheus' default scrape header gives
 * OpenMetrics 1.0.0 with `allow-utf-8`; no header, `*∕*` or nothing we support gives text 0.0.4.
 */
export function negotiateFormat(accept: string | readonly string[] | undefined): ExpositionFormat {
  const header = Array.isArray(accept) ? accept.join(',') : (accept as string | undefined);
  if (header === undefined || header.trim() === '') return DEFAULT_FORMAT;
  let best: { range: MediaRange; protocol: ExpositionProtocol } | undefined;
  for (const range of parseAccept(header)) {
    if (range.q <= 0) continue;
    const protocol = protocolOf(range);
    if (protocol === undefined) continue;
    // Higher q wins; on a tie the more specific range, then the earlier one.
    if (
      best === undefined ||
      range.q > best.range.q ||
      (range.q === best.range.q && specificity(range) > specificity(best.range))
    ) {
      best = { range, protocol };
    }
  }
  if (best === undefined) return DEFAULT_FORMAT;
  const requested = best.range.params.get('escaping') as NameEscaping | undefined;
  const escaping = requested !== undefined && ESCAPINGS.includes(requested) ? requested : DEFAULT_ESCAPING;
  return expositionFormat(best.protocol, escaping);
}

export type ContentCoding = 'gzip' | 'identity';

/**
 * Pick the response coding for an `Accept-Encoding` header: gzip when it is acceptable (listed, or
 * covered by `*`, with q > 0) and not weighted below identity; identity otherwise.
 */
export function negotiateEncoding(acceptEncoding: string | readonly string[] | undefined): ContentCoding {
  const header = Array.isArray(acceptEncoding)
    ? acceptEncoding.join(',')
    : (acceptEncoding as string | undefined);
  if (header === undefined || header.trim() === '') return 'identity';
  let gzip: number | undefined;
  let identity: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';');
    const name = coding.trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') q = parseQ(v ?? '');
    }
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (name === 'identity') identity = q;
    else if (name === '*') star = q;
  }
  const gz = gzip ?? star ?? 0;
  return gz > 0 && gz >= (identity ?? 0) ? 'gzip' : 'identity';
}

/**
 * The parser syntax for a pushed body's Content-Type: OpenMetrics for `application/openmetrics-text`,
 * Prometheus text for anything else (including a missing header, as the Pushgateway assumes).
 */
export function isOpenMetricsContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';')[0].trim().toLowerCase() === OPENMETRICS_MIME;
}
