// The Hermes UDP listener: one JSON packet per datagram, applied to the Hermes families of a
// registry, every accept and drop counted in the input self-metrics. Never replies (fire and
// forget, like Hermes) and never lets a bad datagram escape the socket handler.

import type { RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Registry } from '../../registry/registry.ts';
import { type InputCounters, type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import { listenUdpInput, senderText, type UdpListener } from '../udp-receiver/listen.ts';
import { type HermesDefinitions, parseHermesDefinitions } from './definitions.ts';
import { HERMES_DROP_REASONS, type HermesDropReason } from './drop-reasons.ts';
import { declareHermesMetrics, type HermesMetricTable } from './metric-table.ts';
import { applyHermesPacket } from './packet.ts';

/** The logging this input needs; a pino Logger fits. */
export interface HermesLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface HermesInputOptions {
  /** Address to bind (default 127.0.0.1; Hermes itself binds 0.0.0.0). */
  readonly host?: string;
  /** UDP port (default 7789; 0 picks a free one, see start()'s result). */
  readonly port?: number;
  readonly definitions: HermesDefinitions;
  /** Where the Hermes families are declared; render it alone for a Hermes drop-in /metrics. */
  readonly registry: Registry;
  readonly inputMetrics: InputMetrics;
  readonly logger: HermesLogger;
  /** Larger datagrams are dropped as `oversized` (default 65507; Hermes reads 2048 bytes). */
  readonly maxDatagramBytes?: number;
  /** SO_RCVBUF to ask for (default 16 MiB; the kernel may cap it, e.g. net.core.rmem_max). */
  readonly recvBufferSize?: number;
  /** Receive on a thread of its own, which keeps reading while the main thread is busy (default true). */
  readonly receiveThread?: boolean;
  /** `input` label of the self-metrics (default 'hermes'). */
  readonly inputName?: string;
}

export const DEFAULT_HERMES_PORT = 7789;
export const MAX_UDP_PAYLOAD = 65507;
const DEFAULT_RECV_BUFFER = 16 * 1024 * 1024;
/** How much of a dropped datagram a debug log shows. */
const PREVIEW_BYTES = 256;

export class HermesInput {
  readonly #host: string;
  readonly #port: number;
  readonly #maxDatagramBytes: number;
  readonly #recvBufferSize: number;
  readonly #receiveThread: boolean;
  readonly #logger: HermesLogger;
  readonly #table: HermesMetricTable;
  readonly #counters: InputCounters<HermesDropReason>;
  #udp: UdpListener | undefined;
  #address: AddressInfo | undefined;

  /** Validates the definitions and declares the Hermes families (throws on a conflict). */
  constructor(opts: HermesInputOptions) {
    this.#host = opts.host ?? '127.0.0.1';
    this.#port = opts.port ?? DEFAULT_HERMES_PORT;
    this.#maxDatagramBytes = opts.maxDatagramBytes ?? MAX_UDP_PAYLOAD;
    this.#recvBufferSize = opts.recvBufferSize ?? DEFAULT_RECV_BUFFER;
    this.#receiveThread = opts.receiveThread ?? true;
    this.#logger = opts.logger;
    if (!(Number.isInteger(this.#port) && this.#port >= 0 && this.#port <= 65535)) {
      throw new RangeError(`hermes: invalid port ${this.#port}`);
    }
    if (!(Number.isInteger(this.#maxDatagramBytes) && this.#maxDatagramBytes > 0)) {
      throw new RangeError(`hermes: maxDatagramBytes must be a positive integer`);
    }
    const definitions = parseHermesDefinitions(opts.definitions, { source: 'hermes definitions' });
    this.#table = declareHermesMetrics(opts.registry, definitions);
    this.#counters = inputCounters(opts.inputMetrics, opts.inputName ?? 'hermes', HERMES_DROP_REASONS);
  }

  /** Bind the socket; resolves with the bound address (the real port when 0 was asked). */
  async start(): Promise<AddressInfo> {
    if (this.#udp !== undefined) throw new Error('hermes input already started');
    const udp = await listenUdpInput('hermes', this.#logger, this.#counters.dropped.overloaded, {
      host: this.#host,
      port: this.#port,
      recvBufferSize: this.#recvBufferSize,
      thread: this.#receiveThread,
      onDatagram: (datagram, from) => this.handleDatagram(datagram, from),
    });
    this.#udp = udp;
    this.#address = udp.address;
    return udp.address;
  }

  /** Close the socket, after handling what it already received. The families stay in the registry. */
  async stop(): Promise<void> {
    const udp = this.#udp;
    if (udp === undefined) return;
    this.#udp = undefined;
    this.#address = undefined;
    await udp.close();
  }

  /** The bound address while started. */
  get address(): AddressInfo | undefined {
    return this.#address;
  }

  /** Apply one datagram as if it had arrived on the socket (tests, benchmarks). */
  handleDatagram(datagram: Buffer, from?: RemoteInfo | string): HermesDropReason | null {
    let reason: HermesDropReason | null;
    try {
      reason = applyHermesPacket(this.#table, datagram, this.#maxDatagramBytes);
    } catch (err) {
      reason = 'internal_error';
      this.#logger.error({ err }, 'hermes: unexpected error while applying a packet');
    }
    if (reason === null) {
      this.#counters.received.inc();
      return null;
    }
    this.#counters.dropped[reason].inc();
    if (this.#logger.isLevelEnabled?.('debug') ?? true) {
      this.#logger.debug(
        {
          reason,
          from: senderText(from),
          bytes: datagram.length,
          packet: datagram.subarray(0, PREVIEW_BYTES).toString('utf8'),
        },
        'hermes packet dropped',
      );
    }
    return reason;
  }
}
