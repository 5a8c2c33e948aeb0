// `by (…)` / `without (…)` grouping: which group each input series falls in (computed once per
// series) and each group's output labels, as Prometheus' generateGroupingKey/-Labels define them.

import { type Label, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';

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
  if (without) {
    const kept: Label[] = [];
    for (const p of labels.pairs) if (p.name !== METRIC_NAME_LABEL && !grouping.has(p.name)) kept.push(p);
    return kept.length === labels.size ? labels : Labels.fromSorted(kept);
  }
  if (grouping.size === 0) return Labels.EMPTY;
  const kept: Label[] = [];
  for (const p of labels.pairs) if (grouping.has(p.name)) kept.push(p);
  return Labels.fromSorted(kept);
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
    const labels = groupingLabels(inputLabels[i], names, without);
    const key = labels.key;
    let g = byKey.get(key);
    if (g === undefined) {
      g = groupLabels.length;
      byKey.set(key, g);
      groupLabels.push(labels);
      members.push([]);
    }
    groupOf[i] = g;
    members[g].push(i);
  }
  return { groupOf, groupLabels, members };
}
