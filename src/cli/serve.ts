// `telemux serve`: load config, start every surface, and stop cleanly on SIGINT/SIGTERM (a second
// signal exits at once).

import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { startTelemux } from '../server.ts';
import { tuneHeapGrowth } from './heap-growth.ts';

export async function serveCommand(file: string | undefined, overrides: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ file, overrides, env: process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`invalid configuration\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const logger = createLogger(config.log);
  logger.debug({ config, file }, 'configuration loaded');
  if (!tuneHeapGrowth()) logger.debug('heap growth left as node was told');

  // Signal handlers go in before anything starts: a signal during start-up stops what has started.
  let signalled: NodeJS.Signals | undefined;
  let onStopRequest: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = signal;
    logger.info({ signal }, 'shutting down');
    onStopRequest?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let telemux: Awaited<ReturnType<typeof startTelemux>>;
  try {
    telemux = await startTelemux(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'telemux failed to start');
    return 1;
  }

  await new Promise<void>((resolve) => {
    onStopRequest = resolve;
    if (signalled) resolve();
  });
  try {
    await telemux.close();
  } catch (err) {
    logger.error({ err }, 'error during shutdown');
    return 1;
  }
  logger.info('telemux stopped');
  return 0;
}
