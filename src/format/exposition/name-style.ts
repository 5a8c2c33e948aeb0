// How metric and label names are written for a negotiated name-escaping scheme.
//
// With `allow-utf-8` (text 1.0.0, OpenMetrics asked with escaping=allow-utf-8) a name that is not a
// legacy name is written quoted: `{"my.metric","error.message"="x"}`. With any other scheme the name
// is rewritten into a legacy name (`my_metric`), so clients that only know text 0.0.4 can read it.
//
// Label sets are rendered once per `Labels` instance and scheme and cached: the registry keeps one
// instance per series for its whole life, so a scrape only copies cached bytes.

import type { Labels } from '../../model/labels.ts';
import {
  escapeName,
  isLegacyLabelName,
  isLegacyMetricName,
  type NameEscaping,
  sanitizeLabelName,
  sanitizeMetricName,
} from '../../model/names.ts';
import type { ByteWriter } from './byte-writer.ts';
import { escapeLabelValue } from './escape.ts';

/** A metric name ready for a sample line or metadata. */
export interface RenderedName {
  /** The bare name, or the quoted name (`"my.metric"`) when `quoted`. */
  readonly text: string;
  /** Quoted names go inside the braces in sample lines (`{"my.metric",a="b"}`). */
  readonly quoted: boolean;
}

function escapedLegacy(name: string, scheme: NameEscaping, kind: 'metric' | 'label'): string {
  const out = escapeName(name, scheme, kind);
  // Guard against a scheme leaving an invalid name (e.g. a leading digit): never emit one bare.
  if (kind === 'metric') return isLegacyMetricName(out) ? out : sanitizeMetricName(out);
  return isLegacyLabelName(out) ? out : sanitizeLabelName(out);
}

export function renderMetricName(name: string, scheme: NameEscaping): RenderedName {
  if (isLegacyMetricName(name)) return { text: name, quoted: false };
  if (scheme === 'allow-utf-8') return { text: `"${escapeLabelValue(name)}"`, quoted: true };
  return { text: escapedLegacy(name, scheme, 'metric'), quoted: false };
}

const COMMA = 44;
const CLOSE = 125;
const QUOTE = 34;

const labelNameCaches = new Map<NameEscaping, Map<string, string>>();

export function renderLabelName(name: string, scheme: NameEscaping): string {
  let cache = labelNameCaches.get(scheme);
  if (cache === undefined) {
    cache = new Map();
    labelNameCaches.set(scheme, cache);
  }
  let out = cache.get(name);
  if (out === undefined) {
    if (isLegacyLabelName(name)) out = name;
    else if (scheme === 'allow-utf-8') out = `"${escapeLabelValue(name)}"`;
    else out = escapedLegacy(name, scheme, 'label');
    // Label names repeat across series; bound the cache in case they are unbounded garbage.
    if (cache.size > 10_000) cache.clear();
    cache.set(name, out);
  }
  return out;
}

/** `a="1",b="x\"y"` (without braces) for a label set; '' for the empty set. Not cached. */
export function labelText(labels: Labels, scheme: NameEscaping): string {
  let text = '';
  let seen: Set<string> | undefined;
  for (const p of labels.pairs) {
    const name = renderLabelName(p.name, scheme);
    if (name !== p.name && scheme !== 'allow-utf-8') {
      // Escaping can map two names onto one (`a.b`, `a-b` → `a_b`); keep the first, so the
      // output never has a duplicate label name.
      seen ??= new Set(labels.pairs.map((q) => q.name).filter((n) => renderLabelName(n, scheme) === n));
      if (seen.has(name)) continue;
      seen.add(name);
    }
    if (text !== '') text += ',';
    text += `${name}="${escapeLabelValue(p.value)}"`;
  }
  return text;
}

function cacheFor<T>(
  caches: Map<NameEscaping, WeakMap<Labels, T>>,
  scheme: NameEscaping,
): WeakMap<Labels, T> {
  let cache = caches.get(scheme);
  if (cache === undefined) {
    cache = new WeakMap();
    caches.set(scheme, cache);
  }
  return cache;
}

const labelTextCaches = new Map<NameEscaping, WeakMap<Labels, string>>();
const EMPTY_BYTES = new Uint8Array(0);

/** {@link labelText}, cached per `Labels` instance and scheme. */
export function renderLabels(labels: Labels, scheme: NameEscaping): string {
  const cache = cacheFor(labelTextCaches, scheme);
  let text = cache.get(labels);
  if (text === undefined) {
    text = labelText(labels, scheme);
    cache.set(labels, text);
  }
  return text;
}

/** The UTF-8 bytes of rendered label sets for one scheme, cached per `Labels` instance: what the writers copy. */
export class LabelBytesCache {
  readonly scheme: NameEscaping;
  readonly #cache = new WeakMap<Labels, Uint8Array>();

  constructor(scheme: NameEscaping) {
    this.scheme = scheme;
  }

  get(labels: Labels): Uint8Array {
    if (labels.size === 0) return EMPTY_BYTES;
    let bytes = this.#cache.get(labels);
    if (bytes === undefined) {
      bytes = Buffer.from(labelText(labels, this.scheme));
      this.#cache.set(labels, bytes);
    }
    return bytes;
  }
}

const labelBytesCaches = new Map<NameEscaping, LabelBytesCache>();

/** The process-wide label bytes cache for a scheme (resolve once per family, not per series). */
export function labelBytesCache(scheme: NameEscaping): LabelBytesCache {
  let cache = labelBytesCaches.get(scheme);
  if (cache === undefined) {
    cache = new LabelBytesCache(scheme);
    labelBytesCaches.set(scheme, cache);
  }
  return cache;
}

/**
 * The start of every sample line of one sample name, precomputed per family: `bare` when there
 * are no labels (`name`, `{"name"}`), else `open` + labels + `}` (`name{`, `{"name",`).
 */
export interface SampleName {
  readonly bare: Uint8Array;
  readonly open: Uint8Array;
}

export function sampleName(name: RenderedName): SampleName {
  return name.quoted
    ? { bare: Buffer.from(`{${name.text}}`), open: Buffer.from(`{${name.text},`) }
    : { bare: Buffer.from(name.text), open: Buffer.from(`${name.text}{`) };
}

/** A suffixed sample name (`_bucket`, `_sum`…): escaping applies to the family name, then the suffix. */
export function suffixed(
  family: RenderedName,
  base: string,
  suffix: string,
  scheme: NameEscaping,
): SampleName {
  if (family.quoted) return sampleName(renderMetricName(base + suffix, scheme));
  return sampleName({ text: family.text + suffix, quoted: false });
}

/** `name{labels}` (or `{"name",labels}`, or `name`), optionally with one more label (`le`, `quantile`). */
export function writeSampleHead(
  w: ByteWriter,
  n: SampleName,
  labels: Uint8Array,
  extraName?: string,
  extraValue?: string,
): void {
  if (extraName === undefined) {
    if (labels.length === 0) {
      w.bytes(n.bare);
      return;
    }
    w.bytes(n.open);
    w.bytes(labels);
    w.byte(CLOSE);
    return;
  }
  w.bytes(n.open);
  if (labels.length !== 0) {
    w.bytes(labels);
    w.byte(COMMA);
  }
  w.ascii(extraName);
  w.ascii('="');
  w.text(extraValue ?? '');
  w.byte(QUOTE);
  w.byte(CLOSE);
}
