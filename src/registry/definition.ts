// What declares a family, and the checks every definition passes: the names, the label names
// (unique, not reserved, not the ones a type uses itself), the unit. Violations are programming
// or configuration mistakes and throw a RegistryError that names the culprit.

import type { MetricType } from '../model/metadata.ts';
import {
  isReservedLabelName,
  isValidLabelName,
  isValidMetricName,
  type NameValidation,
} from '../model/names.ts';
import { RegistryError } from './errors.ts';

/** Options common to every family type. */
export interface FamilyOptions {
  readonly name: string;
  /** HELP text (may be empty). */
  readonly help: string;
  /** Label names, in the order positional `labels(...)` takes their values. */
  readonly labelNames?: readonly string[];
  /** OpenMetrics unit; when set, the name must end with `_<unit>` (before `_total` for counters). */
  readonly unit?: string;
  /** Most children this family holds (default: the registry's `maxSeriesPerFamily`). */
  readonly maxSeries?: number;
}

/** Label names a type generates itself, so a user label of that name would clash. */
const TYPE_RESERVED_LABELS: Partial<Record<MetricType, string>> = {
  histogram: 'le',
  gaugehistogram: 'le',
  summary: 'quantile',
};

export function validateFamilyOptions(type: MetricType, opts: FamilyOptions, mode: NameValidation): void {
  const { name } = opts;
  if (typeof name !== 'string' || !isValidMetricName(name, mode)) {
    throw new RegistryError(`invalid metric name ${JSON.stringify(name)}`);
  }
  if (typeof opts.help !== 'string') throw new RegistryError(`metric "${name}": help must be a string`);
  const labelNames = opts.labelNames ?? [];
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (typeof label !== 'string' || !isValidLabelName(label, mode)) {
      throw new RegistryError(`metric "${name}": invalid label name ${JSON.stringify(label)}`);
    }
    if (isReservedLabelName(label)) {
      throw new RegistryError(`metric "${name}": label name "${label}" is reserved (starts with "__")`);
    }
    if (label === TYPE_RESERVED_LABELS[type]) {
      throw new RegistryError(`metric "${name}": label name "${label}" is not allowed on a ${type}`);
    }
    if (seen.has(label)) throw new RegistryError(`metric "${name}": duplicate label name "${label}"`);
    seen.add(label);
  }
  const unit = opts.unit ?? '';
  if (unit !== '') {
    if (!/^[a-zA-Z0-9_:]+$/.test(unit)) throw new RegistryError(`metric "${name}": invalid unit "${unit}"`);
    const base = type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
    if (!base.endsWith(`_${unit}`)) {
      throw new RegistryError(`metric "${name}": the name must end with "_${unit}" to carry unit "${unit}"`);
    }
  }
  if (opts.maxSeries !== undefined && !(Number.isInteger(opts.maxSeries) && opts.maxSeries > 0)) {
    throw new RegistryError(`metric "${name}": maxSeries must be a positive integer`);
  }
}

/**
 * The sample names a family writes (text 0.0.4 and OpenMetrics), used to refuse a second family
 * whose samples would be indistinguishable from this one's (a gauge `x_count` next to a summary `x`).
 */
export function sampleNames(type: MetricType, name: string): string[] {
  switch (type) {
    case 'counter': {
      const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
      return [base, `${base}_total`, `${base}_created`];
    }
    case 'histogram':
    case 'gaugehistogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`, `${name}_created`];
    default:
      return [name];
  }
}
