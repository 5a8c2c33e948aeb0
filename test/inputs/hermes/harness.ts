// Test harness: a started Hermes input on a free loopback port with its own registries, plus
// helpers to send datagrams and to wait until the input has handled them.

import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import {
  type HermesDefinitions,
  type HermesDropReason,
  HermesInput,
  loadHermesDefinitions,
} from '../../../src/inputs/hermes/index.ts';
import type {
  Counter,
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  SummaryFamily,
} from '../../../src/registry/index.ts';
import { createInputMetrics, type InputMetrics, Registry } from '../../../src/registry/index.ts';

export const SEED_DEFINITIONS_PATH = fileURLToPath(new URL('./seed-definitions.json', import.meta.url));
export const PYTHON_SENDER_PATH = fileURLToPath(new URL('./send_seed_packets.py', import.meta.url));

/** Collects log calls so tests can look at them. */
export function memoryLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: () => true,
  };
}

export interface Harness {
  readonly input: HermesInput;
  readonly registry: Registry;
  readonly self: Registry;
  readonly metrics: InputMetrics;
  readonly port: number;
  readonly logger: ReturnType<typeof memoryLogger>;
  received(): number;
  dropped(reason: HermesDropReason): number;
  /** Datagrams handled so far, accepted or dropped. */
  handled(): number;
  /** Resolve once `handled()` reaches `count` (rejects after `timeoutMs`). */
  waitForHandled(count: number, timeoutMs?: number): Promise<void>;
  send(datagrams: readonly (string | Buffer)[]): Promise<void>;
  counter(name: string): CounterFamily;
  gauge(name: string): GaugeFamily;
  histogram(name: string): HistogramFamily;
  summary(name: string): SummaryFamily;
  close(): Promise<void>;
}

export async function startHermes(
  opts: { definitions?: HermesDefinitions; maxDatagramBytes?: number; registry?: Registry } = {},
): Promise<Harness> {
  const registry = opts.registry ?? new Registry();
  const self = new Registry();
  const metrics = createInputMetrics(self);
  const logger = memoryLogger();
  const input = new HermesInput({
    host: '127.0.0.1',
    port: 0,
    definitions: opts.definitions ?? loadHermesDefinitions(SEED_DEFINITIONS_PATH),
    registry,
    inputMetrics: metrics,
    logger,
    maxDatagramBytes: opts.maxDatagramBytes,
  });
  const { port } = await input.start();
  const value = (c: Counter | undefined) => c?.value ?? 0;
  const received = () => value(metrics.received.getChild(['hermes']));
  const dropped = (reason: HermesDropReason) => value(metrics.dropped.getChild(['hermes', reason]));
  const handled = () => {
    let n = received();
    for (const c of metrics.dropped.children()) n += c.value;
    return n;
  };
  const sender = createSocket('udp4');
  sender.unref();
  return {
    input,
    registry,
    self,
    metrics,
    port,
    logger,
    received,
    dropped,
    handled,
    async waitForHandled(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (handled() < count) {
        if (Date.now() > deadline) throw new Error(`timed out: handled ${handled()} of ${count} datagrams`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    send: (datagrams) => sendAll(sender, port, datagrams),
    counter: (name) => registry.get(name) as CounterFamily,
    gauge: (name) => registry.get(name) as GaugeFamily,
    histogram: (name) => registry.get(name) as HistogramFamily,
    summary: (name) => registry.get(name) as SummaryFamily,
    async close() {
      sender.close();
      await input.stop();
    },
  };
}

function sendAll(
  socket: ReturnType<typeof createSocket>,
  port: number,
  datagrams: readonly (string | Buffer)[],
): Promise<void> {
  return Promise.all(
    datagrams.map(
      (d) =>
        new Promise<void>((resolve, reject) => {
          socket.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()));
        }),
    ),
  ).then(() => undefined);
}
