// Prometheus naming rules. Legacy names are what text 0.0.4 can carry bare; since Prometheus 3.x any
// non-empty UTF-8 string is a valid name, written quoted when it is not a legacy name.

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Is `name` a metric name in the classic `[a-zA-Z_:][a-zA-Z0-9_:]*` form? */
export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** Is `name` a label name in the classic `[a-zA-Z_][a-zA-Z0-9_]*` form? */
export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** A UTF-8 name (Prometheus 3.x): non-empty and well-formed (no lone surrogates). */
export function isUtf8Name(name: string): boolean {
  return name.length > 0 && name.isWellFormed();
}

/** Label names starting with `__` are reserved for Prometheus' internal use (except `__name__`). */
export function isReservedLabelName(name: string): boolean {
  return name.startsWith('__');
}

export type NameValidation = 'legacy' | 'utf8';

export function isValidMetricName(name: string, mode: NameValidation = 'utf8'): boolean {
  return mode === 'legacy' ? isLegacyMetricName(name) : isUtf8Name(name);
}

export function isValidLabelName(name: string, mode: NameValidation = 'utf8'): boolean {
  return mode === 'legacy' ? isLegacyLabelName(name) : isUtf8Name(name);
}

/**
 * Turn any string into a legacy metric name: invalid characters become `_`, a leading digit gets a
 * `_` prefix, an empty string becomes `_`. Used for names that come from foreign systems
 * (Influx measurements, StatsD buckets, HEROS observables).
 */
export function sanitizeMetricName(raw: string): string {
  if (isLegacyMetricName(raw)) return raw;
  let out = raw.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** Like {@link sanitizeMetricName} for label names, where `:` is not allowed either. */
export function sanitizeLabelName(raw: string): string {
  if (isLegacyLabelName(raw)) return raw;
  let out = raw.replace(/[^a-zA-Z0-9_]/g, '_');
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/**
 * The escaping schemes of Prometheus content negotiation (`escaping=` in Accept), for clients that
 * cannot take UTF-8 names. `allow-utf-8` leaves names alone.
 */
export type NameEscaping = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

export function escapeName(name: string, scheme: NameEscaping, kind: 'metric' | 'label' = 'metric'): string {
  const legacy = kind === 'metric' ? isLegacyMetricName(name) : isLegacyLabelName(name);
  if (scheme === 'allow-utf-8' || legacy) return name;
  switch (scheme) {
    case 'underscores':
      return kind === 'metric' ? sanitizeMetricName(name) : sanitizeLabelName(name);
    case 'dots': {
      // `_` → `__`, `.` → `_dot_`, anything else invalid → `__`.
      let out = '';
      for (const ch of name) {
        const digitOk = out !== '' && /[0-9]/.test(ch); // a name cannot start with a digit
        if (ch === '_') out += '__';
        else if (ch === '.') out += '_dot_';
        else if (/[a-zA-Z]/.test(ch) || digitOk || (ch === ':' && kind === 'metric')) out += ch;
        else out += '__';
      }
      return out;
    }
    case 'values': {
      // `U__` prefix, every invalid character as `_<hex codepoint>_`, `_` as `__`.
      let out = 'U__';
      let first = true;
      for (const ch of name) {
        const cp = ch.codePointAt(0)!;
        const ok = /[a-zA-Z_:]/.test(ch) || (!first && /[0-9]/.test(ch));
        if (ch === '_') out += '__';
        else if (ok && !(ch === ':' && kind === 'label')) out += ch;
        else out += `_${cp.toString(16)}_`;
        first = false;
      }
      return out;
    }
  }
}
