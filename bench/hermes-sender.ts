// Benchmark helper for bench/hermes.ts, run in its own process: sends the given datagrams
// round-robin to 127.0.0.1:<port> at a paced rate for a while, then reports how many were sent.
// Driven over the fork() IPC channel: one message in ({port, rate, durationMs, packets}), one out.

import { createSocket } from 'node:dgram';

export interface SenderJob {
  readonly port: number;
  /** Datagrams per second. */
  readonly rate: number;
  readonly durationMs: number;
  readonly packets: readonly string[];
}

export interface SenderResult {
  /** Datagrams the kernel accepted. */
  readonly sent: number;
  readonly errors: number;
  readonly elapsedMs: number;
}

function send(job: SenderJob): Promise<SenderResult> {
  const socket = createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
  const buffers = job.packets.map((p) => Buffer.from(p));
  const total = Math.floor((job.durationMs * job.rate) / 1000);
  let issued = 0;
  let errors = 0;
  // No per-send callback (it costs ~10% of the sender's speed): failures arrive as 'error' events.
  socket.on('error', () => {
    errors++;
  });
  return new Promise((resolve) => {
    socket.connect(job.port, '127.0.0.1', () => {
      const start = performance.now();
      const tick = () => {
        const elapsed = performance.now() - start;
        const due = Math.min(Math.floor((elapsed * job.rate) / 1000), total);
        // Send what is due now (about a millisecond's worth), in slices of at most 2,000.
        for (let n = Math.min(due - issued, 2000); n > 0; n--) {
          socket.send(buffers[issued % buffers.length]);
          issued++;
        }
        // Wait for the next millisecond rather than spin: on a 2-core machine a spinning sender
        // would take the core the receiver's threads need.
        if (issued < total) {
          setTimeout(tick, 1);
          return;
        }
        const finish = () => {
          // Sends the kernel could not take at once wait in libuv's queue: let them leave first.
          if (socket.getSendQueueCount() > 0) {
            setImmediate(finish);
            return;
          }
          const elapsedMs = performance.now() - start;
          socket.close();
          resolve({ sent: issued - errors, errors, elapsedMs });
        };
        finish();
      };
      tick();
    });
  });
}

process.once('message', async (job: SenderJob) => {
  const result = await send(job);
  process.send?.(result, () => process.exit(0));
});
