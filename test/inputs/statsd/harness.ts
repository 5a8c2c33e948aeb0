// A StatsD input on free ports with its own registries, and helpers to read what it did.

import { StatsdInput, type StatsdInputOptions, type StatsdLogger } from '../../../src/inputs/statsd/index.ts';
import { createInputMetrics, Registry } from '../../../src/registry/index.ts';

export interface LogEntry {
  level: string;
  obj: object;
  msg?: string;
}

export function memoryLogger(): StatsdLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export interface StatsdHarness {
  readonly input: StatsdInput;
  readonly registry: Registry;
  readonly selfRegistry: Registry;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** telemux_input_dropped_total{input="statsd",reason} */
  dropped(reason: string): number;
  received(): number;
  /** Every nonzero drop reason, for exact comparisons. */
  drops(): Record<string, number>;
}

export function makeHarness(
  opts: Partial<Omit<StatsdInputOptions, 'registry' | 'inputMetrics' | 'logger'>> = {},
  registryOpts: ConstructorParameters<typeof Registry>[0] = {},
): StatsdHarness {
  const registry = new Registry(registryOpts);
  const selfRegistry = new Registry();
  const inputMetrics = createInputMetrics(selfRegistry);
  const logger = memoryLogger();
  const input = new StatsdInput({
    registry,
    inputMetrics,
    logger,
    listenUdp: '127.0.0.1:0',
    listenTcp: '127.0.0.1:0',
    ...opts,
  });
  return {
    input,
    registry,
    selfRegistry,
    logger,
    dropped: (reason) => inputMetrics.dropped.getChild(['statsd', reason])?.value ?? 0,
    received: () => inputMetrics.received.getChild(['statsd'])?.value ?? 0,
    drops: () => {
      const out: Record<string, number> = {};
      for (const c of inputMetrics.dropped.children()) {
        if (c.values[0] === 'statsd' && c.value > 0) out[c.values[1]] = c.value;
      }
      return out;
    },
  };
}

/** Wait until `cond` holds (polling), or fail after `ms`. */
export async function waitFor(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
