// VictoriaMetrics' JSON-lines import format — the format `/api/v1/export` writes: one series per line,
// {"metric":{"__name__":"up","job":"a"},"values":[1,0],"timestamps":[1549891472010,1549891487724]}.
// Values may be numbers or the strings "NaN", "+Inf", "-Inf" (and "Inf"), or null for NaN.

import { LabelError, Labels } from '../../model/labels.ts';

export interface ImportedSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

export class ImportLineError extends Error {}

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  '+Inf': Number.POSITIVE_INFINITY,
  Inf: Number.POSITIVE_INFINITY,
  '-Inf': Number.NEGATIVE_INFINITY,
};

/** Parses one line; throws ImportLineError saying what is wrong. */
export function parseImportLine(line: string): ImportedSeries {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new ImportLineError(`not JSON: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ImportLineError('expected a JSON object');
  const { metric, values, timestamps } = raw as Record<string, unknown>;
  if (metric === null || typeof metric !== 'object' || Array.isArray(metric))
    throw new ImportLineError('"metric" must be an object of label names to string values');
  const pairs: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') throw new ImportLineError(`label "${name}" must have a string value`);
    pairs.push({ name, value });
  }
  if (!Array.isArray(values) || !Array.isArray(timestamps))
    throw new ImportLineError('"values" and "timestamps" must be arrays');
  if (values.length !== timestamps.length)
    throw new ImportLineError(`${values.length} values but ${timestamps.length} timestamps`);
  let labels: Labels;
  try {
    labels = Labels.from(pairs).validate('utf8');
  } catch (err) {
    if (err instanceof LabelError) throw new ImportLineError(err.message);
    throw err;
  }
  if (labels.size === 0) throw new ImportLineError('a series needs at least one label');
  const ts = new Float64Array(values.length);
  const vs = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = timestamps[i];
    if (typeof t !== 'number' || !Number.isSafeInteger(t))
      throw new ImportLineError(`timestamp #${i} is not an integer of ms`);
    const v = values[i];
    const n =
      typeof v === 'number'
        ? v
        : v === null
          ? Number.NaN
          : typeof v === 'string'
            ? (SPECIAL[v] ?? Number(v))
            : Number.NaN;
    if (typeof v === 'string' && !(v in SPECIAL) && (v.trim() === '' || Number.isNaN(n)))
      throw new ImportLineError(`value #${i} "${v}" is not a number`);
    if (typeof v !== 'number' && typeof v !== 'string' && v !== null)
      throw new ImportLineError(`value #${i} is not a number`);
    ts[i] = t;
    vs[i] = n;
  }
  return { labels, timestamps: ts, values: vs };
}
