#!/usr/bin/env node
// The `telemux` command: dispatches to serve / check config / check exposition / test promql.

import { parseArgs } from './cli/args.ts';
import { checkConfigCommand } from './cli/check-config.ts';
import { checkExpositionCommand } from './cli/check-exposition.ts';
import { USAGE, version } from './cli/help.ts';
import { serveCommand } from './cli/serve.ts';
import { testPromqlCommand } from './cli/test-promql.ts';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['config']);
  if (args.flags.has('version') || args.flags.has('v')) {
    process.stdout.write(`telemux ${version()}\n`);
    return 0;
  }
  const [command, sub, ...rest] = args.positionals;
  if (args.flags.has('help') || args.flags.has('h') || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = args.flags.get('config');
  const configFile = typeof config === 'string' ? config : undefined;
  switch (command) {
    case 'serve':
      return serveCommand(configFile, args.overrides);
    case 'check':
      if (sub === 'config') return checkConfigCommand(rest[0] ?? configFile, args.overrides);
      if (sub === 'exposition') return checkExpositionCommand(rest, args.flags.has('openmetrics'));
      process.stderr.write(`unknown check "${sub ?? ''}": use "check config" or "check exposition"\n`);
      return 2;
    case 'test':
      if (sub === 'promql') return testPromqlCommand(rest, args.flags);
      process.stderr.write(`unknown test "${sub ?? ''}": use "test promql"\n`);
      return 2;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`telemux: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
