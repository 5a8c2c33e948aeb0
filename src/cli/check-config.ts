// `telemux check config FILE`: the config file, and the files it points to (the Hermes definitions),
// validated exactly as `serve` would, without binding anything.

import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { HermesDefinitionsError, loadHermesDefinitions } from '../inputs/hermes/definitions.ts';

/** 0 when valid, 1 with every problem listed otherwise, 2 for usage errors. */
export function checkConfigCommand(file: string | undefined, overrides: string[]): number {
  if (!file) {
    process.stderr.write('usage: telemux check config FILE\n');
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig({ file, overrides, env: process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(file, err.problems);
  }
  if (config.hermes.listen !== '' && config.hermes.definitions !== '') {
    try {
      loadHermesDefinitions(config.hermes.definitions);
    } catch (err) {
      if (!(err instanceof HermesDefinitionsError)) throw err;
      const source = config.hermes.definitions;
      return fail(
        file,
        err.issues.map((issue) => `hermes.definitions (${source}): ${issue}`),
      );
    }
  }
  process.stdout.write(`${file}: SUCCESS\n`);
  return 0;
}

function fail(file: string, problems: readonly string[]): number {
  process.stderr.write(`${file}: invalid configuration\n${problems.map((p) => `  ${p}\n`).join('')}`);
  return 1;
}
