// The receive thread's entry: binds the UDP socket and forwards what arrives to the main thread in
// batches (batch.ts). It keeps reading while the main thread is busy — a block cut holds that for
// seconds (docs/storage.md) — so the kernel's receive buffer does not overflow meanwhile.
//
// A batch goes out once the datagrams ready now have been read (setImmediate runs after the poll
// phase) or when it is full. When the main thread is `maxInFlightBytes` behind, datagrams are
// dropped here and counted, rather than piling up in memory without bound.

import type { RemoteInfo } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { BatchWriter } from './batch.ts';
import { bindUdpSocket } from './bind-socket.ts';
import {
  IN_FLIGHT,
  OVERFLOWED,
  type ReceiveThreadCommand,
  type ReceiveThreadMessage,
  type ReceiveThreadSetup,
} from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('udp-receiver/thread.ts runs only as a worker thread');
const setup = workerData as ReceiveThreadSetup;
const counters = new Int32Array(setup.shared);
const post = (m: ReceiveThreadMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

const writer = new BatchWriter();
let flushQueued = false;
// The sender's "address:port", made again only when the sender changes (mostly it does not).
let lastAddress = '';
let lastPort = -1;
let lastSource = '';

function flush(): void {
  flushQueued = false;
  if (writer.length === 0) return;
  const { buffer, length } = writer.take();
  Atomics.add(counters, IN_FLIGHT, length);
  post({ type: 'batch', buffer, length }, [buffer]);
}

function onDatagram(datagram: Buffer, from: RemoteInfo): void {
  if (Atomics.load(counters, IN_FLIGHT) >= setup.maxInFlightBytes) {
    Atomics.add(counters, OVERFLOWED, 1);
    return;
  }
  if (from.port !== lastPort || from.address !== lastAddress) {
    lastAddress = from.address;
    lastPort = from.port;
    lastSource = `${lastAddress}:${lastPort}`;
  }
  const source = lastSource;
  if (!writer.fits(datagram.length, source)) flush();
  writer.add(datagram, source);
  if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
}

try {
  const socket = await bindUdpSocket(setup.host, setup.port, setup.recvBufferSize);
  socket.on('error', (err) => post({ type: 'socket_error', message: err.message }));
  socket.on('message', onDatagram);
  port.on('message', (command: ReceiveThreadCommand) => {
    if (command.type !== 'close') return;
    socket.close(() => {
      flush();
      port.close();
    });
  });
  const a = socket.address();
  post({
    type: 'bound',
    address: a.address,
    family: a.family,
    port: a.port,
    recvBufferSize: socket.getRecvBufferSize(),
  });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  post({ type: 'bind_failed', message: e.message, code: e.code });
  port.close();
}
