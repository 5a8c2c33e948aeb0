// The highest rate at which a UDP input accepts every datagram: a sender in another process
// (hermes-sender.ts) sends at increasing rates; at each step the input's received counter must grow
// by exactly what was sent. Shared by the Hermes and StatsD benchmarks.

import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { SenderJob, SenderResult } from './hermes-sender.ts';

export interface ZeroLossOptions {
  readonly port: number;
  readonly packets: readonly string[];
  /** The input's count of accepted datagrams (or lines: one line per datagram here). */
  readonly received: () => number;
  /** The input's count of dropped ones. */
  readonly dropped: () => number;
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

export async function findZeroLossRate(o: ZeroLossOptions): Promise<ZeroLossResult> {
  const started = Date.now();
  const step = async (target: number) => {
    const before = o.received();
    const droppedBefore = o.dropped();
    const result = await runSender({ port: o.port, rate: target, durationMs: o.stepMs, packets: o.packets });
    // Wait for the input to drain.
    let last = -1;
    while (o.received() !== last && o.received() - before < result.sent) {
      last = o.received();
      await new Promise((r) => setTimeout(r, 100));
    }
    const got = o.received() - before;
    const achieved = result.sent / (result.elapsedMs / 1000);
    const bad = o.dropped() - droppedBefore;
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
  let best: ZeroLossResult['best'];
  let firstLoss: ZeroLossResult['firstLoss'];
  for (const target of o.rates) {
    if (Date.now() - started > o.budgetMs) break;
    let r = await step(target);
    // A shared machine has hiccups (another process taking the CPU): one retry tells them apart
    // from the input's limit.
    if (r.lost > 0 && Date.now() - started < o.budgetMs) {
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
  return { best, firstLoss };
}

/**
 * The reference for a UDP input on this machine, in the same run: a plain node:dgram socket on this
 * thread that only counts datagrams. No single-threaded Node program can accept more.
 */
export async function bareReceiverZeroLossRate(
  o: Omit<ZeroLossOptions, 'port' | 'received' | 'dropped'>,
): Promise<ZeroLossResult> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 16 * 1024 * 1024 });
  let count = 0;
  socket.on('message', () => {
    count++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  try {
    return await findZeroLossRate({
      ...o,
      port: socket.address().port,
      received: () => count,
      dropped: () => 0,
    });
  } finally {
    socket.close();
  }
}
