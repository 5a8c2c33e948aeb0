// Command-line splitting: positional words, known switches, and `--dotted.key=value` config
// overrides (any flag with a dot in its name, so every config key can be set without a list here).

export interface ParsedArgs {
  readonly positionals: string[];
  readonly overrides: string[];
  readonly flags: Map<string, string | true>;
}

/** `valueFlags` take the next word as their value when written `--flag value`. */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const overrides: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (name.includes('.')) {
      // A config override: `--a.b=c` or `--a.b c`.
      if (eq >= 0) overrides.push(body);
      else if (i + 1 < argv.length) overrides.push(`${name}=${argv[++i]}`);
      else overrides.push(body);
      continue;
    }
    if (eq >= 0) flags.set(name, body.slice(eq + 1));
    else if (valueFlags.includes(name) && i + 1 < argv.length) flags.set(name, argv[++i]);
    else flags.set(name, true);
  }
  return { positionals, overrides, flags };
}
