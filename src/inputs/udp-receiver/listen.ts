// The UDP listener every UDP input uses: the socket on the main thread (the cheapest per datagram),
// or on a receive thread of its own (receive-thread.ts: keeps reading while the main thread is
// busy). Either way the input sees the same thing: datagrams, one call each, in arrival order.

import type { RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { bindUdpSocket } from './bind-socket.ts';
import { ReceiveThread } from './receive-thread.ts';

export interface UdpListenOptions {
  readonly host: string;
  /** 0 picks a free port (see the listener's `address`). */
  readonly port: number;
  /** SO_RCVBUF to ask for; the kernel may cap it (net.core.rmem_max). */
  readonly recvBufferSize: number;
  /** Receive on a thread of its own. */
  readonly thread: boolean;
  /** One datagram and its sender. Errors are the handler's to count: a throw is ignored. */
  readonly onDatagram: (datagram: Buffer, from: RemoteInfo | string) => void;
  /** Datagrams the receive thread dropped because the main thread was too far behind. */
  readonly onOverflow: (count: number) => void;
  /** Something to log; the listener carries on. */
  readonly onError: (message: string, err?: unknown) => void;
  /** With `thread`: batch bytes allowed to wait for the main thread (default 32 MiB). */
  readonly maxInFlightBytes?: number;
}

export interface UdpListener {
  /** The bound address (the real port when 0 was asked). */
  readonly address: AddressInfo;
  /** SO_RCVBUF as the kernel reports it (Linux: twice what it grants). */
  readonly recvBufferSize: number;
  /** Stops receiving; resolves once every datagram received so far has been handled. */
  close(): Promise<void>;
}

/** Binds; rejects with the bind error (EADDRINUSE, EACCES). */
export async function listenUdp(o: UdpListenOptions): Promise<UdpListener> {
  const onDatagram = (datagram: Buffer, from: RemoteInfo | string): void => {
    try {
      o.onDatagram(datagram, from);
    } catch {
      // The inputs count their own failures; only a throwing logger gets here.
    }
  };
  if (o.thread) return ReceiveThread.start({ ...o, onDatagram });
  const socket = await bindUdpSocket(o.host, o.port, o.recvBufferSize);
  socket.on('error', (err) => o.onError('udp socket error', err));
  socket.on('message', onDatagram);
  let closed: Promise<void> | undefined;
  return {
    address: socket.address(),
    recvBufferSize: socket.getRecvBufferSize(),
    close: () => {
      closed ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closed;
    },
  };
}

/**
 * A datagram's sender as text for a log line, `address:port`. The listener passes the socket's
 * RemoteInfo on the main thread (formatting it for every datagram would cost a string each) and
 * the text the receive thread made.
 */
export function senderText(from: RemoteInfo | string | undefined): string | undefined {
  return from === undefined || typeof from === 'string' ? from : `${from.address}:${from.port}`;
}

/** The logging an input's listener needs; a pino Logger fits. */
export interface UdpInputLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * listenUdp as the UDP inputs use it: datagrams the receive thread had to drop are counted in
 * `overloaded` and logged, errors are logged, and so is a receive buffer the kernel capped.
 */
export async function listenUdpInput(
  input: string,
  logger: UdpInputLogger,
  overloaded: { inc(n: number): void },
  o: Omit<UdpListenOptions, 'onOverflow' | 'onError'>,
): Promise<UdpListener> {
  const udp = await listenUdp({
    ...o,
    onOverflow: (count) => {
      overloaded.inc(count);
      logger.warn({ count }, `${input}: datagrams dropped: the main thread is too far behind`);
    },
    onError: (msg, err) => logger.error({ err }, `${input}: ${msg}`),
  });
  // Linux reports twice what it grants for bookkeeping; less than asked means a kernel cap.
  if (udp.recvBufferSize < o.recvBufferSize) {
    logger.info(
      { requested: o.recvBufferSize, granted: udp.recvBufferSize },
      `${input}: receive buffer smaller than requested (raise net.core.rmem_max for bursts)`,
    );
  }
  return udp;
}
