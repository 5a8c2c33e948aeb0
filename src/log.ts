// One logger for the process: JSON lines (pino) for machines, pretty lines when a person watches a
// terminal. Components get child loggers with a `component` field.

import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config/schema.ts';

export type { Logger } from 'pino';

export function createLogger(config: Config['log'], stream: NodeJS.WritableStream = process.stderr): Logger {
  const usePretty =
    config.format === 'pretty' || (config.format === 'auto' && (stream as { isTTY?: boolean }).isTTY);
  const options = { level: config.level, base: { pid: process.pid } };
  if (usePretty) {
    // Synchronous pretty stream: no worker thread, so nothing is lost when the process exits.
    return pino(options, pretty({ destination: stream, sync: true, colorize: true, ignore: 'pid,hostname' }));
  }
  return pino(options, stream);
}
