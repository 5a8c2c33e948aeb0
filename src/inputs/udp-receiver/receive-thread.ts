// A UDP socket on a thread of its own (thread.ts): the main thread gets the datagrams in batches and
// handles each in arrival order. Datagrams keep being read while the main thread is busy elsewhere
// — a block cut holds it for seconds (docs/storage.md) — for ~30 % more CPU per datagram than
// receiving on the main thread (docs/benchmarks.md).
//
// Bursts are absorbed first by the kernel's receive buffer, then by the batches in flight between
// the threads (up to `maxInFlightBytes`); beyond that the thread drops datagrams and counts them
// (`onOverflow`). A thread that dies is reported and restarted on the same port.

import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../../workers/thread.ts';
import { forEachDatagram } from './batch.ts';
import {
  IN_FLIGHT,
  OVERFLOWED,
  type ReceiveThreadCommand,
  type ReceiveThreadMessage,
  type ReceiveThreadSetup,
  SHARED_COUNTERS,
} from './protocol.ts';

export interface ReceiveThreadOptions {
  readonly host: string;
  /** 0 picks a free port (see `address`). */
  readonly port: number;
  /** SO_RCVBUF to ask for; the kernel may cap it (net.core.rmem_max). */
  readonly recvBufferSize: number;
  /** One datagram and its sender ("address:port"), on the main thread. */
  readonly onDatagram: (datagram: Buffer, source: string) => void;
  /** `count` datagrams were dropped because the main thread was too far behind. */
  readonly onOverflow: (count: number) => void;
  /** Something the caller should log; the receiver carries on. */
  readonly onError: (message: string, err?: unknown) => void;
  /** Batch bytes allowed between the threads (default 32 MiB). */
  readonly maxInFlightBytes?: number;
  /** The thread's module (a file: URL); default thread.ts beside this file. Tests substitute one. */
  readonly entry?: string;
}

const DEFAULT_MAX_IN_FLIGHT = 32 * 1024 * 1024;
const RESTART_DELAY_MS = 1000;

type Bound = Extract<ReceiveThreadMessage, { type: 'bound' }>;

export class ReceiveThread {
  readonly #opts: ReceiveThreadOptions;
  /** Written by the thread too; see ReceiveThreadSetup.shared. */
  readonly #counters: Int32Array;
  #worker: Worker | undefined;
  readonly #address: AddressInfo;
  readonly #recvBufferSize: number;
  #closing: Promise<void> | undefined;
  #restartTimer: NodeJS.Timeout | undefined;

  private constructor(opts: ReceiveThreadOptions, counters: Int32Array, worker: Worker, bound: Bound) {
    this.#opts = opts;
    this.#counters = counters;
    this.#address = { address: bound.address, family: bound.family, port: bound.port };
    this.#recvBufferSize = bound.recvBufferSize;
    this.#adopt(worker);
  }

  /** Binds (on the thread); rejects with the bind error (e.g. code EADDRINUSE). */
  static async start(opts: ReceiveThreadOptions): Promise<ReceiveThread> {
    const counters = new Int32Array(new SharedArrayBuffer(SHARED_COUNTERS * 4));
    const { worker, bound } = await spawn(opts, opts.port, counters.buffer as SharedArrayBuffer);
    return new ReceiveThread(opts, counters, worker, bound);
  }

  /** The bound address (the real port when 0 was asked). */
  get address(): AddressInfo {
    return this.#address;
  }

  /** SO_RCVBUF as the kernel reports it (Linux: twice what it grants). */
  get recvBufferSize(): number {
    return this.#recvBufferSize;
  }

  /** Closes the socket; resolves once every datagram it had received has been handled. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker === undefined) return;
    // Messages arrive in order: the last batch is handled before 'exit' is emitted.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ReceiveThreadCommand);
    await exited;
  }

  #adopt(worker: Worker): void {
    this.#worker = worker;
    worker.on('message', (m: ReceiveThreadMessage) => this.#onMessage(m));
    worker.on('error', (err) => this.#opts.onError('udp receive thread failed', err));
    worker.on('exit', (code) => {
      this.#reportOverflow();
      if (this.#worker !== worker) return; // closed on purpose
      this.#worker = undefined;
      this.#opts.onError(`udp receive thread exited (code ${code}); restarting it`);
      this.#restartTimer = setTimeout(() => this.#restart(), RESTART_DELAY_MS);
    });
  }

  async #restart(): Promise<void> {
    this.#restartTimer = undefined;
    if (this.#closing !== undefined) return;
    try {
      const { worker } = await spawn(
        this.#opts,
        this.#address.port,
        this.#counters.buffer as SharedArrayBuffer,
      );
      if (this.#closing !== undefined) {
        await worker.terminate();
        return;
      }
      this.#adopt(worker);
    } catch (err) {
      this.#opts.onError('udp receive thread could not be restarted; trying again', err);
      this.#restartTimer = setTimeout(() => this.#restart(), RESTART_DELAY_MS);
    }
  }

  #onMessage(m: ReceiveThreadMessage): void {
    if (m.type === 'batch') {
      try {
        forEachDatagram(m.buffer, m.length, this.#opts.onDatagram);
      } catch (err) {
        this.#opts.onError('udp datagram batch not handled to the end', err);
      }
      Atomics.sub(this.#counters, IN_FLIGHT, m.length);
      this.#reportOverflow();
    } else if (m.type === 'socket_error') {
      this.#opts.onError(`udp socket error: ${m.message}`);
    }
  }

  #reportOverflow(): void {
    const n = Atomics.exchange(this.#counters, OVERFLOWED, 0);
    if (n > 0) this.#opts.onOverflow(n);
  }
}

/** Starts a thread and waits until it has bound (or failed to). */
function spawn(
  opts: ReceiveThreadOptions,
  port: number,
  shared: SharedArrayBuffer,
): Promise<{ worker: Worker; bound: Bound }> {
  const setup: ReceiveThreadSetup = {
    host: opts.host,
    port,
    recvBufferSize: opts.recvBufferSize,
    shared,
    maxInFlightBytes: opts.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT,
  };
  const worker = startWorker(opts.entry ?? siblingModule(import.meta.url, './thread'), { workerData: setup });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`udp receive thread exited (code ${code}) before binding`));
    const done = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      worker.off('error', reject);
    };
    const onMessage = (m: ReceiveThreadMessage) => {
      if (m.type === 'bound') {
        done();
        resolve({ worker, bound: m });
      } else if (m.type === 'bind_failed') {
        done();
        reject(Object.assign(new Error(m.message), { code: m.code }));
      }
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.once('error', reject);
  });
}
