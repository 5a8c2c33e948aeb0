// Listen addresses are written `host:port` (`[::1]:9091` for IPv6). An empty string turns a
// listener off, so every surface can be disabled from config or the command line.

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Parse `host:port`; returns an error message instead of throwing so the schema can report it. */
export function parseListenAddress(text: string): ListenAddress | string {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text);
  if (!m) return `"${text}" is not a listen address of the form host:port (or [ipv6]:port)`;
  const port = Number(m[3]);
  if (port > 65535) return `port ${port} is out of range (0-65535)`;
  const host = m[1] ?? m[2];
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** Format for logs and URLs: brackets around IPv6 hosts. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
