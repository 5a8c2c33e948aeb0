// From an InfluxDB point to Prometheus series, as VictoriaMetrics maps them: one series per numeric
// field, named `{measurement}_{field}`; tags become labels; the v1 `db` (v2 `bucket`) becomes a `db`
// label unless the line has a `db` tag. Names are made legal Prometheus names (see docs/influx.md).

import { type Label, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import { sanitizeLabelName, sanitizeMetricName } from '../../model/names.ts';

/** `{measurement}_{field}`, with every character outside `[a-zA-Z0-9_:]` turned into `_`. */
export function influxMetricName(measurement: string, field: string): string {
  return sanitizeMetricName(`${measurement}_${field}`);
}

/**
 * A tag key as a label name: characters outside `[a-zA-Z0-9_]` become `_`, a leading digit gets a
 * `_` prefix, and names starting with `__` (reserved by Prometheus) get a `tag` prefix.
 */
export function influxLabelName(tagKey: string): string {
  const name = sanitizeLabelName(tagKey);
  return name.startsWith('__') ? `tag${name}` : name;
}

/** Builds label sets for the fields of one line after another, caching sanitised tag keys. */
export class SeriesLabeler {
  readonly #labelNames = new Map<string, string>();
  readonly #pairs: Label[] = [];
  #count = 0;

  /**
   * Start a line: its tags plus `db` (when `db` is not '' and no tag is called `db`). Returns an
   * error sentence when two tags map to the same label name.
   */
  begin(
    tagKeys: readonly string[],
    tagValues: readonly string[],
    tagCount: number,
    db: string,
  ): string | undefined {
    const pairs = this.#pairs;
    let n = 0;
    let hasDb = false;
    for (let i = 0; i < tagCount; i++) {
      const name = this.#labelName(tagKeys[i]);
      if (name === 'db') hasDb = true;
      for (let k = 0; k < n; k++)
        if (pairs[k].name === name)
          return `tags "${pairs[k].name}" and "${tagKeys[i]}" map to the same label "${name}"`;
      pairs[n++] = { name, value: tagValues[i] };
    }
    if (!hasDb && db !== '') pairs[n++] = { name: 'db', value: db };
    this.#count = n;
    return undefined;
  }

  /** The label set of field `field` of measurement `measurement` on the current line. */
  labels(measurement: string, field: string): Labels {
    const pairs = this.#pairs;
    pairs.length = this.#count;
    pairs.push({ name: METRIC_NAME_LABEL, value: influxMetricName(measurement, field) });
    return Labels.from(pairs);
  }

  #labelName(key: string): string {
    let name = this.#labelNames.get(key);
    if (name === undefined) {
      name = influxLabelName(key);
      if (this.#labelNames.size >= 10_000) this.#labelNames.clear();
      this.#labelNames.set(key, name);
    }
    return name;
  }
}
