// Hermes UDP input throughput: the input runs in this process, a sender in another process blasts
// valid packets over loopback at increasing rates; the figure is the highest rate at which every
// packet sent was accepted (received == sent), measured in turns with a bare node:dgram receiver
// that only counts (the ceiling of this machine for a Node receiver), and the input in both modes
// (receive thread, the default, and main thread). Bounded to about 2 minutes.

import { availableParallelism, loadavg } from 'node:os';
import { createInputMetrics, fromBuild, Registry } from './from-build.ts';
import { bareReceiver, findZeroLossRates } from './udp-zero-loss.ts';

const { HermesInput } =
  await fromBuild<typeof import('../src/inputs/hermes/input.ts')>('inputs/hermes/input');

const GOAL = 150_000;
const RATES = [
  50_000, 100_000, 150_000, 175_000, 200_000, 225_000, 250_000, 275_000, 300_000, 350_000, 400_000,
];
const STEP_MS = 2_000;
const BUDGET_MS = 120_000;

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

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const started = Date.now();
  // The sender and the input each need most of a CPU: other load on the machine shows up as loss.
  console.log(`  (${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(2)} at start)`);
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  /** An input with its own registries, on a free port: the default receive thread, or the main thread. */
  const startInput = async (receiveThread: boolean) => {
    const metrics = createInputMetrics(new Registry());
    const input = new HermesInput({
      port: 0,
      definitions: DEFINITIONS,
      registry: new Registry(),
      inputMetrics: metrics,
      logger: quiet,
      receiveThread,
    });
    const { port } = await input.start();
    const under = {
      name: receiveThread ? 'telemux hermes, receive thread (default)' : 'telemux hermes, main thread',
      port,
      received: () => metrics.received.getChild(['hermes'])?.value ?? 0,
      dropped: () => metrics.dropped.children().reduce((n, c) => n + c.value, 0),
    };
    return { input, under };
  };
  const threaded = await startInput(true);
  const main = await startInput(false);

  // The processing cost alone, without sockets, for reference.
  const sample = packets().map((p) => Buffer.from(p));
  const t0 = performance.now();
  const N = 500_000;
  for (let i = 0; i < N; i++) main.input.handleDatagram(sample[i % sample.length]);
  const inProcess = N / ((performance.now() - t0) / 1000);

  const bare = await bareReceiver();
  const results = await findZeroLossRates([threaded.under, main.under, bare], {
    packets: packets(),
    rates: RATES,
    stepMs: STEP_MS,
    budgetMs: BUDGET_MS - (Date.now() - started),
  });
  bare.socket.close();
  await threaded.input.stop();
  await main.input.stop();

  const ceiling = results[2].best?.rate ?? 0;
  for (const [k, mode] of ['receive thread (the default)', 'main thread (receive_thread: false)'].entries()) {
    const { best, firstLoss } = results[k];
    const rate = best?.rate ?? 0;
    console.log(
      `hermes, ${mode}: ${fmt(rate)} packets/s accepted, 0 lost (goal >= ${fmt(GOAL)}/s)${rate >= GOAL ? '' : ' BELOW GOAL'}; ratio to the bare receiver ${ceiling > 0 ? (rate / ceiling).toFixed(2) : 'n/a'}`,
    );
    if (firstLoss) {
      console.log(
        `hermes, ${mode}: loss at target ${fmt(firstLoss.target)}/s (sent at ${fmt(firstLoss.rate)}/s): ${fmt(firstLoss.lost)} of ${fmt(firstLoss.sent)} lost (${((100 * firstLoss.lost) / firstLoss.sent).toFixed(2)}%)`,
      );
    }
  }
  console.log(`hermes: a bare node:dgram receiver on this machine now: ${fmt(ceiling)}/s`);
  console.log(`hermes: packet processing alone (no socket): ${fmt(inProcess)} packets/s`);
  console.log(`hermes: benchmark took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
