// The reference: Debian's Prometheus 2.42 as a remote_write receiver that scrapes nothing, on a free
// loopback port with a temporary data directory, stopped by PID (test/helpers/prometheus.ts), with
// the version it reports. scripts/install-peers.sh installs it.

import { startReceivingPrometheus as startReceiver } from '../../helpers/prometheus.ts';

export interface PrometheusPeer {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

export async function startReceivingPrometheus(): Promise<PrometheusPeer> {
  const prom = await startReceiver(['--log.level=warn']);
  try {
    const info = (await (await fetch(`${prom.url}/api/v1/status/buildinfo`)).json()) as {
      data: { version: string };
    };
    return { url: prom.url, version: info.data.version, stop: () => prom.stop() };
  } catch (err) {
    await prom.stop();
    throw err;
  }
}
