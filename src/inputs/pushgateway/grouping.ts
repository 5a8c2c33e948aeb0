// Grouping keys: `/metrics/job/<job>{/<label>/<value>}` as the Pushgateway parses it. A `@base64`
// suffix on `job` or a label name means the next segment is URL-safe base64 (RFC 4648 §5, padding
// optional; a lone `=` is the empty value) — the only way to carry `/` in a value. Unlike the
// Pushgateway, each segment is percent-decoded after splitting, so `%2F` in a value is a `/` too (as
// prom-client sends it) rather than a path separator.

import { isLegacyLabelName, isReservedLabelName } from '../../model/names.ts';

export class GroupingKeyError extends Error {}

/** Grouping labels: `job` plus the path's pairs, in insertion order (not sorted). */
export type GroupingLabels = Readonly<Record<string, string>>;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decode a URL-safe base64 value as the Pushgateway does (trailing `=` trimmed, RawURLEncoding). */
export function decodeBase64Value(name: string, encoded: string): string {
  const trimmed = encoded.replace(/=+$/, '');
  const normal = trimmed;
  const bad = normal.search(/[^A-Za-z0-9_-]/);
  if (!BASE64URL.test(normal) || normal.length % 4 === 1)
    throw new GroupingKeyError(
      `invalid base64 encoding for label ${name}=${JSON.stringify(encoded)}: illegal base64 data at input byte ${bad < 0 ? normal.length - 1 : bad}`,
    );
  const bytes = Buffer.from(normal, 'base64url');
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes))
    throw new GroupingKeyError(`label ${name}: base64 value ${JSON.stringify(encoded)} is not valid UTF-8`);
  return text;
}

/** Encode a value for a `<label>@base64/<value>` path segment (a lone `=` for the empty value). */
export function encodeBase64Value(value: string): string {
  return value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url');
}

function percentDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GroupingKeyError(`invalid percent-encoding in path segment ${JSON.stringify(segment)}`);
  }
}

/**
 * Parse the part of a push path after `/metrics/`: `job/<job>` or `job@base64/<job>`, then pairs.
 * `rest` is the raw (still percent-encoded) path, without query string.
 */
export function parseGroupingPath(rest: string): GroupingLabels {
  const parts = rest.split('/');
  const jobKey = parts[0];
  if (jobKey !== 'job' && jobKey !== 'job@base64')
    throw new GroupingKeyError('the path must start with /metrics/job/');
  if (parts.length < 2) throw new GroupingKeyError('job name is required');
  let job = percentDecode(parts[1]);
  if (jobKey === 'job@base64') job = decodeBase64Value('job', job);
  if (job === '') throw new GroupingKeyError('job name is required');
  const pairs = parts.slice(2);
  // `/metrics/job/x/` (a trailing slash alone) is the Pushgateway's `/metrics/job/:job/*labels`
  // with an empty label string.
  if (pairs.length === 1 && pairs[0] === '') pairs.length = 0;
  if (pairs.length % 2 !== 0)
    throw new GroupingKeyError(
      `odd number of components in label string ${JSON.stringify(`/${pairs.join('/')}`)}`,
    );
  const labels: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    let name = percentDecode(pairs[i]);
    let value = percentDecode(pairs[i + 1]);
    if (name.endsWith('@base64')) {
      name = name.slice(0, -'@base64'.length);
      value = decodeBase64Value(name, value);
    }
    if (!isLegacyLabelName(name) || isReservedLabelName(name))
      throw new GroupingKeyError(`improper label name ${JSON.stringify(name)}`);
    // A repeated name: the last one wins, as in the Pushgateway.
    labels[name] = value;
  }
  labels.job = job;
  return labels;
}

/** A canonical string identity of grouping labels (sorted, length-prefixed). */
export function groupingKey(labels: GroupingLabels): string {
  return Object.keys(labels)
    .sort()
    .map((n) => `${n.length}:${n}${labels[n].length}:${labels[n]}`)
    .join('');
}

/** The push path of a group, base64-encoding values that need it (the inverse of parseGroupingPath). */
export function groupingPath(labels: GroupingLabels): string {
  const seg = (name: string, value: string): string =>
    value === '' || value.includes('/') || value !== encodeURIComponent(value)
      ? `${name}@base64/${encodeBase64Value(value)}`
      : `${name}/${value}`;
  let out = `/metrics/${seg('job', labels.job ?? '')}`;
  for (const n of Object.keys(labels).sort()) if (n !== 'job') out += `/${seg(n, labels[n])}`;
  return out;
}
