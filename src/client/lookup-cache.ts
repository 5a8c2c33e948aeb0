// A DNS lookup for the client's socket that remembers its answer for a while, so a busy client
// sending to a host name does not queue one getaddrinfo per packet on libuv's thread pool.

import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** How long a resolved address is reused. */
const TTL_MS = 30_000;

export function cachingLookup(): (hostname: string, options: unknown, callback: LookupCallback) => void {
  let cached: { hostname: string; family: number; address: string; expires: number } | undefined;
  return (hostname, options, callback) => {
    const ipFamily = isIP(hostname);
    if (ipFamily !== 0) {
      process.nextTick(callback, null, hostname, ipFamily);
      return;
    }
    // dgram passes the socket's family (4 or 6) as the options.
    const family =
      typeof options === 'number' ? options : ((options as { family?: number } | null)?.family ?? 0);
    const now = Date.now();
    if (
      cached !== undefined &&
      cached.hostname === hostname &&
      cached.family === family &&
      cached.expires > now
    ) {
      process.nextTick(callback, null, cached.address, isIP(cached.address));
      return;
    }
    dnsLookup(hostname, { family }, (err, address, resolvedFamily) => {
      if (err === null) cached = { hostname, family, address, expires: Date.now() + TTL_MS };
      callback(err, address, resolvedFamily);
    });
  };
}
