// StatsD over UDP for bench/ingest.ts: the input in this process, from the build (from-build.ts), a
// sender in another, one line per datagram (as most clients send them), the highest rate with zero
// loss; in turns with the same input on a receive thread (`receive_thread`), and with a bare node:dgram socket that only
// counts: the ceiling of this machine for a Node receiver.

import { createInputMetrics, fromBuild, Registry } from './from-build.ts';
import {
  bareReceiver,
  findZeroLossRates,
  type UdpReceiverUnderTest,
  type ZeroLossResult,
} from './udp-zero-loss.ts';

const { StatsdInput } =
  await fromBuild<typeof import('../src/inputs/statsd/input.ts')>('inputs/statsd/input');

const RATES = [50_000, 100_000, 125_000, 150_000, 175_000, 200_000, 250_000, 300_000];

/** A realistic mix of hot-shots-style lines with DogStatsD tags. */
function lines(): string[] {
  const out: string[] = [];
  for (const route of ['/api/users', '/api/orders', '/health', '/login']) {
    out.push(
      `http.requests:1|c|#route:${route},code:200`,
      `http.request.duration:${(Math.random() * 200).toFixed(1)}|ms|#route:${route}`,
      `http.inflight:+1|g|#route:${route}`,
      `http.response.bytes:${Math.floor(Math.random() * 10_000)}|h|#route:${route}`,
    );
  }
  return out;
}

export interface StatsdMeasurement {
  /** Lines/s handleDatagram() takes on the main thread, no sockets involved. */
  readonly inProcess: number;
  /** The input as configured by default: the UDP socket on a thread of its own. */
  readonly receiveThread: ZeroLossResult;
  /** The input with `receiveThread: false`: the socket on the main thread. */
  readonly mainThread: ZeroLossResult;
  /** A plain node:dgram socket that only counts. All three are measured in turns. */
  readonly bare: ZeroLossResult;
}

type Input = InstanceType<typeof StatsdInput>;

async function startInput(receiveThread: boolean): Promise<{ input: Input; under: UdpReceiverUnderTest }> {
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const metrics = createInputMetrics(new Registry());
  const input = new StatsdInput({
    registry: new Registry(),
    inputMetrics: metrics,
    logger: quiet,
    listenUdp: '127.0.0.1:0',
    listenTcp: '',
    receiveThread,
  });
  const { udp } = await input.start();
  return {
    input,
    under: {
      name: receiveThread ? 'telemux statsd, receive thread (default)' : 'telemux statsd, main thread',
      port: udp!.port,
      received: () => metrics.received.getChild(['statsd'])?.value ?? 0,
      dropped: () => metrics.dropped.children().reduce((n, c) => n + c.value, 0),
    },
  };
}

export async function measureStatsd(budgetMs: number): Promise<StatsdMeasurement> {
  const main = await startInput(false);
  const threaded = await startInput(true);
  const bare = await bareReceiver();
  try {
    const sample = lines().map((l) => Buffer.from(l));
    const t0 = performance.now();
    const N = 300_000;
    for (let i = 0; i < N; i++) main.input.handleDatagram(sample[i % sample.length]);
    const inProcess = N / ((performance.now() - t0) / 1000);
    const [mainThread, receiveThread, reference] = await findZeroLossRates(
      [main.under, threaded.under, bare],
      {
        packets: lines(),
        rates: RATES,
        stepMs: 2000,
        budgetMs,
      },
    );
    return { inProcess, receiveThread, mainThread, bare: reference };
  } finally {
    bare.socket.close();
    await main.input.stop();
    await threaded.input.stop();
  }
}
