// Targets from a scrape_config, as Prometheus builds them: the discovered label set (static labels,
// `__address__`, `job`, `__scheme__`, `__metrics_path__`, `__scrape_interval__`,
// `__scrape_timeout__`, `__param_<name>`), relabelled, `instance` defaulting to `__address__`, and
// the labels starting with `__` dropped. Also how a target's labels meet the scraped ones
// (honor_labels) and the `job`/`instance` relabelling subset.

import { formatDuration } from '../../model/duration.ts';
import { hashString } from '../../model/hash.ts';
import { type Label, Labels, METRIC_NAME_LABEL } from '../../model/labels.ts';
import { compileRelabelRegex, type RelabelConfig, type ScrapeConfig } from './config.ts';

export interface TargetSpec {
  /** The scrape pool: the job_name of the scrape_config. */
  readonly pool: string;
  readonly config: ScrapeConfig;
  /** Labels before relabelling, `__`-labels included (as /api/v1/targets shows them). */
  readonly discoveredLabels: Labels;
  /** The target's public labels: what every scraped series gets. Always has `job` and `instance`. */
  readonly labels: Labels;
  readonly url: string;
}

/** Every target of a job, in config order, duplicates (same labels and URL) removed. */
export function targetsOf(config: ScrapeConfig): TargetSpec[] {
  const out: TargetSpec[] = [];
  const seen = new Set<string>();
  const regexes = config.relabel_configs.map((r) => compileRelabelRegex(r.regex));
  for (const sc of config.static_configs) {
    for (const address of sc.targets) {
      const lb = new Map<string, string>(Object.entries(sc.labels));
      lb.set('__address__', address);
      const defaults: [string, string][] = [
        ['job', config.job_name],
        ['__scrape_interval__', formatDuration(config.scrape_interval)],
        ['__scrape_timeout__', formatDuration(config.scrape_timeout)],
        ['__metrics_path__', config.metrics_path],
        ['__scheme__', config.scheme],
      ];
      for (const [k, vs] of Object.entries(config.params))
        if (vs.length > 0) defaults.push([`__param_${k}`, vs[0]]);
      for (const [k, v] of defaults) if (!lb.get(k)) lb.set(k, v);
      const discoveredLabels = Labels.from(toRecord(lb));
      config.relabel_configs.forEach((r, i) => {
        applyRelabel(r, regexes[i], lb);
      });
      if (!lb.get('instance')) lb.set('instance', lb.get('__address__') ?? address);
      const pub: Record<string, string> = {};
      for (const [k, v] of lb) if (!k.startsWith('__')) pub[k] = v;
      const labels = Labels.from(pub);
      const url = scrapeUrl(config, address);
      const key = `${labels.key}\u0000${url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ pool: config.job_name, config, discoveredLabels, labels, url });
    }
  }
  return out;
}

function toRecord(m: Map<string, string>): Record<string, string> {
  return Object.fromEntries(m);
}

function scrapeUrl(config: ScrapeConfig, address: string): string {
  const query = new URLSearchParams();
  for (const [k, vs] of Object.entries(config.params)) for (const v of vs) query.append(k, v);
  const qs = query.toString();
  return `${config.scheme}://${address}${config.metrics_path}${qs === '' ? '' : `?${qs}`}`;
}

/** Prometheus' `replace` action on a mutable label map. */
export function applyRelabel(r: RelabelConfig, regex: RegExp, lb: Map<string, string>): void {
  const value = r.source_labels.map((n) => lb.get(n) ?? '').join(r.separator);
  const m = regex.exec(value);
  if (m === null) return;
  const res = expandTemplate(r.replacement, m);
  if (res === '') lb.delete(r.target_label);
  else lb.set(r.target_label, res);
}

/**
 * Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest run of letters,
 * digits and `_` (so `$1x` is the group named "1x", which is empty); unknown groups are empty.
 */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const run = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (run !== null) {
        name = run[0];
        end = i + 1 + name.length;
      }
    }
    if (name === undefined) {
      // Malformed: the `$` is literal text, as in Go.
      out += '$';
      i++;
      continue;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

/**
 * A scraped series' labels with the target's labels attached. honor_labels: scraped values win and
 * the target's only fill gaps. Otherwise the target's win and each clashing scraped label moves to
 * `exported_<name>` (`exported_exported_<name>` if that is taken too), shortest names first.
 */
export function attachTargetLabels(exposed: Labels, target: Labels, honorLabels: boolean): Labels {
  const lb = new Map<string, string>();
  for (const p of exposed.pairs) lb.set(p.name, p.value);
  if (honorLabels) {
    for (const p of target.pairs) if (!lb.get(p.name)) lb.set(p.name, p.value);
  } else {
    const conflicts: Label[] = [];
    for (const p of target.pairs) {
      const existing = lb.get(p.name);
      if (existing) conflicts.push({ name: p.name, value: existing });
      lb.set(p.name, p.value);
    }
    conflicts.sort((a, b) => a.name.length - b.name.length);
    for (const c of conflicts) {
      let name = c.name;
      for (;;) {
        name = `exported_${name}`;
        if (!lb.get(name)) {
          lb.set(name, c.value);
          break;
        }
      }
    }
  }
  return Labels.from(toRecord(lb));
}

/** The labels of a series the scraper itself writes about a target (`up`, `scrape_*`). */
export function reportLabels(name: string, target: Labels): Labels {
  return target.with(METRIC_NAME_LABEL, name);
}

/**
 * Where in the interval a target is scraped: a stable offset from its identity, so a pool's targets
 * spread over the interval instead of all firing at once, and keep their slot across restarts.
 */
export function scrapeOffsetMs(spec: TargetSpec, intervalMs: number, seed = 0): number {
  return hashString(`${spec.pool}\u0000${spec.url}\u0000${spec.labels.key}`, seed) % intervalMs;
}
