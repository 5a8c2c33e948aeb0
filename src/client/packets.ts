// Hermes packets exactly as python-hermes 0.0.4 writes them: pydantic model fields in declaration
// order, serialised by json.dumps. Gauges always carry "value" (null for increment/decrement), and
// numbers are Python floats ("54.0"). Go's Hermes server reads them all the same way.

import { pyFloat, pyString } from './python-json.ts';

export type HermesLabels = Readonly<Record<string, string>>;
export type GaugeOperation = 'increment' | 'decrement' | 'set';

function labelsJson(labels: HermesLabels | undefined): string {
  if (labels === undefined || labels === null) return '{}';
  let out = '';
  for (const key of Object.keys(labels)) {
    // pydantic's Dict[str, str] turns numbers into strings; we do the same for untyped callers.
    out += `${out === '' ? '' : ', '}${pyString(key)}: ${pyString(String(labels[key]))}`;
  }
  return `{${out}}`;
}

export function counterPacket(name: string, labels?: HermesLabels): string {
  return `{"metric_name": ${pyString(name)}, "payload": {"labels": ${labelsJson(labels)}}}`;
}

export function gaugePacket(
  name: string,
  operation: GaugeOperation,
  labels?: HermesLabels,
  value?: number,
): string {
  const v = value === undefined ? 'null' : pyFloat(value);
  return `{"metric_name": ${pyString(name)}, "payload": {"operation": "${operation}", "labels": ${labelsJson(labels)}, "value": ${v}}}`;
}

/** Histogram and summary packets share one shape. */
export function observationPacket(name: string, observation: number, labels?: HermesLabels): string {
  return `{"metric_name": ${pyString(name)}, "payload": {"labels": ${labelsJson(labels)}, "observation": ${pyFloat(observation)}}}`;
}
