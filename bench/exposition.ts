// Exposition writer and parser throughput: 100,000 series rendered as text 0.0.4 and OpenMetrics,
// then parsed back. Figures are medians of several runs after warm-up; "cold" is the first render
// of fresh label sets (no cached label text), what a scrape right after a big push costs.

import { gzipSync } from 'node:zlib';
import type { Bucket, MetricFamily } from '../src/format/exposition/family.ts';
import { writeOpenMetrics } from '../src/format/exposition/openmetrics-writer.ts';
import { parseExposition } from '../src/format/exposition/parser.ts';
import { writeText } from '../src/format/exposition/text-writer.ts';
import { Labels } from '../src/model/labels.ts';
import { Registry } from '../src/registry/registry.ts';

const RENDER_GOAL_MS = 150;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Number.POSITIVE_INFINITY];

/** `families × series` gauges with 3 labels each: the brief's reference load. */
function gauges(families: number, series: number): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (let f = 0; f < families; f++) {
    const metrics = [];
    for (let s = 0; s < series; s++) {
      const labels = Labels.from({
        instance: `host-${s % 50}.example.org:9100`,
        job: `job_${f % 7}`,
        shard: String(s),
      });
      metrics.push({ labels, value: ((s * 7919) % 100003) / 7 });
    }
    out.push({
      name: `app_gauge_${f}_bytes`,
      type: 'gauge',
      help: `Gauge number ${f}.`,
      unit: 'bytes',
      metrics,
    });
  }
  return out;
}

/** A realistic mix: 90 gauge families and 10 histogram families (12 buckets), 1000 series each. */
function mixed(): MetricFamily[] {
  const out = gauges(90, 1000);
  for (let f = 0; f < 10; f++) {
    const metrics = [];
    for (let s = 0; s < 1000; s++) {
      const labels = Labels.from({
        method: s % 2 === 0 ? 'GET' : 'POST',
        path: `/api/v1/item/${s}`,
        code: '200',
      });
      const buckets: Bucket[] = BOUNDS.map((upperBound, i) => ({
        upperBound,
        cumulativeCount: (i + 1) * (s % 5),
      }));
      const c = buckets[buckets.length - 1].cumulativeCount;
      metrics.push({ labels, buckets, count: c, sum: c * 0.123, createdMs: 1_700_000_000_000 + s });
    }
    out.push({
      name: `app_request_${f}_seconds`,
      type: 'histogram',
      help: 'Latency.',
      unit: 'seconds',
      metrics,
    });
  }
  return out;
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(fn: () => unknown, runs = 9, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(time(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function report(what: string, ms: number, goal?: number, extra = ''): void {
  const goalText = goal === undefined ? '' : ` (goal < ${goal} ms${ms < goal ? '' : ', MISSED'})`;
  console.log(`${what}: ${ms.toFixed(1)} ms${goalText}${extra}`);
}

function lines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export async function run(): Promise<void> {
  const series = 100_000;
  const g = gauges(100, 1000);
  report(
    `render text 0.0.4 ${series} gauge series, first render (fills the label cache)`,
    time(() => writeText(g)),
  );
  report(
    `render text 0.0.4 ${series} gauge series`,
    median(() => writeText(g), 11),
    RENDER_GOAL_MS,
  );
  report(
    `render OpenMetrics ${series} gauge series`,
    median(() => writeOpenMetrics(g), 11),
    RENDER_GOAL_MS,
  );

  // What GET /metrics does: collect the live registry, then render.
  const registry = new Registry();
  for (let f = 0; f < 100; f++) {
    const fam = registry.gauge({
      name: `app_gauge_${f}`,
      help: 'A gauge.',
      labelNames: ['instance', 'job', 'shard'],
    });
    for (let i = 0; i < 1000; i++) fam.labels(`host-${i % 50}:9100`, 'node', String(i)).set(i * 1.5);
  }
  report(
    `registry collect + render text 0.0.4, ${registry.seriesCount} live series (a /metrics request)`,
    median(() => writeText(registry.collect()), 11),
    RENDER_GOAL_MS,
  );

  const mix = mixed();
  time(() => writeText(mix));
  const text = writeText(mix);
  const om = writeOpenMetrics(mix);
  const perLine = (s: string, ms: number) =>
    `, ${lines(s)} lines, ${((ms * 1e6) / lines(s)).toFixed(0)} ns/line`;
  const tText = median(() => writeText(mix), 11);
  report(`render text 0.0.4 ${series} series (10% histograms)`, tText, undefined, perLine(text, tText));
  const tOm = median(() => writeOpenMetrics(mix), 11);
  report(`render OpenMetrics ${series} series (10% histograms)`, tOm, undefined, perLine(om, tOm));
  report(
    `gzip text (${(text.length / 1e6).toFixed(1)} MB)`,
    median(() => gzipSync(text), 5, 1),
  );

  const mb = (s: string) => Buffer.byteLength(s) / 1e6;
  const rate = (s: string, ms: number) => `, ${(mb(s) / (ms / 1000)).toFixed(0)} MB/s`;
  const gaugeText = writeText(g);
  const tParseGauges = median(() => parseExposition(gaugeText), 5, 2);
  report(
    `parse text 0.0.4 ${series} gauge series (${mb(gaugeText).toFixed(1)} MB)`,
    tParseGauges,
    undefined,
    rate(gaugeText, tParseGauges),
  );
  const tParseText = median(() => parseExposition(text), 5, 2);
  report(`parse text 0.0.4 mix (${mb(text).toFixed(1)} MB)`, tParseText, undefined, rate(text, tParseText));
  const tParseOm = median(() => parseExposition(om, { openMetrics: true }), 5, 2);
  report(`parse OpenMetrics mix (${mb(om).toFixed(1)} MB)`, tParseOm, undefined, rate(om, tParseOm));
}
