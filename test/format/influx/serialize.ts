// A small line-protocol writer for the tests (the round-trip property's other half).

import type { FieldType } from '../../../src/format/influx/index.ts';

export interface TestField {
  readonly key: string;
  readonly type: FieldType;
  /** number for float and bool (1/0), bigint for int/uint, string for string fields. */
  readonly value: number | bigint | string;
}

export interface TestPoint {
  readonly measurement: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly fields: readonly TestField[];
  /** In the unit of the precision used. */
  readonly timestamp?: bigint;
}

export const escapeMeasurement = (s: string) => s.replace(/[\\, ]/g, (c) => `\\${c}`);
export const escapeKey = (s: string) => s.replace(/[\\,= ]/g, (c) => `\\${c}`);
export const escapeString = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`);

const BOOL_WORDS = [
  ['f', 'F', 'false', 'False', 'FALSE'],
  ['t', 'T', 'true', 'True', 'TRUE'],
];

export function formatValue(f: TestField, variant = 0): string {
  switch (f.type) {
    case 0:
      return Object.is(f.value, -0) ? '-0' : String(f.value);
    case 1:
      return `${f.value}i`;
    case 2:
      return `${f.value}u`;
    case 3: {
      const words = BOOL_WORDS[f.value as number];
      return words[variant % words.length];
    }
    default:
      return `"${escapeString(f.value as string)}"`;
  }
}

export function serializePoint(p: TestPoint, variant = 0): string {
  let out = escapeMeasurement(p.measurement);
  for (const [k, v] of p.tags) out += `,${escapeKey(k)}=${escapeKey(v)}`;
  out += ' ';
  out += p.fields.map((f) => `${escapeKey(f.key)}=${formatValue(f, variant)}`).join(',');
  if (p.timestamp !== undefined) out += ` ${p.timestamp}`;
  return out;
}
