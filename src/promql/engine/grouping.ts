// `by (…)` / `without (…)` grouping: which group each input series falls in (computed once per
// series) and each group's output labels, as Prometheus' generateGroupingKey/-Labels define them.

import { keyPart, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';

export interface GroupAssignment {
  /** Group index of each input series, in order of first appearance. */
  readonly groupOf: Int32Array;
  /** Output labels of each group. */
  readonly groupLabels: Labels[];
  /** Input series indexes of each group, in input order. */
  readonly members: number[][];
}

/** The label set an aggregation's group keeps of `labels`. */
export function groupingLabels(labels: Labels, grouping: ReadonlySet<string>, without: boolean): Labels {
  if (without) return labels.keeping((name) => name !== METRIC_NAME_LABEL && !grouping.has(name));
  if (grouping.size === 0) return Labels.EMPTY;
  return labels.keeping((name) => grouping.has(name));
}

export function assignGroups(
  inputLabels: readonly Labels[],
  grouping: readonly string[],
  without: boolean,
): GroupAssignment {
  const names = new Set(grouping);
  const groupOf = new Int32Array(inputLabels.length);
  const groupLabels: Labels[] = [];
  const members: number[][] = [];
  const byKey = new Map<string, number>();
  for (let i = 0; i < inputLabels.length; i++) {
    // The group's key straight from the input's compact form; its label set only for a new group.
    const key = groupKey(inputLabels[i].flat, names, without);
    let g = byKey.get(key);
    if (g === undefined) {
      g = groupLabels.length;
      byKey.set(key, g);
      groupLabels.push(groupingLabels(inputLabels[i], names, without));
      members.push([]);
    }
    groupOf[i] = g;
    members[g].push(i);
  }
  return { groupOf, groupLabels, members };
}

/** A string equal for two label sets exactly when their grouping labels are equal (as Labels.key). */
function groupKey(flat: readonly string[], grouping: ReadonlySet<string>, without: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i];
    const kept = without ? name !== METRIC_NAME_LABEL && !grouping.has(name) : grouping.has(name);
    if (kept) parts.push(keyPart(name, flat[i + 1]));
  }
  return parts.join('');
}
