// UDP listeners end to end, on the main thread and on a receive thread: real sockets, datagrams in
// order with their sender, close() after everything received is handled, bind errors, overflow.

import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  listenUdp,
  type UdpListener,
  type UdpListenOptions,
} from '../../../src/inputs/udp-receiver/listen.ts';
import { ReceiveThread } from '../../../src/inputs/udp-receiver/receive-thread.ts';

interface Got {
  datagrams: string[];
  sources: Set<string>;
  overflowed: number;
  errors: string[];
}

async function start(
  thread: boolean,
  extra: Partial<UdpListenOptions> = {},
): Promise<{ listener: UdpListener; got: Got }> {
  const got: Got = { datagrams: [], sources: new Set(), overflowed: 0, errors: [] };
  const listener = await listenUdp({
    host: '127.0.0.1',
    port: 0,
    recvBufferSize: 4 * 1024 * 1024,
    thread,
    onDatagram: (d, from: RemoteInfo | string) => {
      got.datagrams.push(d.toString('latin1'));
      got.sources.add(typeof from === 'string' ? from : `${from.address}:${from.port}`);
    },
    onOverflow: (n) => {
      got.overflowed += n;
    },
    onError: (msg) => got.errors.push(msg),
    ...extra,
  });
  return { listener, got };
}

async function client(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  return s;
}

function send(s: Socket, port: number, d: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    s.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
  );
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Sends `n` datagrams to `port` from another thread, while this one may be busy. */
function sendFromAnotherThread(port: number, n: number): Promise<void> {
  const w = new Worker(
    `const { createSocket } = require('node:dgram');
     const { workerData, parentPort } = require('node:worker_threads');
     const s = createSocket('udp4');
     let i = 0;
     // 25 datagrams a millisecond at most: the point is the stall, not the rate.
     const burst = () => {
       for (let k = 0; k < 25 && i < workerData.n - 1; k++) s.send('d' + i++, workerData.port, '127.0.0.1');
       if (i < workerData.n - 1) setTimeout(burst, 1);
       // The last one with a callback: closing drops sends still queued.
       else s.send('d' + i++, workerData.port, '127.0.0.1', () => s.close(() => parentPort.postMessage('done')));
     };
     burst();`,
    { eval: true, workerData: { port, n } },
  );
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
}

for (const thread of [false, true]) {
  describe(`udp listener, ${thread ? 'on a receive thread' : 'on the main thread'}`, () => {
    it('delivers every datagram in order with its sender; close() handles the rest first', async () => {
      const { listener, got } = await start(thread);
      const c = await client();
      try {
        assert.equal(listener.address.address, '127.0.0.1');
        assert.ok(listener.address.port > 0);
        const sent: string[] = [];
        for (let i = 0; i < 2000; i++) {
          const d = i % 500 === 0 ? `big ${i} ${'x'.repeat(60_000)}` : `d${i}`;
          sent.push(d);
          await send(c, listener.address.port, d);
        }
        await send(c, listener.address.port, Buffer.alloc(0));
        sent.push('');
        await waitFor(() => got.datagrams.length === sent.length, 'every datagram');
        assert.deepEqual(got.datagrams, sent);
        assert.deepEqual([...got.sources], [`127.0.0.1:${c.address().port}`]);

        for (let i = 0; i < 100; i++) await send(c, listener.address.port, `late${i}`);
        await new Promise((r) => setTimeout(r, 50));
        await listener.close();
        assert.equal(got.datagrams.length, sent.length + 100);
        assert.deepEqual(got.errors, []);
        assert.equal(got.overflowed, 0);
      } finally {
        c.close();
        await listener.close();
      }
    });

    it('rejects a port in use with the bind error', async () => {
      const taken = await client();
      try {
        await assert.rejects(start(thread, { port: taken.address().port }), (err: NodeJS.ErrnoException) => {
          assert.equal(err.code, 'EADDRINUSE');
          return true;
        });
      } finally {
        taken.close();
      }
    });
  });
}

describe('udp receive thread', () => {
  it('is restarted on the same port when it dies, and receives again', async () => {
    const errors: string[] = [];
    let received: string[] = [];
    const thread = await ReceiveThread.start({
      host: '127.0.0.1',
      port: 0,
      recvBufferSize: 1024 * 1024,
      onDatagram: (d) => received.push(d.toString()),
      onOverflow: () => {},
      onError: (msg) => errors.push(msg),
      entry: new URL('./short-lived-thread.ts', import.meta.url).href,
    });
    const c = await client();
    try {
      await send(c, thread.address.port, 'before');
      await waitFor(() => received.includes('before'), 'the first datagram');
      await waitFor(() => errors.some((e) => /exited \(code 3\); restarting/.test(e)), 'the exit');
      // Restarted after a second, bound to the same port: datagrams arrive again.
      received = [];
      await waitFor(async () => {
        await send(c, thread.address.port, 'after');
        return received.includes('after');
      }, 'a datagram after the restart');
    } finally {
      c.close();
      await thread.close();
    }
  });

  it('keeps reading while the main thread is busy, beyond what the kernel buffer holds', async () => {
    // The kernel buffer (4 MiB asked; a few thousand small datagrams) holds only part of the 12,000
    // sent during the stall, and lets the receive thread itself wait its turn for a core a while.
    const { listener, got } = await start(true);
    try {
      const sending = sendFromAnotherThread(listener.address.port, 12_000);
      const busyUntil = Date.now() + 1500;
      while (Date.now() < busyUntil) {
        // the main thread is held, as by a block cut
      }
      await sending;
      await waitFor(() => got.datagrams.length === 12_000, 'all 12,000 datagrams');
      assert.equal(got.overflowed, 0);
    } finally {
      await listener.close();
    }
  });

  it('drops and counts what arrives while the main thread is too far behind', async () => {
    const { listener, got } = await start(true, { maxInFlightBytes: 1 });
    const c = createSocket('udp4');
    await new Promise<void>((resolve) => c.connect(listener.address.port, '127.0.0.1', () => resolve()));
    const spin = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // this thread is held, as by a block cut
      }
    };
    try {
      // A connected socket sends at once, even from a thread that never yields.
      c.send('first');
      spin(500); // the receive thread posts 'first'; unhandled here, it fills the 1-byte allowance
      for (let i = 0; i < 50; i++) c.send(`next${i}`);
      spin(500);
      await waitFor(() => got.datagrams.length + got.overflowed === 51, 'all 51 accounted for');
      assert.equal(got.datagrams[0], 'first');
      assert.ok(got.overflowed > 0, 'some datagrams overflowed');
    } finally {
      c.close();
      await listener.close();
    }
  });
});
