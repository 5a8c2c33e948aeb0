// `telemux serve`: load config, start every surface, and stop cleanly on SIGINT/SIGTERM (a second
// signal exits at once).

import { ConfigError, loadConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { startTelemux } from '../server.ts';

export async function serveCommand(file: string | undefined, overrides: string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ file, overrides, env: process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`invalid configuration\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const logger = createLogger(config.log);
  let telemux: Awaited<ReturnType<typeof startTelemux>>;
  try {
    telemux = await startTelemux(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'telemux failed to start');
    return 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      telemux.close().then(
        () => {
          logger.info('telemux stopped');
          resolve(0);
        },
        (err) => {
          logger.error({ err }, 'error during shutdown');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
