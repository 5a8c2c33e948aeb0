// Hermes UDP input throughput: the input runs in this process, a sender in another process blasts
// valid packets over loopback at increasing rates; the figure is the highest rate at which every
// packet sent was accepted (received == sent). Bounded to well under a minute.

import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { HermesInput } from '../src/inputs/hermes/input.ts';
import { createInputMetrics, Registry } from '../src/registry/index.ts';
import type { SenderJob, SenderResult } from './hermes-sender.ts';

const GOAL = 150_000;
const RATES = [
  50_000, 100_000, 150_000, 175_000, 200_000, 225_000, 250_000, 275_000, 300_000, 350_000, 400_000,
];
const STEP_MS = 2_000;
const BUDGET_MS = 50_000;

const DEFINITIONS = {
  service_name: 'bench',
  counters: [{ metric_name: 'jobs_total', metric_description: 'Jobs.', labels: ['queue', 'status'] }],
  gauges: [{ metric_name: 'queue_depth', metric_description: 'Depth.', labels: ['queue'] }],
  histograms: [{ metric_name: 'job_seconds', metric_description: 'Durations.', labels: ['queue'] }],
  summaries: [{ metric_name: 'payload_bytes', metric_description: 'Sizes.', labels: ['queue'] }],
};

/** A realistic mix, formatted as python-hermes sends them. */
function packets(): string[] {
  const out: string[] = [];
  for (const queue of ['mail', 'billing', 'reports', 'search']) {
    for (const status of ['ok', 'failed']) {
      out.push(
        `{"metric_name": "jobs_total", "payload": {"labels": {"queue": "${queue}", "status": "${status}"}}}`,
      );
    }
    out.push(
      `{"metric_name": "queue_depth", "payload": {"operation": "increment", "labels": {"queue": "${queue}"}, "value": null}}`,
      `{"metric_name": "queue_depth", "payload": {"operation": "set", "labels": {"queue": "${queue}"}, "value": 42.0}}`,
      `{"metric_name": "job_seconds", "payload": {"labels": {"queue": "${queue}"}, "observation": 0.0734}}`,
      `{"metric_name": "payload_bytes", "payload": {"labels": {"queue": "${queue}"}, "observation": 5120.0}}`,
    );
  }
  return out;
}

function runSender(job: SenderJob): Promise<SenderResult> {
  const child = fork(fileURLToPath(new URL('./hermes-sender.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as SenderResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`sender exited with ${code}`));
    });
    child.send(job);
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const started = Date.now();
  // The sender and the input each need most of a CPU: other load on the machine shows up as loss.
  console.log(`  (${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(2)} at start)`);
  const registry = new Registry();
  const metrics = createInputMetrics(new Registry());
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const input = new HermesInput({
    port: 0,
    definitions: DEFINITIONS,
    registry,
    inputMetrics: metrics,
    logger: quiet,
  });
  const { port } = await input.start();
  const received = () => metrics.received.getChild(['hermes'])?.value ?? 0;
  const dropped = () => metrics.dropped.children().reduce((n, c) => n + c.value, 0);

  // The processing cost alone, without sockets, for reference.
  const sample = packets().map((p) => Buffer.from(p));
  const t0 = performance.now();
  const N = 500_000;
  for (let i = 0; i < N; i++) input.handleDatagram(sample[i % sample.length]);
  const inProcess = N / ((performance.now() - t0) / 1000);

  // One step: send at `target` for STEP_MS, wait for the input to drain, compare.
  const step = async (target: number) => {
    const before = received();
    const droppedBefore = dropped();
    const result = await runSender({ port, rate: target, durationMs: STEP_MS, packets: packets() });
    let last = -1;
    while (received() !== last && received() - before < result.sent) {
      last = received();
      await new Promise((r) => setTimeout(r, 100));
    }
    const got = received() - before;
    const achieved = result.sent / (result.elapsedMs / 1000);
    const bad = dropped() - droppedBefore;
    console.log(
      `  target ${fmt(target)}/s: sent ${fmt(result.sent)} at ${fmt(achieved)}/s, accepted ${fmt(got)}, lost ${fmt(result.sent - got)}${bad ? `, dropped ${bad}` : ''}`,
    );
    // Within 2% of the target counts as the target (pacing granularity, timer jitter).
    return {
      target,
      rate: achieved >= target * 0.98 ? target : achieved,
      sent: result.sent,
      lost: result.sent - got + bad,
    };
  };

  let best: { rate: number; sent: number } | undefined;
  let firstLoss: { target: number; rate: number; lost: number; sent: number } | undefined;
  for (const target of RATES) {
    if (Date.now() - started > BUDGET_MS) break;
    let r = await step(target);
    // A shared machine has hiccups (another process taking the CPU): one retry tells them apart
    // from the input's limit.
    if (r.lost > 0 && Date.now() - started < BUDGET_MS) {
      console.log('  (loss: retrying this rate once)');
      r = await step(target);
    }
    if (r.lost > 0) {
      firstLoss = r;
      break;
    }
    best = r;
    if (r.rate < target) {
      console.log('  (the sender cannot go faster here; the input kept up with all of it)');
      break;
    }
  }
  await input.stop();

  const rate = best?.rate ?? 0;
  console.log(
    `hermes: ${fmt(rate)} packets/s accepted, 0 lost (goal >= ${fmt(GOAL)}/s)${rate >= GOAL ? '' : ' BELOW GOAL'}`,
  );
  if (firstLoss) {
    console.log(
      `hermes: loss at target ${fmt(firstLoss.target)}/s (sent at ${fmt(firstLoss.rate)}/s): ${fmt(firstLoss.lost)} of ${fmt(firstLoss.sent)} lost (${((100 * firstLoss.lost) / firstLoss.sent).toFixed(2)}%)`,
    );
  }
  console.log(`hermes: packet processing alone (no socket): ${fmt(inProcess)} packets/s`);
  console.log(`hermes: benchmark took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
