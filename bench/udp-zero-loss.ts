// The highest rate at which a UDP input accepts every datagram: a sender in another process
// (hermes-sender.ts) sends at increasing rates; at each step the input's received counter must grow
// by exactly what was sent. Shared by the Hermes and StatsD benchmarks. Several receivers (an input
// and its reference) are measured in turns at each rate, the order alternating, so that both see the
// same spells of this VM's drifting speed.

import { fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { SenderJob, SenderResult } from './hermes-sender.ts';

/** One receiver under test. */
export interface UdpReceiverUnderTest {
  readonly name: string;
  readonly port: number;
  /** Its count of accepted datagrams (or lines: one line per datagram here). */
  readonly received: () => number;
  /** Its count of dropped ones. */
  readonly dropped: () => number;
}

export interface ZeroLossSteps {
  readonly packets: readonly string[];
  readonly rates: readonly number[];
  readonly stepMs: number;
  readonly budgetMs: number;
}

export interface ZeroLossResult {
  readonly best: { rate: number; sent: number } | undefined;
  readonly firstLoss: { target: number; rate: number; lost: number; sent: number } | undefined;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

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

/** One step: `target` datagrams/s for stepMs at `r`, then what it accepted. */
async function step(r: UdpReceiverUnderTest, o: ZeroLossSteps, target: number) {
  const before = r.received();
  const droppedBefore = r.dropped();
  const result = await runSender({ port: r.port, rate: target, durationMs: o.stepMs, packets: o.packets });
  // Wait for the input to drain.
  let last = -1;
  while (r.received() !== last && r.received() - before < result.sent) {
    last = r.received();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const got = r.received() - before;
  const achieved = result.sent / (result.elapsedMs / 1000);
  const bad = r.dropped() - droppedBefore;
  console.log(
    `  ${r.name}, target ${fmt(target)}/s: sent ${fmt(result.sent)} at ${fmt(achieved)}/s, accepted ${fmt(got)}, lost ${fmt(result.sent - got)}${bad ? `, dropped ${bad}` : ''}`,
  );
  // Within 2% of the target counts as the target (pacing granularity, timer jitter).
  return {
    target,
    rate: achieved >= target * 0.98 ? target : achieved,
    sent: result.sent,
    lost: result.sent - got + bad,
  };
}

/** Each receiver's highest zero-loss rate, all measured in turns at each rate (see the top). */
export async function findZeroLossRates(
  receivers: readonly UdpReceiverUnderTest[],
  o: ZeroLossSteps,
): Promise<ZeroLossResult[]> {
  const started = Date.now();
  const results = receivers.map(
    () =>
      ({ best: undefined, firstLoss: undefined }) as {
        -readonly [K in keyof ZeroLossResult]: ZeroLossResult[K];
      },
  );
  const done = receivers.map(() => false);
  for (const [n, target] of o.rates.entries()) {
    const order = receivers.map((_, i) => i);
    if (n % 2 === 1) order.reverse();
    for (const i of order) {
      if (done[i] || Date.now() - started > o.budgetMs) continue;
      let r = await step(receivers[i], o, target);
      // A shared machine has hiccups (another process taking the CPU): one retry tells them apart
      // from the input's limit.
      if (r.lost > 0 && Date.now() - started < o.budgetMs) {
        console.log('  (loss: retrying this rate once)');
        r = await step(receivers[i], o, target);
      }
      if (r.lost > 0) {
        results[i].firstLoss = r;
        done[i] = true;
        continue;
      }
      results[i].best = r;
      if (r.rate < target) {
        console.log(`  (the sender cannot go faster here; ${receivers[i].name} kept up with all of it)`);
        done[i] = true;
      }
    }
    if (done.every((d) => d) || Date.now() - started > o.budgetMs) break;
  }
  return results;
}

/**
 * The reference for a UDP input on this machine: a plain node:dgram socket on this thread that only
 * counts datagrams. No single-threaded Node program can accept more. Close it when done.
 */
export async function bareReceiver(): Promise<UdpReceiverUnderTest & { readonly socket: Socket }> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 16 * 1024 * 1024 });
  let count = 0;
  socket.on('message', () => {
    count++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    name: 'bare node:dgram',
    port: socket.address().port,
    received: () => count,
    dropped: () => 0,
    socket,
  };
}
