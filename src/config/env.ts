// Environment variables the original tools read, mapped onto config keys, so an existing
// deployment's environment keeps working. An empty variable counts as unset (Hermes does the same).

import { formatAddress, parseListenAddress } from './address.ts';

export interface EnvSetting {
  readonly key: string;
  readonly value: unknown;
  readonly variable: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function get(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Hermes: HERMES_CONFIG_PATH (v1), CONFIG_FILE_PATH (v0.1), LISTEN_ADDRESS, LISTEN_PORT, LOG_LEVEL. */
function hermesSettings(env: Env, hermesListenDefault: string): EnvSetting[] {
  const out: EnvSetting[] = [];
  const legacyPath = get(env, 'CONFIG_FILE_PATH');
  const path = get(env, 'HERMES_CONFIG_PATH');
  if (path !== undefined)
    out.push({ key: 'hermes.definitions', value: path, variable: 'HERMES_CONFIG_PATH' });
  else if (legacyPath !== undefined)
    out.push({ key: 'hermes.definitions', value: legacyPath, variable: 'CONFIG_FILE_PATH' });

  const host = get(env, 'LISTEN_ADDRESS');
  const port = get(env, 'LISTEN_PORT');
  if (host !== undefined || port !== undefined) {
    const base = parseListenAddress(hermesListenDefault);
    const baseHost = typeof base === 'string' ? '127.0.0.1' : base.host;
    const basePort = typeof base === 'string' ? 7789 : base.port;
    const value = formatAddress(host ?? baseHost, port === undefined ? basePort : Number(port));
    out.push({
      key: 'hermes.listen',
      value,
      variable: port !== undefined ? 'LISTEN_PORT' : 'LISTEN_ADDRESS',
    });
  }
  const level = get(env, 'LOG_LEVEL');
  if (level !== undefined) {
    // Hermes logs with logrus, whose level names differ from pino's in two places.
    const lower = level.toLowerCase();
    const value = lower === 'warning' ? 'warn' : lower === 'panic' ? 'fatal' : lower;
    out.push({ key: 'log.level', value, variable: 'LOG_LEVEL' });
  }
  return out;
}

/**
 * Settings taken from the environment. `hermesListen` is the Hermes address from the defaults and
 * the config file, so LISTEN_PORT alone keeps the configured host (and LISTEN_ADDRESS the port).
 */
export function settingsFromEnv(env: Env, hermesListen: string): EnvSetting[] {
  return hermesSettings(env, hermesListen);
}
