// Binding a UDP listener the way every UDP input needs it: the address family from the host, a
// large receive buffer (bursts are absorbed by the kernel, not lost), and a bind error (EADDRINUSE,
// EACCES) reported to the caller instead of surfacing as an unhandled 'error' event.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export async function bindUdpSocket(host: string, port: number, recvBufferSize: number): Promise<Socket> {
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    try {
      socket.close();
    } catch {
      // never bound: nothing to close
    }
    throw err;
  }
  return socket;
}
