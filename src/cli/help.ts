import { readFileSync } from 'node:fs';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const USAGE = `telemux — a metrics gateway

Usage:
  telemux serve [--config FILE] [--dotted.key=value …]
      Run the gateway. Every config key can be set on the command line,
      e.g. --http.listen=127.0.0.1:0 --hermes.definitions=hermes.json
  telemux check config FILE [--dotted.key=value …]
      Validate a config file (YAML or JSON) and the Hermes definitions file it
      names; exit 0 when all is valid.
  telemux check exposition [--openmetrics] FILE|- …
      Validate Prometheus text 0.0.4 (default) or OpenMetrics 1.0 documents;
      one SUCCESS/FAILED line per file, line-numbered problems on stderr;
      exit 0 when all parse, 1 otherwise. Lint findings do not fail the check.
  telemux test promql [--verbose] [--min-pass-ratio=R] FILE|DIR …
      Run Prometheus' PromQL test scripts (promqltest format; a DIR means its
      *.test files) against the engine: per file passed/failed/skipped, each
      failure and each skip reason, then "N passed, N failed". Exit 0 when
      nothing failed (or passed/(passed+failed) >= R), 1 otherwise.
  telemux --help | --version

Environment (honoured for compatibility with Hermes):
  HERMES_CONFIG_PATH, CONFIG_FILE_PATH  Hermes definitions file
  LISTEN_ADDRESS, LISTEN_PORT           Hermes UDP listener
  LOG_LEVEL                             log level

Docs: README.md and docs/ in the project.
`;
