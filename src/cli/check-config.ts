import { ConfigError, loadConfig } from '../config/load.ts';

/** `telemux check config FILE`: 0 when valid, 1 with every problem listed otherwise. */
export function checkConfigCommand(file: string | undefined, overrides: string[]): number {
  if (!file) {
    process.stderr.write('usage: telemux check config FILE\n');
    return 2;
  }
  try {
    loadConfig({ file, overrides, env: process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${file}: invalid configuration\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  process.stdout.write(`${file}: SUCCESS\n`);
  return 0;
}
